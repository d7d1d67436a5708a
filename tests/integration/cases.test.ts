import { describe, expect, it } from "vitest";
import * as assignRoute from "~/routes/cases.$caseId.assign";
import * as caseRoute from "~/routes/cases.$caseId._index";
import * as editRoute from "~/routes/cases.$caseId.edit";
import * as casesList from "~/routes/cases._index";
import * as newCase from "~/routes/cases.new";
import * as queue from "~/routes/queue";
import { getDb } from "~/platform/db.server";
import { FIRST_ENTRY, packetForm, without } from "../support/case-packet";
import { get, post, run, signIn } from "../support/remix";

async function createDraft(cookie: string): Promise<string> {
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, cookie) });
  expect(created.status).toBe(302);
  return /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location") ?? "")![1];
}

async function version(caseId: string) {
  return String((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).version);
}

function edit(caseId: string, cookie: string, fields: Record<string, string | string[]>) {
  return run(editRoute.action, { request: post(`/cases/${caseId}/edit`, fields, cookie), params: { caseId } });
}

function view(caseId: string, cookie: string) {
  return run(caseRoute.loader, { request: get(`/cases/${caseId}`, cookie), params: { caseId } });
}

function act(caseId: string, cookie: string, fields: Record<string, string>) {
  return run(caseRoute.action, { request: post(`/cases/${caseId}`, fields, cookie), params: { caseId } });
}

describe("the case packet from draft to review", () => {
  it("creates a draft with a pseudonymous code and saves it, refusing a stale version", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await createDraft(physician);
    const created = await getDb().case.findUniqueOrThrow({ where: { id: caseId } });
    expect(created.code).toMatch(/^TB-\d{4}-\d{4,}$/);
    expect(created.status).toBe("DRAFT");

    const saved = await edit(caseId, physician, { ...without(packetForm(), "consent"), intent: "save", version: await version(caseId) });
    expect(saved.status).toBe(200);
    expect(saved.data.savedAt).toBeTruthy();
    const stored = await getDb().case.findUniqueOrThrow({ where: { id: caseId }, include: { biomarkers: true, narratives: true } });
    expect(stored).toMatchObject({ icd10Code: "C34.1", ecog: 1, ageAtSubmission: 61 });
    expect(JSON.parse(stored.staging)).toMatchObject({ system: "AJCC8", edition: 8, t: "T2a", group: "IVB" });
    expect(stored.biomarkers).toMatchObject([{ gene: "MET", vaf: 18.5 }]);
    expect(stored.narratives.map((n) => n.key).sort()).toEqual(["clinicalHistory", "question.01"]);

    const stale = await edit(caseId, physician, { ...packetForm(), intent: "save", version: "1" });
    expect(stale.status).toBe(409);
    expect(stale.data.formError).toBe("cases:errors.versionConflict");
  });

  it("blocks submission without consent or with patient identifiers, keeping what was typed", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await createDraft(physician);
    const noConsent = await edit(caseId, physician, { ...without(packetForm(), "consent"), intent: "submit", version: await version(caseId) });
    expect(noConsent.status).toBe(400);
    expect(noConsent.data.result.error).toMatchObject({
      consentDate: ["cases:errors.consentDateRequired"],
      consentRecipientInstitutionId: ["cases:errors.consentRecipientRequired"],
    });
    expect((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).status).toBe("DRAFT");
    expect((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).icd10Code).toBe("C34.1");

    const identified = await edit(caseId, physician, {
      ...packetForm({ clinicalHistory: "患者王某，身份证11010519491231002X，手机13800138000。" }),
      intent: "submit",
      version: String(noConsent.data.version),
    });
    expect(identified.status).toBe(400);
    expect(identified.data.result.error.clinicalHistory).toEqual(expect.arrayContaining(["cases:errors.identifierResidentId", "cases:errors.identifierPhone"]));
    expect((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).status).toBe("DRAFT");
  });

  it("walks submit → return with a reason → resubmit → assign → review, auditing every step", async () => {
    const physician = await signIn("physician@demo.test");
    const coordinator = await signIn("coordinator@demo.test");
    const consultant = await signIn("consultant@demo.test");
    const caseId = await createDraft(physician);

    const submitted = await edit(caseId, physician, { ...packetForm(), intent: "submit", version: await version(caseId) });
    expect(submitted.status).toBe(302);
    const afterSubmit = await getDb().case.findUniqueOrThrow({ where: { id: caseId }, include: { consent: true } });
    expect(afterSubmit.status).toBe("SUBMITTED");
    expect(afterSubmit.dueAt!.getTime() - afterSubmit.submittedAt!.getTime()).toBe(7 * 86_400_000);
    expect(afterSubmit.consent).toMatchObject({ recipientInstitutionId: "demo-pacific", form: "WRITTEN" });

    const board = await view(caseId, coordinator);
    expect(board.status).toBe(200);
    expect(board.data.may.actions.sort()).toEqual(["return", "triage"]);
    expect(board.data.checklist).toEqual(
      expect.arrayContaining([
        { item: "consent", ok: true },
        { item: "translations", ok: false, detail: ["clinicalHistory", "question.01"] },
      ]),
    );

    expect((await act(caseId, coordinator, { intent: "return", reason: " " })).data.error).toBe("cases:errors.reasonRequired");
    expect((await act(caseId, coordinator, { intent: "return", reason: "请补充病理报告" })).status).toBe(302);
    const returned = await view(caseId, physician);
    expect(returned.data.detail).toMatchObject({ status: "RETURNED", returnReason: "请补充病理报告" });

    expect((await edit(caseId, physician, { ...packetForm(), intent: "submit", version: await version(caseId) })).status).toBe(302);
    expect(
      (
        await act(caseId, coordinator, {
          intent: "translate",
          key: "clinicalHistory",
          text: "Presented with cough in March 2026; biopsy: adenocarcinoma.",
          status: "REVIEWED",
        })
      ).data.error,
    ).toBeNull();

    const consultants = await run(assignRoute.loader, { request: get(`/cases/${caseId}/assign`, coordinator), params: { caseId } });
    expect(consultants.data.specialty).toBe("THORACIC_ONCOLOGY");
    expect(consultants.data.consultants.map((c: { displayName: string }) => c.displayName)).toEqual(["Dr. David Park"]);
    const me = await getDb().user.findUniqueOrThrow({ where: { email: "consultant@demo.test" } });
    const assigned = await run(assignRoute.action, {
      request: post(`/cases/${caseId}/assign`, { primaryId: me.id, dueDate: "2030-01-15" }, coordinator),
      params: { caseId },
    });
    expect(assigned.status).toBe(302);
    expect((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).status).toBe("TRIAGED");

    const review = await view(caseId, consultant);
    expect(review.status).toBe(200);
    expect(review.data.detail.narratives.find((n: { key: string }) => n.key === "clinicalHistory")).toMatchObject({
      originalLanguage: "zh-CN",
      translationText: "Presented with cough in March 2026; biopsy: adenocarcinoma.",
      translationStatus: "REVIEWED",
      translatedBy: "Emily Zhang 张艾米",
    });
    expect((await act(caseId, consultant, { intent: "startReview" })).status).toBe(302);
    expect((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).status).toBe("IN_REVIEW");

    const actions = (await getDb().auditEvent.findMany({ where: { entityType: "Case", entityId: caseId } })).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(["case.create", "case.saveDraft", "case.submit", "case.return", "case.translate", "case.triage", "case.startReview", "case.view"]),
    );
    const transitions = await getDb().caseTransition.findMany({ where: { caseId }, orderBy: { occurredAt: "asc" } });
    expect(transitions.map((t) => t.toStatus)).toEqual(["DRAFT", "SUBMITTED", "RETURNED", "SUBMITTED", "TRIAGED", "IN_REVIEW"]);
  });
});

