/**
 * The opinion workflow through the opinion page's loader and action and the
 * PDF and FHIR downloads, on a real database: drafting together under
 * per-section versions, translation, sign-off with the password, delivery to
 * the treating physician only, acknowledgement, follow-ups, outcome,
 * amendment and archive. One case goes through the whole path, step by step.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "~/platform/canonical-json";
import { OpinionContentSchema, SECTIONS, type SectionBody, type SectionName } from "~/features/opinions/opinion-content";
import { opinionContentHash } from "~/features/opinions/opinion-hash";
import { translatableStrings } from "~/features/opinions/opinion-translation";
import * as opinionRoute from "~/routes/cases.$caseId.opinion";
import * as fhirRoute from "~/routes/cases.$caseId.opinions.$opinionId.fhir";
import * as pdfRoute from "~/routes/cases.$caseId.opinions.$opinionId.pdf";
import { inHeavySlot } from "~/platform/heavy-requests.server";
import { beginEnrolment, confirmEnrolment } from "~/features/identity/mfa.server";
import { generateSync } from "otplib";
import { getDb } from "~/platform/db.server";
import { ingestDicom } from "~/features/imaging/imaging-ingest.server";
import { initialViewerState } from "~/features/imaging/viewer/viewer-state";
import { objectPath } from "~/platform/storage.server";
import { DEMO_PASSWORD } from "~/seed/seed.server";
import { thirdConsultant, wuhanCaseInReview } from "../support/opinion-case";
import { context, get, post, run, signIn } from "../support/remix";

type Who = "physician" | "physician2" | "consultant" | "consultant2" | "consultant3" | "coordinator" | "admin";
const ids = {} as Record<Who, string>;
const cookies = {} as Record<Who, string>;
const dir = mkdtempSync(path.join(os.tmpdir(), "opinions-test-"));
const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BOARD_SUMMARY = "Board: consolidative SBRT to the adrenal lesion, continue savolitinib.";
const PLAN_TEXT = "Stereotactic radiotherapy to the adrenal metastasis";
const PLAN_ZH = "肾上腺转移灶立体定向放疗";

beforeAll(async () => {
  const db = getDb();
  await thirdConsultant(db);
  const emails: Record<Who, string> = {
    physician: "physician@demo.test",
    physician2: "physician2@demo.test",
    consultant: "consultant@demo.test",
    consultant2: "consultant2@demo.test",
    consultant3: "consultant3@demo.test",
    coordinator: "coordinator@demo.test",
    admin: "admin@demo.test",
  };
  for (const [who, email] of Object.entries(emails) as [Who, string][]) {
    ids[who] = (await db.user.findUniqueOrThrow({ where: { email } })).id;
    cookies[who] = await signIn(email);
  }
});

/** A submitted Wuhan case in review with two questions, assigned to the given consultants (consultant2 is on none of them), optionally discussed at an ended board. */
async function makeCase(options: { consultants?: Who[]; boardSummary?: string; status?: string } = {}): Promise<string> {
  const consultantIds = (options.consultants ?? ["consultant"]).map((who) => ids[who]);
  return (await wuhanCaseInReview(getDb(), { consultantIds, status: options.status, boardSummary: options.boardSummary })).id;
}

const act = (caseId: string, who: Who, fields: Record<string, string | string[]>) =>
  run(opinionRoute.action, { request: post(`/cases/${caseId}/opinion`, fields, cookies[who]), params: { caseId } });
const page = (caseId: string, who: Who) => run(opinionRoute.loader, { request: get(`/cases/${caseId}/opinion`, cookies[who]), params: { caseId } });

