/**
 * Coded where a code exists: a packet entered in Chinese is stored with ICD-O-3 site and morphology codes, drug codes and
 * coded biomarker results beside what was typed, and the queue and the case page give each reader the codes' titles in
 * their language with the Chinese one click away.
 */
import { describe, expect, it } from "vitest";
import { shownLabel, shownTo, type ClinicalValue } from "~/features/cases/clinical-value";
import * as assignRoute from "~/routes/cases.$caseId.assign";
import * as caseRoute from "~/routes/cases.$caseId._index";
import * as editRoute from "~/routes/cases.$caseId.edit";
import * as newCase from "~/routes/cases.new";
import * as queue from "~/routes/queue";
import { getDb } from "~/platform/db.server";
import { FIRST_ENTRY, packetForm } from "../support/case-packet";
import { get, post, run, signIn } from "../support/remix";

async function createDraft(cookie: string): Promise<string> {
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, cookie) });
  return /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location") ?? "")![1];
}

const version = async (caseId: string) => String((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).version);
const edit = async (caseId: string, cookie: string, fields: Record<string, string | string[]>) =>
  run(editRoute.action, { request: post(`/cases/${caseId}/edit`, { ...fields, version: await version(caseId) }, cookie), params: { caseId } });

const CHINESE_PACKET = packetForm({
  "treatmentLines[0].endDate": "2026-07-01",
  "treatmentLines[0].stopReason": "PROGRESSION",
  "treatmentLines[0].reasonStopped": "新发肝转移",
  "treatmentLines[1].drugs[0]": "奥希替尼",
  "treatmentLines[1].regimen": "80 mg 每日一次",
  "treatmentLines[1].startDate": "2026-07-10",
  "biomarkers[1].gene": "EGFR",
  "biomarkers[1].alterationType": "SEQUENCE_VARIANT",
  "biomarkers[1].hgvs": "p.Leu858Arg",
  "biomarkers[1].method": "PCR",
  "biomarkers[1].resultCode": "POSITIVE",
  "biomarkers[2].gene": "PD-L1",
  "biomarkers[2].alterationType": "EXPRESSION",
  "biomarkers[2].method": "IHC",
  "biomarkers[2].resultValue": "60",
  "biomarkers[2].resultUnit": "TPS",
  "biomarkers[2].specimenType": "TISSUE_BIOPSY",
  "biomarkers[2].specimen": "右肺穿刺组织",
  "biomarkers[2].note": "22C3抗体",
});

const english = (value: ClinicalValue) => shownTo(value, "en", { withCode: true });

