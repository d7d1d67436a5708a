/**
 * Drafts of a case packet on the server: a case is created by its first save that holds something, no save stores a
 * patient identifier (the rest of the packet is saved, the refused field keeps its last clean text), and an empty draft
 * is deleted by its author while one with content keeps the withdraw step.
 */
import { describe, expect, it } from "vitest";
import * as caseRoute from "~/routes/cases.$caseId._index";
import * as editRoute from "~/routes/cases.$caseId.edit";
import * as newCase from "~/routes/cases.new";
import { hashPassword } from "~/features/identity/password.server";
import { getDb } from "~/platform/db.server";
import { DEMO_PASSWORD } from "~/seed/seed.server";
import { FIRST_ENTRY, packetForm } from "../support/case-packet";
import { get, post, run, signIn } from "../support/remix";

const PHONE = "138 0013 8000";
const EMAIL = "li.wei@hospital.cn";

async function createDraft(cookie: string): Promise<string> {
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, cookie) });
  expect(created.status).toBe(302);
  return /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location") ?? "")![1];
}

async function save(caseId: string, cookie: string, fields: Record<string, string | string[]>, intent = "autosave") {
  const { version } = await getDb().case.findUniqueOrThrow({ where: { id: caseId } });
  return run(editRoute.action, { request: post(`/cases/${caseId}/edit`, { ...fields, intent, version: String(version) }, cookie), params: { caseId } });
}

const stored = (caseId: string) =>
  getDb().case.findUniqueOrThrow({
    where: { id: caseId },
    omit: { imagingBytes: true },
    include: { narratives: true, biomarkers: true, treatmentLines: true, consent: true },
  });
const narrative = async (caseId: string, key: string) => (await stored(caseId)).narratives.find((n) => n.key === key)?.originalText;
const lastAudit = (caseId: string, action: string) =>
  getDb().auditEvent.findFirstOrThrow({ where: { entityType: "Case", entityId: caseId, action }, orderBy: { id: "desc" } });

describe("a new case", () => {
  it("is created by the first save that holds something, not by opening the form or saving nothing", async () => {
    const physician = await signIn("physician@demo.test");
    const before = await getDb().case.count();
    expect((await run(newCase.loader, { request: get("/cases/new", physician) })).status).toBe(200);
    const untouched = { narrativeLanguage: "zh-CN", urgency: "ROUTINE", "questions[0]": "", intent: "autosave" };
    const nothing = await run(newCase.action, { request: post("/cases/new", untouched, physician) });
    expect(nothing.status).toBe(400);
    expect(nothing.data.formError).toBe("cases:errors.nothingToSave");
    const onlyAPhone = await run(newCase.action, { request: post("/cases/new", { ...untouched, clinicalHistory: `家属电话 ${PHONE}` }, physician) });
    expect(onlyAPhone.status).toBe(400);
    expect(onlyAPhone.data.refused).toEqual({ clinicalHistory: ["cases:errors.identifierPhone"] });
    expect(await getDb().case.count()).toBe(before);

    const autosaved = await run(newCase.action, { request: post("/cases/new", { ...untouched, ...FIRST_ENTRY, histology: "腺癌" }, physician) });
    expect(autosaved.status).toBe(200);
    const created = await getDb().case.findUniqueOrThrow({ where: { id: autosaved.data.caseId }, include: { transitions: true } });
    expect(created).toMatchObject({ status: "DRAFT", ageAtSubmission: 61, histology: "腺癌", version: autosaved.data.version });
    expect(created.code).toMatch(/^TB-\d{4}-\d{4,}$/);
    expect(created.transitions.map((t) => t.action)).toEqual(["create"]);
    expect(JSON.parse((await lastAudit(created.id, "case.create")).details)).toMatchObject({ code: created.code });
    expect(await getDb().case.count()).toBe(before + 1);

    const saved = await run(newCase.action, {
      request: post("/cases/new", { ...FIRST_ENTRY, consentRecipientInstitutionId: "no-such-institution", intent: "save" }, physician),
    });
    expect(saved.status).toBe(302);
    expect(await getDb().case.count()).toBe(before + 2);
    expect(await getDb().consent.count({ where: { recipientInstitutionId: "no-such-institution" } })).toBe(0);
    expect((await run(newCase.loader, { request: get("/cases/new", await signIn("consultant@demo.test")) })).status).toBe(403);
  });
});