/** Calls a download route's loader and keeps the raw Response (the PDF is binary); `search` such as "?lng=zh-CN". */
async function download(route: { loader: unknown }, kind: "pdf" | "fhir", caseId: string, opinionId: string, who: Who, search = ""): Promise<Response> {
  const loader = route.loader as (args: { request: Request; params: Record<string, string>; context: typeof context }) => Promise<Response>;
  try {
    return await loader({
      request: get(`/cases/${caseId}/opinions/${opinionId}/${kind}${search}`, cookies[who]),
      params: { caseId, opinionId },
      context,
    });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function versions(caseId: string) {
  return getDb().opinion.findMany({ where: { caseId }, orderBy: { version: "asc" }, include: { sections: true, recipients: true, followUps: true } });
}
async function sectionVersions(opinionId: string): Promise<Record<SectionName, number>> {
  const rows = await getDb().opinionSection.findMany({ where: { opinionId } });
  return Object.fromEntries(rows.map((r) => [r.name, r.version])) as Record<SectionName, number>;
}
async function section(opinionId: string, name: SectionName) {
  const row = await getDb().opinionSection.findFirstOrThrow({ where: { opinionId, name } });
  return {
    version: row.version,
    content: JSON.parse(row.content) as {
      en: any;
      zh: any;
      translationStatus: string;
      translatedById: string | null;
      translatedAt: string | null;
    },
  };
}
/** A PDF's text as poppler's pdftotext reads it, runs of white space as one space. */
function pdfText(pdf: Buffer, name: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, pdf);
  return execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
}
const caseRow = (caseId: string) => getDb().case.findUniqueOrThrow({ where: { id: caseId } });
const audits = (caseId: string, action: string, outcome = "success") =>
  getDb().auditEvent.findMany({ where: { entityId: caseId, action, outcome }, orderBy: { id: "asc" } });
async function accessDenials(actor: Who, details: Record<string, string>) {
  const rows = await getDb().auditEvent.findMany({ where: { action: "access.denied", actorId: ids[actor] } });
  return rows.filter((r) => Object.entries(details).every(([k, v]) => JSON.parse(r.details)[k] === v));
}

async function saveEnglish<S extends SectionName>(caseId: string, who: Who, opinionId: string, name: S, body: SectionBody<S> | unknown, baseVersion?: number) {
  return act(caseId, who, {
    intent: "saveSection",
    kind: "english",
    opinionId,
    section: name,
    baseVersion: String(baseVersion ?? (await section(opinionId, name)).version),
    content: JSON.stringify(body),
  });
}

/** Translates every English string of a section (each path gets a Chinese string; the plan's treatment gets PLAN_ZH). */
async function translate(caseId: string, who: Who, opinionId: string, name: SectionName, status: "DRAFT" | "REVIEWED") {
  const current = await section(opinionId, name);
  const map = Object.fromEntries(
    translatableStrings(current.content.en, null).map((s, i) => [s.path, name === "plan" && s.path === "items[0].treatment" ? PLAN_ZH : `中文译文${name}${i}`]),
  );
  return act(caseId, who, {
    intent: "translate",
    kind: "translation",
    opinionId,
    section: name,
    baseVersion: String(current.version),
    content: JSON.stringify(map),
    translationStatus: status,
  });
}

const complete: { [S in SectionName]: SectionBody<S> } = {
  diagnosis: {
    diagnosis: { agreement: "AGREE", comment: "" },
    stage: { agreement: "DISAGREE", comment: "The adrenal lesion makes it M1b, not M1c." },
    comment: "Adenocarcinoma with MET exon 14 skipping.",
  },
  plan: {
    items: [
      {
        treatment: PLAN_TEXT,
        regimen: "35 Gy in 5 fractions",
        intent: "CURATIVE",
        priority: 1,
        evidence: { system: "NCCN", level: "2A" },
        rationale: "Oligometastatic disease controlled on savolitinib.",
      },
    ],
    summary: BOARD_SUMMARY,
  },
  workup: { items: ["Contrast-enhanced brain MRI"] },
  trials: { items: [{ description: "MET inhibitor with local therapy", registryId: "NCT04035486" }] },
  references: { items: [{ source: "NCCN", version: "2026.1", section: "NSCLC: limited metastatic disease" }] },
  dissent: { items: [] },
  answers: {
    items: [
      { questionKey: "question.01", answer: "Yes: SBRT to the adrenal lesion." },
      { questionKey: "question.02", answer: "Yes, platinum doublet with pembrolizumab." },
    ],
  },
};

async function sign(caseId: string, who: Who, opinionId: string, password = DEMO_PASSWORD, reviewed?: Record<string, number>) {
  return act(caseId, who, { intent: "sign", opinionId, password, reviewedVersions: JSON.stringify(reviewed ?? (await sectionVersions(opinionId))) });
}

// ---------------------------------------------------------------------------

let caseId: string;
let v1: string;

describe("starting a draft", () => {
  beforeAll(async () => {
    caseId = await makeCase({ consultants: ["consultant", "consultant3"], boardSummary: BOARD_SUMMARY });
  });

  it("keeps consultants not on the case, admins and physicians out, and audits the refusals", async () => {
    const outsider = await act(caseId, "consultant2", { intent: "start", origin: "BOARD" });
    expect([403, 404]).toContain(outsider.status);
    expect((await page(caseId, "consultant2")).status).toBe(404);
    expect((await accessDenials("consultant2", { caseId })).length).toBeGreaterThanOrEqual(2);
    expect((await page(caseId, "admin")).status).toBe(404);
    expect((await act(caseId, "admin", { intent: "start", origin: "SCRATCH" })).status).toBe(404);
    expect(await accessDenials("admin", { caseId })).toHaveLength(2);

    const physician = await act(caseId, "physician", { intent: "start", origin: "SCRATCH" });
    expect(physician.status).toBe(403);
    expect(physician.data.formError).toBe("cases:errors.actionNotAllowed");
    expect(await versions(caseId)).toHaveLength(0);
  });

  it("seeds the plan summary from the board summary, and a second start gives the same draft", async () => {
    const loaded = await page(caseId, "consultant");
    expect(loaded.data.hasBoardSummary).toBe(true);
    expect(loaded.data.may.draft).toBe(true);
    const started = await act(caseId, "consultant", { intent: "start", origin: "BOARD" });
    expect(started.status).toBe(302);
    expect(started.headers.get("location")).toBe(`/cases/${caseId}/opinion`);
    const again = await act(caseId, "consultant3", { intent: "start", origin: "SCRATCH" });
    expect(again.status).toBe(302);
    const stored = await versions(caseId);
    expect(stored).toHaveLength(1);
    v1 = stored[0].id;
    expect(stored[0]).toMatchObject({ version: 1, status: "DRAFT", origin: "BOARD", createdById: ids.consultant });
    expect((await section(v1, "plan")).content.en).toEqual({ items: [], summary: BOARD_SUMMARY });
    expect((await section(v1, "answers")).content.en.items).toEqual([
      { questionKey: "question.01", answer: "" },
      { questionKey: "question.02", answer: "" },
    ]);
    expect(await audits(caseId, "opinion.start")).toHaveLength(1);
  });

  it("creates one draft when two consultants start at the same moment", async () => {
    const raced = await makeCase({ consultants: ["consultant", "consultant3"] });
    const [a, b] = await Promise.all([
      act(raced, "consultant", { intent: "start", origin: "SCRATCH" }),
      act(raced, "consultant3", { intent: "start", origin: "SCRATCH" }),
    ]);
    expect([a.status, b.status]).toEqual([302, 302]);
    const stored = await versions(raced);
    expect(stored).toHaveLength(1);
    expect(stored[0].sections).toHaveLength(SECTIONS.length);
  });

  it("refuses a board start without a board summary", async () => {
    const scratchCase = await makeCase();
    const refused = await act(scratchCase, "consultant", { intent: "start", origin: "BOARD" });
    expect(refused.status).toBe(400);
    expect(refused.data.formError).toBe("opinions:errors.noBoardSummary");
    expect(await versions(scratchCase)).toHaveLength(0);
  });

  it("shows the draft to consultants and the coordinator, but no version to the physician", async () => {
    const consultant = await page(caseId, "consultant3");
    expect(consultant.data.versions.map((v: { id: string }) => v.id)).toEqual([v1]);
    expect((await page(caseId, "coordinator")).data.versions).toHaveLength(1);
    const physician = await page(caseId, "physician");
    expect(physician.status).toBe(200);
    expect(physician.data.versions).toEqual([]);
    expect(physician.data.currentId).toBeNull();
    expect(JSON.stringify(physician.data)).not.toContain(BOARD_SUMMARY);
    expect((await download(pdfRoute, "pdf", caseId, v1, "consultant")).status).toBe(404);
    expect((await download(fhirRoute, "fhir", caseId, v1, "coordinator")).status).toBe(404);
  });
});

describe("drafting together", () => {
  it("keeps both consultants' edits of different sections made on the same version", async () => {
    const base = await sectionVersions(v1);
    expect((await saveEnglish(caseId, "consultant", v1, "workup", complete.workup, base.workup)).status).toBe(200);
    expect((await saveEnglish(caseId, "consultant3", v1, "trials", complete.trials, base.trials)).status).toBe(200);
    expect(await section(v1, "workup")).toMatchObject({ version: base.workup + 1, content: { en: complete.workup } });
    expect(await section(v1, "trials")).toMatchObject({ version: base.trials + 1, content: { en: complete.trials } });
    const rows = await getDb().opinionSection.findMany({ where: { opinionId: v1, name: { in: ["workup", "trials"] } } });
    expect(Object.fromEntries(rows.map((r) => [r.name, r.updatedById]))).toEqual({ workup: ids.consultant, trials: ids.consultant3 });
  });

  it("answers the second save of the same section on the same version with a conflict holding both texts", async () => {
    const base = (await section(v1, "dissent")).version;
    const mine = { items: ["Consultant one would add chemotherapy."] };
    const theirs = { items: ["Consultant three prefers surgery."] };
    expect((await saveEnglish(caseId, "consultant", v1, "dissent", mine, base)).status).toBe(200);
    const conflict = await saveEnglish(caseId, "consultant3", v1, "dissent", theirs, base);
    expect(conflict.status).toBe(409);
    expect(conflict.data.conflict).toMatchObject({
      section: "dissent",
      theirs: { version: base + 1, content: { en: mine }, byName: "Dr. Sarah Miller" },
      yours: { en: theirs },
    });
    expect((await section(v1, "dissent")).content.en).toEqual(mine);

    const merged = { items: [...mine.items, ...theirs.items] };
    expect((await saveEnglish(caseId, "consultant3", v1, "dissent", merged, conflict.data.conflict.theirs.version)).status).toBe(200);
    expect(await section(v1, "dissent")).toMatchObject({ version: base + 2, content: { en: merged } });
    expect(await audits(caseId, "opinion.editConflict")).toHaveLength(1);
    expect(JSON.parse((await audits(caseId, "opinion.editConflict"))[0].details)).toMatchObject({
      opinionId: v1,
      section: "dissent",
      baseVersion: base,
      current: base + 1,
    });
    expect((await audits(caseId, "opinion.editSection")).length).toBeGreaterThanOrEqual(4);
    // Nothing to dissent about in the end: an empty section needs no translation.
    expect((await saveEnglish(caseId, "consultant", v1, "dissent", complete.dissent)).status).toBe(200);
  });

  it("lets exactly one of two simultaneous saves of the same section on the same version land", async () => {
    const base = (await section(v1, "workup")).version;
    const [a, b] = await Promise.all([
      saveEnglish(caseId, "consultant", v1, "workup", { items: ["PET-CT"] }, base),
      saveEnglish(caseId, "consultant3", v1, "workup", { items: ["Adrenal biopsy"] }, base),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const lost = a.status === 409 ? a : b;
    const stored = await section(v1, "workup");
    expect(stored.version).toBe(base + 1);
    expect(stored.content.en).toEqual(lost.data.conflict.theirs.content.en);
    expect(stored.content.en).not.toEqual(lost.data.conflict.yours.en);
    expect((await saveEnglish(caseId, "consultant", v1, "workup", complete.workup, stored.version)).status).toBe(200);
  });

  it("refuses malformed content with errors keyed by field path", async () => {
    const before = await section(v1, "trials");
    const badTrial = await saveEnglish(caseId, "consultant", v1, "trials", { items: [{ description: "A trial", registryId: "NCT123" }] });
    expect(badTrial.status).toBe(400);
    expect(badTrial.data.fieldErrors).toEqual({ "trials.items[0].registryId": ["opinions:errors.trialIdInvalid"] });
    const badLevel = await saveEnglish(caseId, "consultant", v1, "plan", {
      items: [{ treatment: "X", intent: "CURATIVE", evidence: { system: "ESCAT", level: "2A" } }],
      summary: "",
    });
    expect(badLevel.status).toBe(400);
    expect(badLevel.data.fieldErrors).toEqual({ "plan.items[0].evidence.level": ["opinions:errors.evidenceLevelInvalid"] });
    expect(await section(v1, "trials")).toEqual(before);
  });

  it("lets only consultants on the case write the English", async () => {
    const coordinator = await saveEnglish(caseId, "coordinator", v1, "workup", { items: ["Coordinator text"] });
    expect(coordinator.status).toBe(403);
    const physician = await saveEnglish(caseId, "physician", v1, "workup", { items: ["Physician text"] });
    expect(physician.status).toBe(403);
    expect((await saveEnglish(caseId, "consultant2", v1, "workup", { items: ["Outsider text"] })).status).toBe(404);
    expect((await section(v1, "workup")).content.en).toEqual(complete.workup);
  });
});

describe("translation", () => {
  it("keeps the English's items and codes in the Chinese and records the translator", async () => {
    expect((await saveEnglish(caseId, "consultant", v1, "plan", complete.plan)).status).toBe(200);
    const saved = await translate(caseId, "coordinator", v1, "plan", "REVIEWED");
    expect(saved.status).toBe(200);
    const plan = (await section(v1, "plan")).content;
    expect(plan).toMatchObject({ translationStatus: "REVIEWED", translatedById: ids.coordinator });
    expect(plan.translatedAt).toEqual(expect.any(String));
    expect(plan.zh.items).toHaveLength(1);
    expect(plan.zh.items[0]).toMatchObject({ treatment: PLAN_ZH, intent: "CURATIVE", priority: 1, evidence: { system: "NCCN", level: "2A" } });
    expect(plan.en).toEqual(complete.plan);
    expect(await audits(caseId, "opinion.translateSection")).toHaveLength(1);
  });

  it("turns a reviewed translation back to draft when the English changes", async () => {
    const edited = { ...complete.plan, items: [{ ...complete.plan.items[0], rationale: "Oligometastatic; controlled for 2 months on savolitinib." }] };
    expect((await saveEnglish(caseId, "consultant3", v1, "plan", edited)).status).toBe(200);
    const plan = (await section(v1, "plan")).content;
    expect(plan.translationStatus).toBe("DRAFT");
    expect(plan.zh.items[0].treatment).toBe(PLAN_ZH);
    expect((await saveEnglish(caseId, "consultant3", v1, "plan", complete.plan)).status).toBe(200);
    expect((await translate(caseId, "consultant", v1, "plan", "REVIEWED")).status).toBe(200);
    expect((await section(v1, "plan")).content.translationStatus).toBe("REVIEWED");
  });
});

describe("signing", () => {
  it("refuses a wrong password, audits it, and leaves the draft as it was", async () => {
    const wrong = await sign(caseId, "consultant", v1, "not-my-password");
    expect(wrong.status).toBe(400);
    expect(wrong.data.fieldErrors).toEqual({ password: ["opinions:errors.wrongPassword"] });
    expect(JSON.stringify(wrong.data)).not.toContain("not-my-password");
    const denied = await audits(caseId, "opinion.sign", "denied");
    expect(denied).toHaveLength(1);
    expect(denied[0].actorId).toBe(ids.consultant);
    expect((await getDb().opinion.findUniqueOrThrow({ where: { id: v1 } })).status).toBe("DRAFT");
    expect((await caseRow(caseId)).status).toBe("IN_REVIEW");
  });

  it("counts wrong signing passwords on their own: they never slow the consultant's sign-in", async () => {
    for (let i = 0; i < 6; i++)
      await getDb()
        .loginThrottle.updateMany({ where: { key: `sign:${ids.consultant.toLowerCase()}` }, data: { lockedUntil: null } })
        .then(() => sign(caseId, "consultant", v1, `wrong-${i}`));
    expect(await getDb().loginThrottle.count({ where: { key: { startsWith: "email:" } } })).toBe(0);
    expect((await sign(caseId, "consultant", v1, "wrong-again")).data.formError).toBe("opinions:errors.signThrottled");
    await getDb().loginThrottle.deleteMany({});
  });

  it("refuses an incomplete opinion with what is missing, field by field", async () => {
    const incomplete = await sign(caseId, "consultant", v1);
    expect(incomplete.status).toBe(400);
    expect(incomplete.data.formError).toBe("opinions:errors.notReadyToSign");
    expect(incomplete.data.fieldErrors).toMatchObject({
      "diagnosis.diagnosis.agreement": ["opinions:errors.agreementRequired"],
      "answers.question.01": ["opinions:errors.answerRequired"],
      "answers.question.02": ["opinions:errors.answerRequired"],
    });
    expect((await getDb().opinion.findUniqueOrThrow({ where: { id: v1 } })).status).toBe("DRAFT");
  });

  it("refuses a signature on sections that changed since the signer reviewed them", async () => {
    for (const name of ["diagnosis", "references", "answers"] as const)
      expect((await saveEnglish(caseId, "consultant", v1, name, complete[name])).status).toBe(200);
    const reviewed = await sectionVersions(v1);
    expect((await saveEnglish(caseId, "consultant3", v1, "workup", { items: ["Contrast-enhanced brain MRI", "Adrenal biopsy"] })).status).toBe(200);
    const stale = await sign(caseId, "consultant", v1, DEMO_PASSWORD, reviewed);
    expect(stale.status).toBe(409);
    expect(stale.data.formError).toBe("opinions:errors.changedSinceReview");
    expect((await getDb().opinion.findUniqueOrThrow({ where: { id: v1 } })).status).toBe("DRAFT");
    expect((await caseRow(caseId)).status).toBe("IN_REVIEW");
    expect((await saveEnglish(caseId, "consultant3", v1, "workup", complete.workup)).status).toBe(200);
  });

  it("freezes a complete opinion with the hash of its canonical content and moves the case to OPINION_SIGNED", async () => {
    expect((await sign(caseId, "consultant2", v1)).status).toBe(404);
    // A signer with a second factor gives it again: the password alone does not sign.
    const meta = { ip: null, userAgent: "vitest", requestId: null };
    const { secret } = await beginEnrolment(getDb(), { id: ids.consultant, email: "consultant@demo.test" });
    expect(await confirmEnrolment(getDb(), ids.consultant, generateSync({ secret }), meta)).toHaveLength(10);
    const withoutCode = await sign(caseId, "consultant", v1);
    expect(withoutCode.status).toBe(400);
    expect(withoutCode.data.fieldErrors).toEqual({ code: ["auth:mfa.wrongCode"] });
    expect((await getDb().opinion.findUniqueOrThrow({ where: { id: v1 } })).status).toBe("DRAFT");
    const nextCode = generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    const signed = await act(caseId, "consultant", {
      intent: "sign",
      opinionId: v1,
      password: DEMO_PASSWORD,
      code: nextCode,
      reviewedVersions: JSON.stringify(await sectionVersions(v1)),
    });
    expect(signed.status).toBe(302);
    await getDb().user.update({ where: { id: ids.consultant }, data: { mfaSecret: null, mfaEnabledAt: null, mfaLastStep: null } });
    const opinion = await getDb().opinion.findUniqueOrThrow({ where: { id: v1 } });
    expect(opinion).toMatchObject({ status: "SIGNED", signedById: ids.consultant });
    expect(opinion.signedAt).toBeInstanceOf(Date);
    const content = OpinionContentSchema.parse(JSON.parse(opinion.signedContent!));
    expect(content.plan.en).toEqual(complete.plan);
    expect(content.answers.en).toEqual(complete.answers);
    expect(canonicalJson(content)).toBe(opinion.signedContent);
    expect(opinion.contentHash).toBe(opinionContentHash(content));
    expect(opinion.contentHash).toBe(createHash("sha256").update(opinion.signedContent!, "utf8").digest("hex"));
    expect((await caseRow(caseId)).status).toBe("OPINION_SIGNED");
    expect(await getDb().caseTransition.findFirst({ where: { caseId, toStatus: "OPINION_SIGNED" } })).toMatchObject({
      fromStatus: "IN_REVIEW",
      action: "sign",
      actorId: ids.consultant,
    });
    const audited = await audits(caseId, "opinion.sign");
    expect(JSON.parse(audited[0].details)).toMatchObject({ opinionId: v1, contentHash: opinion.contentHash });
    expect(await getDb().notification.count({ where: { userId: ids.coordinator, kind: "opinionSigned", caseId } })).toBe(1);
  });

  it("refuses any later edit of the signed version, and a second signature", async () => {
    const base = (await section(v1, "plan")).version;
    const edit = await saveEnglish(caseId, "consultant", v1, "plan", { ...complete.plan, summary: "Changed after signing" }, base);
    // The case left the drafting states: neither English nor Chinese may be written.
    expect(edit.status).toBe(403);
    expect((await translate(caseId, "coordinator", v1, "workup", "REVIEWED")).status).toBe(403);
    const opinion = await getDb().opinion.findUniqueOrThrow({ where: { id: v1 } });
    expect(OpinionContentSchema.parse(JSON.parse(opinion.signedContent!)).plan.en.summary).toBe(BOARD_SUMMARY);
    expect((await section(v1, "plan")).content.en.summary).toBe(BOARD_SUMMARY);
    expect((await sign(caseId, "consultant3", v1)).status).toBe(409);
  });
});

describe("delivery", () => {
  it("refuses delivery without reviewed translations", async () => {
    const refused = await act(caseId, "coordinator", { intent: "deliver", opinionId: v1, recipient: ids.physician });
    expect(refused.status).toBe(400);
    expect(refused.data.formError).toBe("opinions:errors.notReadyToDeliver");
    expect(refused.data.fieldErrors).toMatchObject({ diagnosis: ["opinions:errors.translationMissing"], workup: ["opinions:errors.translationMissing"] });
    expect(refused.data.fieldErrors.plan).toBeUndefined();
    expect(refused.data.fieldErrors.dissent).toBeUndefined();
    expect((await page(caseId, "coordinator")).data.delivery).toEqual(refused.data.fieldErrors);
  });

  it("lets only the coordinator decide on English only, and only with the confirmation ticked", async () => {
    const decide = { intent: "englishOnly", opinionId: v1, englishOnly: "true", confirm: "on" };
    expect((await act(caseId, "consultant", decide)).status).toBe(403);
    expect((await act(caseId, "physician", decide)).status).toBe(403);
    const unconfirmed = await act(caseId, "coordinator", { intent: "englishOnly", opinionId: v1, englishOnly: "true" });
    expect(unconfirmed.status).toBe(400);
    expect(JSON.stringify(unconfirmed.data)).toContain("opinions:errors.englishOnlyUnconfirmed");
    expect((await getDb().opinion.findUniqueOrThrow({ where: { id: v1 } })).englishOnly).toBe(false);
    expect((await act(caseId, "coordinator", decide)).status).toBe(200);
    expect(await getDb().opinion.findUniqueOrThrow({ where: { id: v1 } })).toMatchObject({ englishOnly: true, englishOnlyById: ids.coordinator });
    expect((await page(caseId, "coordinator")).data.delivery).toEqual({});
  });

  it("refuses, and audits, every recipient who is not a treating physician of the submitting institution", async () => {
    const crafted: [string, string | string[]][] = [
      ["a coordinator", ids.coordinator],
      ["a consultant", ids.consultant],
      ["another institution's physician", ids.physician2],
      ["an email address", "physician@demo.test"],
      ["an unknown id", "cl0000000000000000000000"],
      ["the physician with a coordinator", [ids.physician, ids.coordinator]],
    ];
    for (const [label, recipient] of crafted) {
      const before = (await audits(caseId, "opinion.deliver", "denied")).length;
      const refused = await act(caseId, "coordinator", { intent: "deliver", opinionId: v1, recipient });
      expect(refused.status, label).toBe(403);
      expect(refused.data.fieldErrors, label).toEqual({ recipients: ["opinions:errors.recipientRefused"] });
      const denied = await audits(caseId, "opinion.deliver", "denied");
      expect(denied, label).toHaveLength(before + 1);
      expect(denied.at(-1)!.actorId).toBe(ids.coordinator);
      expect(JSON.parse(denied.at(-1)!.details).rejected, label).toEqual(Array.isArray(recipient) ? [ids.coordinator] : [recipient]);
    }
    expect(await getDb().opinionRecipient.count({ where: { opinionId: v1 } })).toBe(0);
    expect((await caseRow(caseId)).status).toBe("OPINION_SIGNED");
    expect(await getDb().opinion.findUniqueOrThrow({ where: { id: v1 } })).toMatchObject({ status: "SIGNED", deliveredAt: null });
    expect(await audits(caseId, "opinion.deliver")).toHaveLength(0);
  });

  it("lets neither a consultant nor a physician deliver", async () => {
    expect((await act(caseId, "consultant", { intent: "deliver", opinionId: v1, recipient: ids.physician })).status).toBe(403);
    expect((await act(caseId, "physician", { intent: "deliver", opinionId: v1, recipient: ids.physician })).status).toBe(403);
    expect(await getDb().opinionRecipient.count({ where: { opinionId: v1 } })).toBe(0);
  });

  it("delivers to the treating physician, who is notified with a link and no clinical content", async () => {
    const delivered = await act(caseId, "coordinator", { intent: "deliver", opinionId: v1, recipient: ids.physician });
    expect(delivered.status).toBe(302);
    expect((await caseRow(caseId)).status).toBe("DELIVERED");
    const opinion = await getDb().opinion.findUniqueOrThrow({ where: { id: v1 }, include: { recipients: true } });
    expect(opinion).toMatchObject({ status: "DELIVERED", deliveredById: ids.coordinator });
    expect(opinion.recipients.map((r) => r.userId)).toEqual([ids.physician]);
    const notes = await getDb().notification.findMany({ where: { userId: ids.physician, kind: "opinionDelivered" } });
    expect(notes).toHaveLength(1);
    const code = (await caseRow(caseId)).code;
    expect(notes[0]).toMatchObject({ caseId, sessionId: null, params: JSON.stringify({ code }) });
    for (const text of [PLAN_TEXT, BOARD_SUMMARY, "SBRT"]) expect(JSON.stringify(notes[0])).not.toContain(text);
    expect(await getDb().notification.count({ where: { kind: "opinionDelivered", userId: { not: ids.physician } } })).toBe(0);
    expect(await audits(caseId, "opinion.deliver")).toHaveLength(1);
    expect((await act(caseId, "coordinator", { intent: "deliver", opinionId: v1, recipient: ids.physician })).status).toBe(409);
  });

  it("refuses section saves on the delivered version, now that drafting is open again for amendments", async () => {
    const saved = await saveEnglish(caseId, "consultant", v1, "plan", { ...complete.plan, summary: "Edited after delivery" });
    expect(saved.status).toBe(409);
    expect(saved.data.formError).toBe("opinions:errors.notDraft");
    expect((await translate(caseId, "coordinator", v1, "diagnosis", "REVIEWED")).status).toBe(409);
    expect((await section(v1, "plan")).content.en).toEqual(complete.plan);
  });
});

describe("reading the delivered opinion", () => {
  it("shows the physician the delivered version, and the other hospital's physician nothing", async () => {
    const loaded = await page(caseId, "physician");
    expect(loaded.status).toBe(200);
    expect(loaded.data.versions).toHaveLength(1);
    expect(loaded.data.versions[0]).toMatchObject({ id: v1, status: "DELIVERED", englishOnly: true });
    expect(loaded.data.versions[0].content.plan.en).toEqual(complete.plan);
    expect(loaded.data.may).toMatchObject({ acknowledge: true, ask: true, draft: false, manageDelivery: false });
    const viewed = (await audits(caseId, "opinion.view")).filter((a) => a.actorId === ids.physician);
    expect(JSON.parse(viewed.at(-1)!.details)).toMatchObject({ opinionIds: [v1] });

    expect((await page(caseId, "physician2")).status).toBe(404);
    expect((await download(pdfRoute, "pdf", caseId, v1, "physician2")).status).toBe(404);
    expect((await download(fhirRoute, "fhir", caseId, v1, "physician2")).status).toBe(404);
    expect((await download(pdfRoute, "pdf", caseId, v1, "consultant2")).status).toBe(404);
    expect(await accessDenials("physician2", { caseId })).toHaveLength(3);
  });

  it("gives the physician a PDF with the plan in it, opening with the case summary in the reader's language", async () => {
    // This physician prefers Chinese: English is asked for here, and without asking the PDF speaks Chinese.
    const response = await download(pdfRoute, "pdf", caseId, v1, "physician", "?lng=en");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = pdfText(pdf, "v1.pdf");
    expect(text).toContain(PLAN_TEXT);
    expect(text).toContain((await getDb().opinion.findUniqueOrThrow({ where: { id: v1 } })).contentHash);
    const summary = text.slice(text.indexOf("Clinical summary"), text.indexOf("Version 1 /"));
    for (const line of [
      "Age at submission: 58 years",
      "Sex: Male",
      "Primary site: C34.1 Upper lobe, lung · Right upper lobe",
      "Histology: 8140/3 Adenocarcinoma, NOS",
    ])
      expect(summary).toContain(line);
    expect(summary).toContain(`Case: ${(await caseRow(caseId)).code}`);

    const chinese = pdfText(Buffer.from(await (await download(pdfRoute, "pdf", caseId, v1, "physician")).arrayBuffer()), "v1-zh.pdf");
    const summaryZh = chinese.slice(chinese.indexOf("临床摘要"), chinese.indexOf("Version 1 /"));
    for (const line of [
      "提交时年龄：58 岁",
      "性别：男",
      "原发部位：C34.1 肺上叶 原文（英文）：Right upper lobe",
      "组织学类型：8140/3 腺癌，非特指 原文（英文）：Adenocarcinoma",
    ])
      expect(summaryZh).toContain(line);
    expect(chinese).toContain(PLAN_TEXT);
    expect(await audits(caseId, "opinion.pdf")).toHaveLength(2);
  });

  it("shows a key image numbered as the viewer numbers its slice, with the length drawn on it in the reader's language", async () => {
    const db = getDb();
    const stored = [];
    for (const file of ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"]) {
      const result = await ingestDicom(db, caseId, readFileSync(path.join(CORPUS, "ct-series", file)), file);
      stored.push(await db.imagingInstance.findFirstOrThrow({ where: { sopInstanceUid: result.sopInstanceUid!, series: { study: { caseId } } } }));
    }
    // Instance 1 lies highest along the normal: the viewer stacks it third and shows "slice 3".
    const [first] = stored;
    expect(first.instanceNumber).toBe(1);
    const spacing = /\[([\d.]+)\\/.exec(execFileSync("dcmdump", ["+P", "0028,0030", objectPath(first.sha256)], { encoding: "utf8" }))![1];
    const mm = (200 * Number(spacing)).toFixed(1);
    const view = {
      ...initialViewerState(first.seriesId),
      slice: 2,
      annotations: [{ kind: "length" as const, slice: 2, start: { x: 100, y: 256 }, end: { x: 300, y: 256 } }],
    };
    await db.keyImage.create({
      data: {
        caseId,
        seriesId: first.seriesId,
        sopInstanceUid: first.sopInstanceUid,
        frame: 0,
        viewState: JSON.stringify(view),
        note: "Nodule measured",
        createdById: ids.consultant,
      },
    });

    const english = pdfText(Buffer.from(await (await download(pdfRoute, "pdf", caseId, v1, "physician", "?lng=en")).arrayBuffer()), "key-image.pdf");
    expect(english).toMatch(/Figure 1 \/ 图 1: CT \d+ · slice \/ 层面 3 — Nodule measured/);
    expect(english).toContain(`${mm} mm`);
    const chinese = pdfText(Buffer.from(await (await download(pdfRoute, "pdf", caseId, v1, "physician")).arrayBuffer()), "key-image-zh.pdf");
    expect(chinese).toContain(`${mm} 毫米`);
  });

  it("lets one user run two exports at a time and tells a third to wait (429), then serves it once a slot is free", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = [inHeavySlot(ids.physician, () => gate), inHeavySlot(ids.physician, () => gate)];
    const refused = await download(pdfRoute, "pdf", caseId, v1, "physician");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("2");
    expect((await download(fhirRoute, "fhir", caseId, v1, "physician")).status).toBe(429);
    release();
    await Promise.all(held);
    expect((await download(pdfRoute, "pdf", caseId, v1, "physician")).status).toBe(200);
  });

  it("exports the delivered version as a FHIR Bundle", async () => {
    const response = await download(fhirRoute, "fhir", caseId, v1, "physician");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^application\/fhir\+json/);
    const bundle = JSON.parse(await response.text());
    expect(bundle.resourceType).toBe("Bundle");
    expect(JSON.stringify(bundle)).toContain(PLAN_TEXT);
    expect(await audits(caseId, "opinion.fhirExport")).toHaveLength(1);
  });
});

describe("acknowledgement, follow-up and outcome", () => {
  it("does not acknowledge this case with another case's opinion", async () => {
    // Another Wuhan case whose opinion was delivered to the same physician.
    const db = getDb();
    const other = await makeCase({ status: "DELIVERED" });
    const opinion = await db.opinion.create({
      data: {
        caseId: other,
        version: 1,
        origin: "SCRATCH",
        status: "DELIVERED",
        createdById: ids.consultant,
        deliveredAt: new Date(),
        deliveredById: ids.coordinator,
        recipients: { create: [{ userId: ids.physician }] },
      },
    });
    const crossed = await act(caseId, "physician", { intent: "acknowledge", opinionId: opinion.id });
    expect(crossed.status).toBe(409);
    expect((await caseRow(caseId)).status).toBe("DELIVERED");
    expect((await db.opinionRecipient.findFirstOrThrow({ where: { opinionId: opinion.id } })).acknowledgedAt).toBeNull();
  });

  it("acknowledges once", async () => {
    expect((await act(caseId, "physician2", { intent: "acknowledge", opinionId: v1 })).status).toBe(404);
    expect((await act(caseId, "consultant", { intent: "acknowledge", opinionId: v1 })).status).toBe(403);
    const acknowledged = await act(caseId, "physician", { intent: "acknowledge", opinionId: v1 });
    expect(acknowledged.status).toBe(200);
    expect((await caseRow(caseId)).status).toBe("ACKNOWLEDGED");
    expect((await getDb().opinionRecipient.findFirstOrThrow({ where: { opinionId: v1, userId: ids.physician } })).acknowledgedAt).toBeInstanceOf(Date);
    expect((await act(caseId, "physician", { intent: "acknowledge", opinionId: v1 })).status).toBe(409);
    expect(await audits(caseId, "opinion.acknowledge")).toHaveLength(1);
    expect((await page(caseId, "physician")).data.may.acknowledge).toBe(false);
    const told = await getDb().notification.findMany({ where: { caseId, kind: "opinionAcknowledged" }, select: { userId: true } });
    expect(told.map((n) => n.userId).sort()).toEqual([ids.coordinator, ids.consultant, ids.consultant3].sort());
  });

  it("takes a follow-up question and one answer from a consultant on the case", async () => {
    expect((await act(caseId, "physician", { intent: "ask", opinionId: v1, question: "  " })).status).toBe(400);
    const asked = await act(caseId, "physician", { intent: "ask", opinionId: v1, question: "SBRT 剂量是否可以调整为 40 Gy？" });
    expect(asked.status).toBe(200);
    const followUp = await getDb().opinionFollowUp.findFirstOrThrow({ where: { opinionId: v1 } });
    expect(followUp).toMatchObject({ askedById: ids.physician, answer: null });
    expect(await getDb().notification.count({ where: { userId: ids.consultant, kind: "followUpAsked", caseId } })).toBe(1);

    const outsider = await act(caseId, "consultant2", { intent: "answer", opinionId: v1, followUpId: followUp.id, answer: "Outsider answer" });
    expect(outsider.status).toBe(404);
    expect((await act(caseId, "physician", { intent: "answer", opinionId: v1, followUpId: followUp.id, answer: "Self answer" })).status).toBe(403);
    const answered = await act(caseId, "consultant3", {
      intent: "answer",
      opinionId: v1,
      followUpId: followUp.id,
      answer: "40 Gy in 5 fractions is acceptable.",
    });
    expect(answered.status).toBe(200);
    const twice = await act(caseId, "consultant", { intent: "answer", opinionId: v1, followUpId: followUp.id, answer: "A second answer" });
    expect(twice.status).toBe(409);

    const seen = (await page(caseId, "physician")).data.versions[0].followUps;
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ answer: "40 Gy in 5 fractions is acceptable.", answeredById: ids.consultant3 });
    expect(await getDb().notification.count({ where: { userId: ids.physician, kind: "followUpAnswered", caseId } })).toBe(1);
  });

  it("requires what was done when the opinion changed care, and stores the outcome", async () => {
    const missing = await act(caseId, "physician", { intent: "outcome", changedDiagnosis: "NO", changedTreatment: "YES", actionTaken: "" });
    expect(missing.status).toBe(400);
    expect(missing.data.fieldErrors).toEqual({ actionTaken: ["reports:errors.actionTakenRequired"] });
    expect(await getDb().caseOutcome.findUnique({ where: { caseId } })).toBeNull();
    expect((await act(caseId, "consultant", { intent: "outcome", changedDiagnosis: "NO", changedTreatment: "NO", actionTaken: "" })).status).toBe(403);
    const reported = await act(caseId, "physician", {
      intent: "outcome",
      changedDiagnosis: "NO",
      changedTreatment: "YES",
      actionTaken: "Added SBRT to the adrenal lesion.",
    });
    expect(reported.status).toBe(200);
    expect(await getDb().caseOutcome.findUnique({ where: { caseId } })).toMatchObject({
      changedDiagnosis: "NO",
      changedTreatment: "YES",
      actionTaken: "Added SBRT to the adrenal lesion.",
      reportedById: ids.physician,
    });
  });
});

