/** The PIPL export ledger: legal basis per institution, the guard on assignment and scheduling, counting, and the ledger page. */
import { describe, expect, it } from "vitest";
import * as assignRoute from "~/routes/cases.$caseId.assign";
import * as ledgerRoute from "~/routes/compliance.cross-border";
import * as sessionRoute from "~/routes/sessions.$sessionId._index";
import * as editInstitution from "~/routes/admin.institutions.$institutionId";
import { countCrossBorderRead } from "~/features/compliance/cross-border.server";
import { getDb } from "~/platform/db.server";
import { boardChairedBy } from "../support/board";
import { get, post, run, signIn } from "../support/remix";

const thisYear = Number(new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Shanghai", year: "numeric" }).format(new Date()));
const noBasis = { crossBorderBasis: null, crossBorderReference: null, crossBorderDate: null };

/** A case of the institution just submitted: nobody abroad can read it yet. */
async function submittedCase(institutionId: string) {
  const db = getDb();
  const found = await db.case.findFirstOrThrow({ where: { institutionId, status: { notIn: ["DRAFT", "SCHEDULED"] } }, orderBy: { createdAt: "asc" } });
  await db.caseAssignment.deleteMany({ where: { caseId: found.id } });
  await db.agendaItem.deleteMany({ where: { caseId: found.id } });
  await db.crossBorderExport.deleteMany({ where: { caseId: found.id } });
  return db.case.update({ where: { id: found.id }, data: { status: "SUBMITTED" } });
}

async function assign(caseId: string, consultantEmail: string) {
  const consultant = await getDb().user.findUniqueOrThrow({ where: { email: consultantEmail } });
  return run(assignRoute.action, {
    request: post(`/cases/${caseId}/assign`, { primaryId: consultant.id, dueDate: "2030-01-15" }, await signIn("coordinator@demo.test")),
    params: { caseId },
  });
}

describe("the PIPL export ledger", () => {
  it("refuses to assign a case abroad while its hospital has no legal basis, says why in the reader's language, and audits it", async () => {
    const db = getDb();
    const original = await db.institution.findUniqueOrThrow({ where: { id: "demo-wuhan" } });
    await db.institution.update({ where: { id: "demo-wuhan" }, data: noBasis });
    try {
      const wuhanCase = await submittedCase("demo-wuhan");
      const refused = await assign(wuhanCase.id, "consultant@demo.test");
      expect(refused.status).toBe(400);
      expect(refused.data.error).toBe("cases:errors.crossBorderNoBasis");
      expect(await db.caseAssignment.count({ where: { caseId: wuhanCase.id } })).toBe(0);
      expect((await db.case.findUniqueOrThrow({ where: { id: wuhanCase.id } })).status).toBe("SUBMITTED");
      expect(await db.crossBorderExport.count({ where: { caseId: wuhanCase.id } })).toBe(0);
      const audit = await db.auditEvent.findFirstOrThrow({ where: { entityId: wuhanCase.id, action: "case.triage" }, orderBy: { id: "desc" } });
      expect(audit.outcome).toBe("denied");
    } finally {
      await db.institution.update({
        where: { id: "demo-wuhan" },
        data: { crossBorderBasis: original.crossBorderBasis, crossBorderReference: original.crossBorderReference, crossBorderDate: original.crossBorderDate },
      });
    }
  });

  it("counts a case once per year when it is assigned abroad, and again when a consultant abroad reads it in a later year", async () => {
    const db = getDb();
    const wuhanCase = await submittedCase("demo-wuhan");
    const before = await db.crossBorderExport.count({ where: { institutionId: "demo-wuhan", year: thisYear } });
    expect((await assign(wuhanCase.id, "consultant@demo.test")).status).toBe(302);
    expect(await db.crossBorderExport.findMany({ where: { caseId: wuhanCase.id }, select: { institutionId: true, year: true } })).toEqual([
      { institutionId: "demo-wuhan", year: thisYear },
    ]);
    const consultant = await db.user.findUniqueOrThrow({ where: { email: "consultant@demo.test" } });
    await countCrossBorderRead(db, { readerId: consultant.id, caseId: wuhanCase.id });
    expect(await db.crossBorderExport.count({ where: { institutionId: "demo-wuhan", year: thisYear } })).toBe(before + 1);

    const nextYear = new Date(`${thisYear + 1}-03-01T00:00:00+08:00`);
    await countCrossBorderRead(db, { readerId: consultant.id, caseId: wuhanCase.id, now: nextYear });
    expect(await db.crossBorderExport.count({ where: { caseId: wuhanCase.id } })).toBe(2);
    // A physician of the same country reading it is not an export.
    const physician = await db.user.findUniqueOrThrow({ where: { email: "physician@demo.test" } });
    await countCrossBorderRead(db, { readerId: physician.id, caseId: wuhanCase.id, now: new Date(`${thisYear + 2}-03-01T00:00:00+08:00`) });
    expect(await db.crossBorderExport.count({ where: { caseId: wuhanCase.id } })).toBe(2);
  });

  it("refuses to put a case on a board with consultants abroad while its hospital has no legal basis", async () => {
    const db = getDb();
    const original = await db.institution.findUniqueOrThrow({ where: { id: "demo-hangzhou" } });
    const coordinator = await db.user.findUniqueOrThrow({ where: { email: "coordinator@demo.test" } });
    const chair = await db.user.findUniqueOrThrow({ where: { email: "consultant@demo.test" } });
    const hangzhouCase = await db.case.findFirstOrThrow({ where: { institutionId: "demo-hangzhou", status: { not: "DRAFT" } } });
    await db.case.update({ where: { id: hangzhouCase.id }, data: { status: "IN_REVIEW" } });
    const session = await boardChairedBy(db, { title: "Ledger board", chairId: chair.id, createdById: coordinator.id });
    const add = async () =>
      run(sessionRoute.action, {
        request: post(`/sessions/${session.id}`, { intent: "addCase", caseId: hangzhouCase.id }, await signIn("coordinator@demo.test")),
        params: { sessionId: session.id },
      });
    await db.institution.update({ where: { id: "demo-hangzhou" }, data: noBasis });
    try {
      const refused = await add();
      expect(refused.status).toBe(400);
      expect(refused.data.error).toBe("cases:errors.crossBorderNoBasis");
      expect(await db.agendaItem.count({ where: { sessionId: session.id } })).toBe(0);
    } finally {
      await db.institution.update({
        where: { id: "demo-hangzhou" },
        data: { crossBorderBasis: original.crossBorderBasis, crossBorderReference: original.crossBorderReference, crossBorderDate: original.crossBorderDate },
      });
    }
    expect((await add()).status).toBe(200);
    expect(await db.crossBorderExport.count({ where: { caseId: hangzhouCase.id, year: thisYear } })).toBe(1);
  });

  it("lets an administrator record the basis with its number and date, and refuses half of one", async () => {
    const admin = await signIn("admin@demo.test");
    const institution = await getDb().institution.findUniqueOrThrow({ where: { id: "demo-hangzhou" } });
    const form = {
      nameEn: institution.nameEn,
      nameZh: institution.nameZh,
      country: "CN",
      timeZone: "Asia/Shanghai",
      kind: "TREATING",
      active: "on",
      aeTitles: "",
    };
    const save = (fields: Record<string, string>) =>
      run(editInstitution.action, {
        request: post(`/admin/institutions/${institution.id}`, { ...form, ...fields }, admin),
        params: { institutionId: institution.id },
      });
    const half = await save({ crossBorderBasis: "SECURITY_ASSESSMENT" });
    expect(half.status).toBe(400);
    expect(half.data.result.error).toMatchObject({
      crossBorderReference: ["admin:errors.crossBorderReferenceRequired"],
      crossBorderDate: ["admin:errors.crossBorderDateRequired"],
    });
    const future = await save({ crossBorderBasis: "SECURITY_ASSESSMENT", crossBorderReference: "CAC-2026-17", crossBorderDate: `${thisYear + 1}-01-01` });
    expect(future.data.result.error.crossBorderDate).toEqual(["admin:errors.crossBorderDateInvalid"]);
    expect(await getDb().institution.findUniqueOrThrow({ where: { id: institution.id } })).toMatchObject({ crossBorderBasis: "STANDARD_CONTRACT" });

    expect((await save({ crossBorderBasis: "SECURITY_ASSESSMENT", crossBorderReference: "CAC-2026-17", crossBorderDate: "2026-02-01" })).status).toBe(302);
    expect(await getDb().institution.findUniqueOrThrow({ where: { id: institution.id } })).toMatchObject({
      crossBorderBasis: "SECURITY_ASSESSMENT",
      crossBorderReference: "CAC-2026-17",
      crossBorderDate: new Date("2026-02-01T00:00:00Z"),
    });
  });

  it("shows coordinators and administrators each hospital's count against the threshold, and nobody else", async () => {
    const page = await run(ledgerRoute.loader, { request: get("/compliance/cross-border?year=1999", await signIn("coordinator@demo.test")) });
    expect(page.status).toBe(200);
    expect(page.data.year).toBe(thisYear);
    expect(page.data.threshold).toBe(10_000);
    const wuhan = page.data.rows.find((r: { institutionId: string }) => r.institutionId === "demo-wuhan");
    const counted = await getDb().crossBorderExport.count({ where: { institutionId: "demo-wuhan", year: thisYear } });
    expect(wuhan).toMatchObject({ basis: "STANDARD_CONTRACT", count: counted, level: "ok" });
    expect(page.data.rows.map((r: { institutionId: string }) => r.institutionId)).not.toContain("demo-pacific");
    expect((await run(ledgerRoute.loader, { request: get("/compliance/cross-border", await signIn("admin@demo.test")) })).status).toBe(200);
    for (const email of ["physician@demo.test", "consultant@demo.test"])
      expect((await run(ledgerRoute.loader, { request: get("/compliance/cross-border", await signIn(email)) })).status, email).toBe(403);
  });
});