describe("saving a draft", () => {
  it("stores everything but the free text holding identifiers, which keeps its last clean text, and says which and why", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await createDraft(physician);
    const clean = packetForm();
    expect((await save(caseId, physician, clean)).data.refused).toEqual({});

    const answer = await save(caseId, physician, {
      ...packetForm({
        histology: "浸润性腺癌",
        clinicalHistory: `${clean.clinicalHistory} 家属电话 ${PHONE}。`,
        "questions[0]": `请回复 ${EMAIL}`,
        "biomarkers[1].gene": "EGFR",
        "biomarkers[1].specimen": `联系 ${PHONE}`,
      }),
    });
    expect(answer.status).toBe(200);
    expect(answer.data.savedAt).toBeTruthy();
    expect(answer.data.refused).toEqual({
      clinicalHistory: ["cases:errors.identifierPhone"],
      "questions[0]": ["cases:errors.identifierEmail"],
      "biomarkers[1].specimen": ["cases:errors.identifierPhone"],
    });
    const after = await stored(caseId);
    expect(after.histology).toBe("浸润性腺癌");
    expect(after.biomarkers.map((b) => [b.gene, b.specimen])).toEqual([
      ["MET", null],
      ["EGFR", null],
    ]);
    expect(await narrative(caseId, "clinicalHistory")).toBe(clean.clinicalHistory);
    expect(await narrative(caseId, "question.01")).toBe(clean["questions[0]"]);
    expect(JSON.stringify(after)).not.toContain(PHONE);
    expect(JSON.stringify(after)).not.toContain(EMAIL);
    expect(JSON.parse((await lastAudit(caseId, "case.saveDraft")).details).refusedFields).toEqual([
      "clinicalHistory",
      "questions[0]",
      "biomarkers[1].specimen",
    ]);

    const explicit = await save(caseId, physician, packetForm({ comorbidities: `高血压。邮箱 ${EMAIL}` }), "save");
    expect(explicit.status).toBe(200);
    expect(explicit.data.refused).toEqual({ comorbidities: ["cases:errors.identifierEmail"] });
    expect(await narrative(caseId, "comorbidities")).toBeUndefined();

    const fixed = await save(caseId, physician, packetForm({ clinicalHistory: `${clean.clinicalHistory} 家属可随诊。` }));
    expect(fixed.data.refused).toEqual({});
    expect(await narrative(caseId, "clinicalHistory")).toBe(`${clean.clinicalHistory} 家属可随诊。`);
  });

  it("does not keep an identifier a draft stored before saves refused them", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await createDraft(physician);
    await save(caseId, physician, packetForm());
    await getDb().narrativeField.updateMany({ where: { caseId, key: "clinicalHistory" }, data: { originalText: `旧稿 ${PHONE}` } });

    const answer = await save(caseId, physician, packetForm({ clinicalHistory: `新稿 ${PHONE}` }));
    expect(answer.data.refused).toEqual({ clinicalHistory: ["cases:errors.identifierPhone"] });
    expect(JSON.stringify(await stored(caseId))).not.toContain(PHONE);
  });

  it("names each missing part of the consent on its own field at submission", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await createDraft(physician);
    const { consentDate: _d, consentForm: _f, consentPurpose: _p, consentDataCategories: _c, ...withoutConsent } = packetForm();
    const refused = await save(caseId, physician, withoutConsent, "submit");
    expect(refused.status).toBe(400);
    expect(refused.data.result.error).toMatchObject({
      consentDate: ["cases:errors.consentDateRequired"],
      consentForm: ["cases:errors.consentFormRequired"],
      consentPurpose: ["cases:errors.consentPurposeRequired"],
      consentDataCategories: ["cases:errors.consentDataCategoriesRequired"],
    });
  });
});

describe("an empty draft", () => {
  const view = (caseId: string, cookie: string) => run(caseRoute.loader, { request: get(`/cases/${caseId}`, cookie), params: { caseId } });
  const act = (caseId: string, cookie: string, fields: Record<string, string>) =>
    run(caseRoute.action, { request: post(`/cases/${caseId}`, fields, cookie), params: { caseId } });

  it("is deleted by its author, without a reason and audited; one with content is withdrawn instead, and nobody else deletes it", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await createDraft(physician);
    const { code } = await getDb().case.findUniqueOrThrow({ where: { id: caseId } });

    const withContent = await view(caseId, physician);
    expect(withContent.data.may.deleteDraft).toBe(false);
    expect(withContent.data.may.actions).toContain("withdraw");
    const notEmpty = await act(caseId, physician, { intent: "deleteDraft" });
    expect(notEmpty.data.error).toBe("cases:errors.draftNotEmpty");
    expect(await lastAudit(caseId, "case.deleteDraft")).toMatchObject({ outcome: "denied" });

    expect((await save(caseId, physician, { "questions[0]": "" })).data.savedAt).toBeTruthy();
    const emptied = await view(caseId, physician);
    expect(emptied.data.may.deleteDraft).toBe(true);
    expect(emptied.data.may.actions).not.toContain("withdraw");

    await getDb().user.create({
      data: {
        email: "physician3@demo.test",
        displayName: "Dr. Chen Jing 陈静",
        passwordHash: await hashPassword(DEMO_PASSWORD),
        role: "TREATING_PHYSICIAN",
        institutionId: (await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).institutionId,
        timeZone: "Asia/Shanghai",
      },
    });
    const colleague = await signIn("physician3@demo.test");
    expect((await view(caseId, colleague)).data.may.deleteDraft).toBe(false);
    expect((await act(caseId, colleague, { intent: "deleteDraft" })).data.error).toBe("cases:errors.actionNotAllowed");
    expect((await act(caseId, await signIn("physician2@demo.test"), { intent: "deleteDraft" })).status).toBe(404);

    const deleted = await act(caseId, physician, { intent: "deleteDraft" });
    expect(deleted.status).toBe(302);
    // The case list confirms which draft went.
    expect(deleted.headers.get("location")).toMatch(/^\/cases\?deleted=TB-\d{4}-\d{4}$/);
    expect(await getDb().case.findUnique({ where: { id: caseId } })).toBeNull();
    expect(await getDb().caseTransition.count({ where: { caseId } })).toBe(0);
    const audit = await lastAudit(caseId, "case.deleteDraft");
    expect(audit.outcome).toBe("success");
    expect(JSON.parse(audit.details)).toMatchObject({ code });
    expect((await view(caseId, physician)).status).toBe(404);
  });
});