let v2: string;

describe("amendment", () => {
  it("requires a reason", async () => {
    const refused = await act(caseId, "consultant", { intent: "amend", reason: "  " });
    expect(refused.status).toBe(400);
    expect(refused.data.fieldErrors).toEqual({ amendmentReason: ["opinions:errors.amendmentReasonRequired"] });
    expect(await versions(caseId)).toHaveLength(1);
    expect((await act(caseId, "coordinator", { intent: "amend", reason: "Coordinator amendment" })).status).toBe(403);
  });

  it("starts a new draft with the signed content, which signs, supersedes the first version and is delivered", async () => {
    const amended = await act(caseId, "consultant", { intent: "amend", reason: "Brain MRI showed a new lesion" });
    expect(amended.status).toBe(302);
    const [first, second] = await versions(caseId);
    v2 = second.id;
    expect(second).toMatchObject({ version: 2, status: "DRAFT", origin: "AMENDMENT", previousId: v1, amendmentReason: "Brain MRI showed a new lesion" });
    const v1Content = OpinionContentSchema.parse(JSON.parse(first.signedContent!));
    for (const name of SECTIONS) expect((await section(v2, name)).content).toEqual(JSON.parse(canonicalJson(v1Content[name])));
    expect((await act(caseId, "consultant3", { intent: "amend", reason: "Another" })).status).toBe(409);
    expect((await download(pdfRoute, "pdf", caseId, v2, "coordinator")).status).toBe(404);
    expect((await page(caseId, "physician")).data.versions.map((v: { id: string }) => v.id)).toEqual([v1]);

    const plan = {
      ...complete.plan,
      items: [
        ...complete.plan.items,
        {
          treatment: "Whole-brain radiotherapy",
          regimen: "",
          intent: "PALLIATIVE" as const,
          priority: 2,
          evidence: { system: "NCCN" as const, level: "2B" },
          rationale: "",
        },
      ],
    };
    expect((await saveEnglish(caseId, "consultant", v2, "plan", plan)).status).toBe(200);
    for (const name of SECTIONS) if (name !== "dissent") expect((await translate(caseId, "coordinator", v2, name, "REVIEWED")).status, name).toBe(200);

    expect((await sign(caseId, "consultant3", v2)).status).toBe(302);
    expect((await getDb().opinion.findUniqueOrThrow({ where: { id: v1 } })).status).toBe("SUPERSEDED");
    expect((await getDb().opinion.findUniqueOrThrow({ where: { id: v2 } })).status).toBe("SIGNED");
    expect((await caseRow(caseId)).status).toBe("OPINION_SIGNED");
    expect((await page(caseId, "coordinator")).data.delivery).toEqual({});

    expect((await act(caseId, "coordinator", { intent: "deliver", opinionId: v2, recipient: ids.physician })).status).toBe(302);
    expect((await caseRow(caseId)).status).toBe("DELIVERED");
  });

  it("shows the physician both versions, the new one with its reason and what changed, and a bilingual PDF", async () => {
    const loaded = await page(caseId, "physician");
    expect(loaded.data.versions.map((v: { id: string; status: string }) => [v.id, v.status])).toEqual([
      [v1, "SUPERSEDED"],
      [v2, "DELIVERED"],
    ]);
    expect(loaded.data.currentId).toBe(v2);
    const latest = loaded.data.versions[1];
    expect(latest).toMatchObject({ amendmentReason: "Brain MRI showed a new lesion", previousVersion: 1 });
    expect(latest.changes.length).toBeGreaterThan(0);
    expect(latest.changes).toContainEqual(
      expect.objectContaining({ section: "plan", language: "en", path: "items[1].treatment", before: "", after: "Whole-brain radiotherapy" }),
    );
    expect(loaded.data.may.acknowledge).toBe(true);

    const response = await download(pdfRoute, "pdf", caseId, v2, "physician");
    expect(response.status).toBe(200);
    const text = pdfText(Buffer.from(await response.arrayBuffer()), "v2.pdf");
    expect(text).toContain(PLAN_TEXT);
    expect(text).toContain(PLAN_ZH);
    expect(text).toContain("Brain MRI showed a new lesion");
  });
});