describe("coded clinical values", () => {
  it("stores a Chinese packet coded, and an English consultant reads the codes in English in the queue and on the case page", async () => {
    const physician = await signIn("physician@demo.test");
    const coordinator = await signIn("coordinator@demo.test");
    const consultant = await signIn("consultant@demo.test");
    const caseId = await createDraft(physician);

    expect((await edit(caseId, physician, { ...CHINESE_PACKET, intent: "submit" })).status).toBe(302);
    const stored = await getDb().case.findUniqueOrThrow({
      where: { id: caseId },
      include: { treatmentLines: { orderBy: { lineNumber: "asc" } }, biomarkers: { orderBy: { position: "asc" } } },
    });
    expect(stored).toMatchObject({ primarySiteCode: "C34.1", primarySite: "右肺上叶", icdO3Code: "8140/3", histology: "腺癌" });
    expect(stored.treatmentLines).toMatchObject([
      { drugs: '["pemetrexed","carboplatin"]', regimen: "", stopReason: "PROGRESSION", reasonStopped: "新发肝转移" },
      { drugs: '["osimertinib"]', regimen: "80 mg 每日一次" },
    ]);
    expect(stored.biomarkers).toMatchObject([
      { gene: "MET", alterationType: "EXON14_SKIPPING", resultCode: "POSITIVE", vaf: 18.5 },
      { gene: "EGFR", alterationType: "SEQUENCE_VARIANT", hgvs: "p.Leu858Arg", method: "PCR", resultCode: "POSITIVE" },
      { gene: "PD-L1", resultValue: 60, resultUnit: "TPS", specimenType: "TISSUE_BIOPSY", specimen: "右肺穿刺组织", note: "22C3抗体" },
    ]);

    const me = await getDb().user.findUniqueOrThrow({ where: { email: "consultant@demo.test" } });
    const assigned = await run(assignRoute.action, {
      request: post(`/cases/${caseId}/assign`, { primaryId: me.id, dueDate: "2030-01-15" }, coordinator),
      params: { caseId },
    });
    expect(assigned.status).toBe(302);

    const list = (await run(queue.loader, { request: get(`/queue?q=${encodeURIComponent(stored.code)}`, consultant) })).data.list;
    const row = list.rows.find((r: { id: string }) => r.id === caseId);
    expect(english(row.primarySite)).toMatchObject({ first: "C34.1 Upper lobe, lung", original: { text: "右肺上叶", language: "zh-CN", entered: true } });
    expect(english(row.histology)).toMatchObject({ first: "8140/3 Adenocarcinoma, NOS", original: { text: "腺癌" } });
    // The English title of a Chinese case's site finds it.
    const byTitle = (await run(queue.loader, { request: get("/queue?q=upper%20lobe", consultant) })).data.list;
    expect(byTitle.rows.map((r: { id: string }) => r.id)).toContain(caseId);

    const page = await run(caseRoute.loader, { request: get(`/cases/${caseId}`, consultant), params: { caseId } });
    expect(page.status).toBe(200);
    const { detail } = page.data;
    expect(english(detail.primarySiteValue)?.first).toBe("C34.1 Upper lobe, lung");
    expect(english(detail.histologyValue)?.first).toBe("8140/3 Adenocarcinoma, NOS");
    expect(shownTo(detail.treatmentLines[0].regimenValue, "en")).toMatchObject({
      first: "pemetrexed + carboplatin",
      original: { text: "培美曲塞 + 卡铂", entered: false },
    });
    expect(shownTo(detail.treatmentLines[1].regimenValue, "en")).toMatchObject({ first: "osimertinib", original: { text: "80 mg 每日一次", entered: true } });
    expect(shownTo(detail.treatmentLines[1].regimenValue, "zh-CN")?.first).toBe("奥希替尼");
    expect(shownLabel(null, detail.biomarkers[2].note, "en")).toMatchObject({ first: "22C3抗体", untranslated: true });
    const audited = await getDb().auditEvent.findFirst({ where: { entityId: caseId, action: "case.view", actorId: me.id } });
    expect(audited).not.toBeNull();
  });

  it("refuses a site, a drug or an HGVS expression outside its list or syntax, field by field, keeping what was saved", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await createDraft(physician);
    expect((await edit(caseId, physician, { ...CHINESE_PACKET, intent: "save" })).status).toBe(200);
    const before = await getDb().case.findUniqueOrThrow({ where: { id: caseId }, include: { treatmentLines: true, biomarkers: true } });

    const refused = await edit(caseId, physician, {
      ...CHINESE_PACKET,
      primarySiteCode: "右肺上叶尖段",
      "treatmentLines[1].drugs[0]": "奥希替尼80mg",
      "biomarkers[1].hgvs": "L858R",
      intent: "save",
    });
    expect(refused.status).toBe(400);
    expect(refused.data.result.error).toMatchObject({
      primarySiteCode: ["cases:errors.siteNotInList"],
      "treatmentLines[1].drugs[0]": ["cases:errors.drugNotInList"],
      "biomarkers[1].hgvs": ["cases:errors.hgvsInvalid"],
    });
    // The form comes back with what was typed, and the stored packet is untouched.
    expect(refused.data.result.initialValue).toMatchObject({ primarySiteCode: "右肺上叶尖段" });
    const after = await getDb().case.findUniqueOrThrow({ where: { id: caseId }, include: { treatmentLines: true, biomarkers: true } });
    expect(after).toEqual(before);
  });

  it("shows a value typed before codes existed as written, marked untranslated for the English reader", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await createDraft(physician);
    expect((await edit(caseId, physician, { ...CHINESE_PACKET, intent: "save" })).status).toBe(200);
    await getDb().case.update({ where: { id: caseId }, data: { primarySiteCode: null, primarySite: "左颈部淋巴结、胃", icdO3Code: null } });
    const page = await run(caseRoute.loader, { request: get(`/cases/${caseId}`, physician), params: { caseId } });
    expect(english(page.data.detail.primarySiteValue)).toEqual({
      first: "左颈部淋巴结、胃",
      firstLanguage: "zh-CN",
      untranslated: true,
      translatedBy: null,
      original: null,
    });
    expect(english(page.data.detail.histologyValue)).toMatchObject({ first: "腺癌", untranslated: true });
  });
});
