import { beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "~/platform/canonical-json";
import { emptyOpinion } from "~/features/opinions/opinion-content";
import { indexCase } from "~/features/search-reports/search.server";
import * as editRoute from "~/routes/cases.$caseId.edit";
import * as newCase from "~/routes/cases.new";
import * as searchRoute from "~/routes/search";
import { getDb } from "~/platform/db.server";
import { FIRST_ENTRY, packetForm } from "../support/case-packet";
import { get, post, run, signIn } from "../support/remix";

const cookies: Record<string, string> = {};
const ids = { wuhan: "", hangzhou: "", draft: "", opinion: "" };

async function createDraft(cookie: string): Promise<string> {
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, cookie) });
  return /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location") ?? "")![1];
}

async function edit(caseId: string, cookie: string, fields: Record<string, string | string[]>, intent: "save" | "submit") {
  const version = String((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).version);
  const result = await run(editRoute.action, { request: post(`/cases/${caseId}/edit`, { ...fields, intent, version }, cookie), params: { caseId } });
  expect(result.status, JSON.stringify(result.data)).toBeLessThan(400);
}

async function search(who: string, params: Record<string, string>) {
  const result = await run(searchRoute.loader, { request: get(`/search?${new URLSearchParams(params)}`, cookies[who]) });
  return result;
}

async function foundIds(who: string, params: Record<string, string>): Promise<string[]> {
  const result = await search(who, params);
  expect(result.status, JSON.stringify(result.data)).toBe(200);
  return result.data.result.hits.map((h: { id: string }) => h.id);
}

beforeAll(async () => {
  const db = getDb();
  for (const who of ["physician", "physician2", "consultant", "consultant2", "coordinator"]) cookies[who] = await signIn(`${who}@demo.test`);
  const consultant2 = await db.user.findUniqueOrThrow({ where: { email: "consultant2@demo.test" } });
  const coordinator = await db.user.findUniqueOrThrow({ where: { email: "coordinator@demo.test" } });

  ids.wuhan = await createDraft(cookies.physician);
  await edit(
    ids.wuhan,
    cookies.physician,
    packetForm({ clinicalHistory: "2026年3月确诊右肺肺癌，伴骨转移，检索标记wuhanmarker。", "biomarkers[0].gene": "EGFR" }),
    "submit",
  );
  await db.case.update({ where: { id: ids.wuhan }, data: { submittedAt: new Date("2026-03-10T12:00:00Z") } });
  await db.caseAssignment.create({ data: { caseId: ids.wuhan, consultantId: consultant2.id, role: "PRIMARY", assignedById: coordinator.id } });

  ids.hangzhou = await createDraft(cookies.physician2);
  await edit(
    ids.hangzhou,
    cookies.physician2,
    packetForm({ clinicalHistory: "既往诊断肺癌，现淋巴结肿大，检索标记hangzhoumarker。", "biomarkers[0].gene": "ALK" }),
    "submit",
  );
  await db.case.update({ where: { id: ids.hangzhou }, data: { cancerType: "LYMPHOMA", submittedAt: new Date("2026-05-20T12:00:00Z") } });
  await indexCase(db, ids.hangzhou);

  const content = emptyOpinion([]);
  content.plan.en.summary = "Start osimertinib 80 mg once daily and reassess with CT after two cycles.";
  content.plan.zh = { items: [], summary: "开始奥希替尼每日80毫克，两个周期后复查CT。" };
  content.diagnosis.en.diagnosis.agreement = "NEED_MORE_INFORMATION";
  content.trials.en.items = [{ description: "", registryId: "NCT04035486" }];
  content.answers.en.items = [{ questionKey: "question.01", answer: "" }];
  const opinion = await db.opinion.create({
    data: {
      caseId: ids.wuhan,
      version: 1,
      status: "SIGNED",
      origin: "SCRATCH",
      signedContent: canonicalJson(content),
      contentHash: "0".repeat(64),
      signedById: consultant2.id,
      signedAt: new Date(),
      createdById: consultant2.id,
    },
  });
  ids.opinion = opinion.id;
  await indexCase(db, ids.wuhan);
});