describe("archive", () => {
  it("archives the case, after which nothing more is asked, answered, reported or amended", async () => {
    const followUp = await getDb().opinionFollowUp.create({ data: { opinionId: v2, askedById: ids.physician, question: "Open question before archiving" } });
    expect((await act(caseId, "consultant", { intent: "archive" })).status).toBe(403);
    expect((await act(caseId, "coordinator", { intent: "archive" })).status).toBe(302);
    const archived = await caseRow(caseId);
    expect(archived.status).toBe("ARCHIVED");
    expect(archived.archivedAt).toBeInstanceOf(Date);
    expect(await audits(caseId, "case.archive")).toHaveLength(1);

    expect((await act(caseId, "physician", { intent: "ask", opinionId: v2, question: "One more?" })).status).toBe(403);
    expect((await act(caseId, "consultant", { intent: "answer", opinionId: v2, followUpId: followUp.id, answer: "Late answer" })).status).toBe(403);
    expect((await act(caseId, "physician", { intent: "outcome", changedDiagnosis: "NO", changedTreatment: "NO", actionTaken: "" })).status).toBe(403);
    expect((await act(caseId, "physician", { intent: "acknowledge", opinionId: v2 })).status).toBe(403);
    expect((await act(caseId, "consultant", { intent: "amend", reason: "After archiving" })).status).toBe(403);
    expect((await act(caseId, "coordinator", { intent: "archive" })).status).toBe(409);
    expect(await versions(caseId)).toHaveLength(2);
    expect((await getDb().opinionFollowUp.findUniqueOrThrow({ where: { id: followUp.id } })).answer).toBeNull();
    expect((await getDb().caseOutcome.findUniqueOrThrow({ where: { caseId } })).changedTreatment).toBe("YES");
    // Still readable.
    expect((await page(caseId, "physician")).data.versions).toHaveLength(2);
  });
});