describe("case access", () => {
  it("answers 404 to everyone who may not see a case, and audits it", async () => {
    const physician = await signIn("physician@demo.test");
    const caseId = await createDraft(physician);
    await edit(caseId, physician, { ...packetForm(), intent: "submit", version: await version(caseId) });

    for (const email of ["physician2@demo.test", "consultant@demo.test", "consultant2@demo.test", "admin@demo.test"]) {
      const cookie = await signIn(email);
      const result = await view(caseId, cookie);
      expect(result.status, email).toBe(404);
      const user = await getDb().user.findUniqueOrThrow({ where: { email } });
      const denial = await getDb().auditEvent.findFirst({ where: { actorId: user.id, action: "access.denied" }, orderBy: { id: "desc" } });
      expect(JSON.parse(denial!.details)).toMatchObject({ caseId, status: 404 });
    }
    expect((await view(caseId, await signIn("coordinator@demo.test"))).status).toBe(200);
    expect((await view("no-such-case", await signIn("coordinator@demo.test"))).status).toBe(404);
  });

  it("does not let another hospital's physician edit, comment on or act on a case", async () => {
    const physician = await signIn("physician@demo.test");
    const other = await signIn("physician2@demo.test");
    const caseId = await createDraft(physician);
    expect((await edit(caseId, other, { ...packetForm(), intent: "save", version: await version(caseId) })).status).toBe(404);
    expect((await act(caseId, other, { intent: "withdraw", reason: "x" })).status).toBe(404);
    expect((await act(caseId, other, { intent: "comment", body: "hello", language: "en" })).status).toBe(404);
    expect((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).status).toBe("DRAFT");
  });

  it("scopes each role's list: own institution, assigned cases, everything submitted, metadata only for admins", async () => {
    const list = async (email: string, route: typeof casesList | typeof queue, path: string) =>
      (await run(route.loader, { request: get(path, await signIn(email)) })).data.list;
    const wuhan = await list("physician@demo.test", casesList, "/cases");
    expect(wuhan.rows.every((r: { institution: { nameEn: string } }) => r.institution.nameEn.startsWith("Wuhan"))).toBe(true);
    const hangzhou = await list("physician2@demo.test", casesList, "/cases");
    expect(hangzhou.rows.map((r: { code: string }) => r.code)).not.toEqual(expect.arrayContaining(wuhan.rows.map((r: { code: string }) => r.code)));
    const assigned = await list("consultant@demo.test", queue, "/queue");
    expect(assigned.rows.length).toBeGreaterThan(0);
    for (const row of assigned.rows)
      expect(row.assignments.map((a: { consultant: { displayName: string } }) => a.consultant.displayName)).toContain("Dr. Sarah Miller");
    const metadata = await list("admin@demo.test", casesList, "/cases?q=TB");
    expect(metadata.clinical).toBe(false);
    expect(metadata.rows.length).toBeGreaterThan(0);
    for (const row of metadata.rows) {
      expect(row.primarySite).toBeUndefined();
      expect(row.histology).toBeUndefined();
      expect(row.status).not.toBe("DRAFT");
    }
    const searched = await list("physician@demo.test", casesList, "/cases?q=C34.3");
    expect(searched.rows.map((r: { icd10Code: string }) => r.icd10Code)).toEqual(["C34.3"]);
  });
});
