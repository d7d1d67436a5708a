/**
 * Two server processes' worth of Socket.IO, on different ports, sharing one
 * PostgreSQL database and one Redis: a board's chat, presence and presenter
 * state go from a client on one server to a client on the other.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server";
import { initialViewerState } from "~/features/imaging/viewer/viewer-state";
import { getDb } from "~/platform/db.server";
import { boardClient, eventually, scheduledBoard, type BoardClient } from "../support/board";
import { signIn } from "../support/remix";

const onPostgres = process.env.TEST_DB === "postgresql";
const servers: RunningServer[] = [];
const clients: BoardClient[] = [];

beforeAll(async () => {
  if (!onPostgres) return;
  const previous = process.env.REDIS_URL;
  process.env.REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
  try {
    for (let i = 0; i < 2; i++) servers.push(await startServer({ port: 0, host: "127.0.0.1", ui: "none" }));
  } finally {
    if (previous === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = previous;
  }
});
afterAll(async () => {
  for (const c of clients) c.close();
  for (const s of servers) await s.close();
});

describe.runIf(onPostgres)("a board across two servers (PostgreSQL + Redis)", () => {
  it("delivers chat, presence and the presenter's viewer state from a client on one server to a client on the other", async () => {
    const { session, wuhanItem, ids } = await scheduledBoard(getDb());
    const [one, two] = servers.map((s) => `http://127.0.0.1:${s.port}`);
    expect(one).not.toBe(two);
    const chair = await boardClient(one, await signIn("consultant@demo.test"));
    const follower = await boardClient(two, await signIn("consultant2@demo.test"));
    clients.push(chair, follower);
    await chair.join(session.id);
    await follower.join(session.id);
    await eventually(() => chair.presence.at(-1)?.length === 2);

    await chair.send(session.id, { type: "start" });
    await chair.send(session.id, { type: "chat", agendaItemId: wuhanItem.id, language: "en", body: "Across servers" });
    await eventually(() => follower.lastSeq === 2);
    expect(follower.events.map((e) => [e.type, e.payload.body ?? null])).toEqual([
      ["start", null],
      ["chat", "Across servers"],
    ]);

    chair.socket.emit("board:view", {
      sessionId: session.id,
      agendaItemId: wuhanItem.id,
      state: { ...initialViewerState("series-1"), slice: 2 },
      pointer: null,
    });
    await eventually(() => follower.views.length === 1);
    expect(follower.views[0]).toMatchObject({ presenterId: ids.chair, state: { slice: 2 } });

    // And back: the follower on the second server writes, the chair on the first receives it.
    await follower.send(session.id, { type: "chat", agendaItemId: wuhanItem.id, language: "zh-CN", body: "收到" });
    await eventually(() => chair.lastSeq === 3);
  });
});