describe("archive search", () => {
  it("finds a case by a two-character Chinese term and by an English word of its opinion", async () => {
    const byChinese = await foundIds("coordinator", { q: "肺癌" });
    expect(byChinese).toEqual(expect.arrayContaining([ids.wuhan, ids.hangzhou]));

    const byOpinion = await search("coordinator", { q: "osimertinib" });
    const hit = byOpinion.data.result.hits.find((h: { id: string }) => h.id === ids.wuhan);
    expect(hit).toMatchObject({ opinionId: ids.opinion, matchedCase: false });
    expect(hit.snippet.match).toBe("osimertinib");
    expect(await foundIds("coordinator", { q: "osimer" })).toContain(ids.wuhan);
    const chinesePhrase = await search("coordinator", { q: "周期后复查 奥希替尼" });
    expect(chinesePhrase.data.result.hits).toContainEqual(expect.objectContaining({ id: ids.wuhan, opinionId: ids.opinion }));
    // A phrase of bigrams: the characters apart do not match it.
    expect(await foundIds("coordinator", { q: "复查周期" })).not.toContain(ids.wuhan);
  });

  it("finds an opinion by its trial id but not by its choices or question keys", async () => {
    expect(await foundIds("coordinator", { q: "NCT04035486" })).toContain(ids.wuhan);
    for (const code of ["question", "need_more_information", "information"]) expect(await foundIds("coordinator", { q: code }), code).not.toContain(ids.wuhan);
  });

  it("reads a query of punctuation alone as no query", async () => {
    const result = await search("coordinator", { q: "？？ !!" });
    expect(result.data.result).toBeNull();
  });

  it("finds nothing for a term no document holds", async () => {
    const result = await search("coordinator", { q: "zqxvbnm 龘靐" });
    expect(result.data.result).toMatchObject({ total: 0, hits: [] });
    expect(await foundIds("coordinator", { q: "肺癌 zqxvbnm" })).toEqual([]);
  });

  it("narrows by each filter", async () => {
    const both = (params: Record<string, string>) =>
      foundIds("coordinator", { q: "肺癌", ...params }).then((found) => found.filter((id) => id === ids.wuhan || id === ids.hangzhou));
    const consultant2 = await getDb().user.findUniqueOrThrow({ where: { email: "consultant2@demo.test" } });
    expect(await both({ cancerType: "SOLID" })).toEqual([ids.wuhan]);
    expect(await both({ cancerType: "LYMPHOMA" })).toEqual([ids.hangzhou]);
    expect(await both({ gene: "ALK" })).toEqual([ids.hangzhou]);
    expect(await both({ gene: "EGFR" })).toEqual([ids.wuhan]);
    expect(await both({ institution: "demo-hangzhou" })).toEqual([ids.hangzhou]);
    expect(await both({ consultant: consultant2.id })).toEqual([ids.wuhan]);
    expect(await both({ from: "2026-05-01" })).toEqual([ids.hangzhou]);
    expect(await both({ to: "2026-03-10" })).toEqual([ids.wuhan]);
    expect(await both({ to: "2026-03-09" })).toEqual([]);
  });

  it("answers bad filters with errors in the user's language and does not search", async () => {
    const result = await search("coordinator", { q: "肺癌", cancerType: "NOPE", from: "2026-13-45", institution: "nowhere" });
    expect(result.status).toBe(400);
    expect(result.data.errors).toEqual({ cancerType: "search:errors.cancerType", from: "search:errors.date", institution: "search:errors.institution" });
    expect(result.data.result).toBeNull();
    const reversed = await search("coordinator", { q: "肺癌", from: "2026-05-02", to: "2026-05-01" });
    expect(reversed.data.errors).toEqual({ to: "search:errors.dateOrder" });
    const impossible = await search("coordinator", { q: "肺癌", from: "2026-02-31" });
    expect(impossible.data.errors).toEqual({ from: "search:errors.date" });
  });

  it("shows each role only the cases it may see", async () => {
    expect(await foundIds("physician2", { q: "肺癌" })).toContain(ids.hangzhou);
    expect(await foundIds("physician2", { q: "肺癌" })).not.toContain(ids.wuhan);
    expect(await foundIds("physician2", { q: "wuhanmarker" })).toEqual([]);
    expect(await foundIds("physician", { q: "肺癌" })).not.toContain(ids.hangzhou);
    expect(await foundIds("consultant2", { q: "肺癌" })).toEqual(expect.arrayContaining([ids.wuhan]));
    expect(await foundIds("consultant2", { q: "hangzhoumarker" })).toEqual([]);
    expect(await foundIds("consultant", { q: "wuhanmarker" })).toEqual([]);
  });

  it("matches a physician's search against an opinion only once it is delivered", async () => {
    // (A demo case's own packet mentions osimertinib; only this case's opinion text does here.)
    expect(await foundIds("physician", { q: "osimertinib" })).not.toContain(ids.wuhan);
    expect(await foundIds("consultant2", { q: "osimertinib" })).toContain(ids.wuhan);
    await getDb().opinion.update({ where: { id: ids.opinion }, data: { status: "DELIVERED", deliveredAt: new Date() } });
    try {
      const result = await search("physician", { q: "osimertinib" });
      expect(result.data.result.hits).toContainEqual(expect.objectContaining({ id: ids.wuhan, opinionId: ids.opinion }));
    } finally {
      await getDb().opinion.update({ where: { id: ids.opinion }, data: { status: "SIGNED", deliveredAt: null } });
    }
  });

  it("takes hostile query strings as plain text", async () => {
    for (const q of [
      `"`,
      `*`,
      `NEAR(`,
      `OR`,
      `-`,
      `:`,
      `肺癌" OR "x`,
      `a:* | !b & (c`,
      `'); DROP TABLE "Case"; --`,
      `\\`,
      `^`,
      `NOT osimertinib`,
      `{tokens}: x`,
      "a".repeat(1000),
    ]) {
      const result = await search("coordinator", { q });
      expect(result.status, q).toBe(200);
    }
    expect(await getDb().case.count()).toBeGreaterThan(0);
  });

  it("finds the new text after a packet edit and no longer the old", async () => {
    ids.draft = await createDraft(cookies.physician);
    await edit(ids.draft, cookies.physician, packetForm({ clinicalHistory: "初诊记录 oldwording 甲状旁腺" }), "save");
    expect(await foundIds("physician", { q: "oldwording" })).toEqual([ids.draft]);
    expect(await foundIds("physician", { q: "状旁" })).toEqual([ids.draft]);
    await edit(ids.draft, cookies.physician, packetForm({ clinicalHistory: "修订记录 newwording 胸腺瘤" }), "save");
    expect(await foundIds("physician", { q: "oldwording" })).toEqual([]);
    expect(await foundIds("physician", { q: "状旁" })).toEqual([]);
    expect(await foundIds("physician", { q: "newwording 胸腺" })).toEqual([ids.draft]);
    // A draft is the physician's own: nobody else finds it.
    expect(await foundIds("coordinator", { q: "newwording" })).toEqual([]);
  });

  it("audits each search with its query, filters and result count", async () => {
    await search("coordinator", { q: "hangzhoumarker", gene: "ALK" });
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "search.query" }, orderBy: { id: "desc" } });
    expect(JSON.parse(event.details)).toMatchObject({ query: "hangzhoumarker", filters: { gene: "ALK" }, resultCount: 1, caseIds: [ids.hangzhou] });
  });

  it("shows an empty form without searching when there is no query", async () => {
    const result = await search("physician", {});
    expect(result.status).toBe(200);
    expect(result.data.result).toBeNull();
  });
});
