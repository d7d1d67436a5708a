/**
 * Live presence on an opinion draft over real sockets: who has the draft open
 * and which section each is editing, the notice when a section is saved
 * through the page, and the refusal of anyone who may not edit the draft.
 */
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server";
import type { DraftEditor, DraftSaved } from "~/features/opinions/draft-contracts";
import * as opinionRoute from "~/routes/cases.$caseId.opinion";
import { getDb } from "~/platform/db.server";
import { DEMO_PASSWORD } from "~/seed/seed.server";
import { eventually } from "../support/board";
import { thirdConsultant, wuhanCaseInReview } from "../support/opinion-case";
import { post, run, signIn } from "../support/remix";

type Who = "physician" | "consultant" | "consultant2" | "consultant3" | "coordinator";
const ids = {} as Record<Who, string>;
const cookies = {} as Record<Who, string>;
let server: RunningServer;
let base: string;
const sockets: Socket[] = [];
let caseId: string;
let opinionId: string;

type DraftClient = {
  socket: Socket;
  presence: DraftEditor[][];
  saved: DraftSaved[];
  closed: string[];
  join: () => Promise<{ ok: boolean }>;
};

async function client(who: Who): Promise<DraftClient> {
  const socket = connect(base, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie: cookies[who] } });
  sockets.push(socket);
  const c: DraftClient = {
    socket,
    presence: [],
    saved: [],
    closed: [],
    join: () =>
      socket.emitWithAck("draft:join", { opinionId }) as Promise<{
        ok: boolean;
      }>,
  };
  socket.on("draft:presence", (p: { opinionId: string; editors: DraftEditor[] }) => c.presence.push(p.editors));
  socket.on("draft:saved", (s: DraftSaved) => c.saved.push(s));
  socket.on("draft:closed", (p: { opinionId: string }) => c.closed.push(p.opinionId));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return c;
}

const act = (who: Who, fields: Record<string, string>) =>
  run(opinionRoute.action, { request: post(`/cases/${caseId}/opinion`, fields, cookies[who]), params: { caseId } });

beforeAll(async () => {
  const db = getDb();
  await thirdConsultant(db);
  for (const who of ["physician", "consultant", "consultant2", "consultant3", "coordinator"] as Who[]) {
    ids[who] = (await db.user.findUniqueOrThrow({ where: { email: `${who}@demo.test` } })).id;
    cookies[who] = await signIn(`${who}@demo.test`);
  }
  caseId = (
    await wuhanCaseInReview(db, { consultantIds: [ids.consultant, ids.consultant3], narratives: [{ key: "question.01", originalText: "是否建议局部治疗？" }] })
  ).id;
  expect((await act("consultant", { intent: "start", origin: "SCRATCH" })).status).toBe(302);
  opinionId = (await db.opinion.findFirstOrThrow({ where: { caseId } })).id;
  server = await startServer({ port: 0, host: "127.0.0.1", ui: "none" });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.close();
});

describe("opinion draft presence", () => {
  it("shows each editor who else is in the draft and which section they are editing, and refuses outsiders", async () => {
    const first = await client("consultant");
    const third = await client("consultant3");
    const outsider = await client("consultant2");
    const physician = await client("physician");
    expect(await first.join()).toEqual({ ok: true });
    expect(await third.join()).toEqual({ ok: true });

    third.socket.emit("draft:editing", { opinionId, section: "plan" });
    await eventually(() => first.presence.some((editors) => editors.some((e) => e.userId === ids.consultant3 && e.section === "plan")));
    const latest = first.presence.at(-1)!;
    expect(latest).toHaveLength(2);
    expect(latest).toContainEqual({ userId: ids.consultant3, name: "Dr. Maria Lopez", section: "plan" });
    expect(latest).toContainEqual({ userId: ids.consultant, name: "Dr. Sarah Miller", section: null });

    expect(await outsider.join()).toEqual({ ok: false });
    expect(await physician.join()).toEqual({ ok: false });
    const denied = await getDb().auditEvent.findMany({ where: { action: "opinion.presence", outcome: "denied", entityId: opinionId } });
    expect(denied.map((d) => d.actorId).sort()).toEqual([ids.consultant2, ids.physician].sort());
    // An editing event from a socket that never joined changes nothing.
    outsider.socket.emit("draft:editing", { opinionId, section: "dissent" });

    const saved = await act("consultant3", {
      intent: "saveSection",
      kind: "english",
      opinionId,
      section: "plan",
      baseVersion: "1",
      content: JSON.stringify({ items: [], summary: "Consolidative SBRT." }),
    });
    expect(saved.status).toBe(200);
    await eventually(() => first.saved.length === 1);
    expect(first.saved[0]).toEqual({ opinionId, section: "plan", version: 2, byUserId: ids.consultant3, byName: "Dr. Maria Lopez" });

    third.socket.emit("draft:leave", { opinionId });
    await eventually(() => first.presence.at(-1)!.length === 1);
    expect(first.presence.at(-1)).toEqual([{ userId: ids.consultant, name: "Dr. Sarah Miller", section: null }]);

    expect(outsider.presence).toEqual([]);
    expect(outsider.saved).toEqual([]);
    expect(physician.presence).toEqual([]);
    expect(physician.saved).toEqual([]);
    expect(first.presence.flat().some((e) => e.userId === ids.consultant2)).toBe(false);
  });

  it("lets a coordinator join to translate", async () => {
    const coordinator = await client("coordinator");
    expect(await coordinator.join()).toEqual({ ok: true });
    await eventually(() => coordinator.presence.some((editors) => editors.some((e) => e.userId === ids.coordinator)));
  });

  it("tells the editors when the draft is signed, and admits no one afterwards", async () => {
    const editor = await client("consultant3");
    expect(await editor.join()).toEqual({ ok: true });
    const bodies = {
      diagnosis: { diagnosis: { agreement: "AGREE", comment: "" }, stage: { agreement: "AGREE", comment: "" }, comment: "" },
      plan: {
        items: [{ treatment: "SBRT", regimen: "", intent: "CURATIVE", priority: 1, evidence: { system: "NCCN", level: "2A" }, rationale: "" }],
        summary: "",
      },
      answers: { items: [{ questionKey: "question.01", answer: "Yes." }] },
    };
    for (const [section, body] of Object.entries(bodies)) {
      const version = (await getDb().opinionSection.findFirstOrThrow({ where: { opinionId, name: section } })).version;
      expect(
        (await act("consultant", { intent: "saveSection", kind: "english", opinionId, section, baseVersion: String(version), content: JSON.stringify(body) }))
          .status,
      ).toBe(200);
    }
    const reviewed = Object.fromEntries((await getDb().opinionSection.findMany({ where: { opinionId } })).map((s) => [s.name, s.version]));
    expect((await act("consultant", { intent: "sign", opinionId, password: DEMO_PASSWORD, reviewedVersions: JSON.stringify(reviewed) })).status).toBe(302);
    await eventually(() => editor.closed.includes(opinionId));
    expect(await (await client("consultant")).join()).toEqual({ ok: false });
  });
});
