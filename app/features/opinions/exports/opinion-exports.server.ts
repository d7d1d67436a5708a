/** The exports of a signed opinion version: the bilingual PDF and the FHIR R4 document Bundle, each audited. */
import { auditCase, type CaseCaller } from "~/features/cases/case-access.server";
import { icd10Title } from "~/features/cases/reference-data.server";
import { alterationText, resultText } from "~/features/cases/case-summary-text";
import { morphologyTerm, topographyTerm } from "~/features/cases/clinical-codes";
import { packetTexts, packetTranslation } from "~/features/cases/packet-texts";
import { textTranslations } from "~/features/translation/text-translations.server";
import { imagingAbilities } from "~/features/imaging/imaging-access";
import { renderKeyImages } from "~/features/imaging/key-images/key-image-render.server";
import { caseQuestions, type OpinionVersion } from "~/features/opinions/opinion-store.server";
import { i18nServer } from "~/i18n/i18n.server";
import { getDb } from "~/platform/db.server";
import { opinionBundle, type FhirPerson } from "./fhir-opinion";
import { renderPdfInWorker } from "~/features/imaging/dicom-workers.server";
import { inHeavySlot } from "~/platform/heavy-requests.server";
import { requireUser } from "~/features/identity/auth.server";
import { requireSignedOpinion } from "~/features/opinions/opinion-read.server";
import type { AppLoadContext } from "@remix-run/node";
import type { Locale } from "~/i18n/locales";
import { SUMMARY_BIOMARKERS, type CodedTerm } from "./opinion-pdf-text";

/** The bilingual PDF of a signed version, opening with the case summary in the reader's language, with the key images on series the reader may see; audited. */
export async function opinionPdf({ user, facts, meta, opinion, locale, db = getDb() }: CaseCaller & { opinion: OpinionVersion; locale: Locale }) {
  const row = await db.case.findUniqueOrThrow({
    where: { id: facts.id },
    select: {
      code: true,
      ageAtSubmission: true,
      sex: true,
      cancerType: true,
      staging: true,
      primarySite: true,
      primarySiteCode: true,
      histology: true,
      icd10Code: true,
      icdO3Code: true,
      biomarkers: {
        orderBy: { position: "asc" },
        take: SUMMARY_BIOMARKERS,
        select: { gene: true, alterationType: true, hgvs: true, method: true, resultCode: true, resultValue: true, resultUnit: true, vaf: true },
      },
      _count: { select: { biomarkers: true } },
    },
  });
  const [en, zh] = await Promise.all([i18nServer.getFixedT("en"), i18nServer.getFixedT("zh-CN")]);
  const coded = (code: string | null, title: (code: string) => { en: string; zh: string } | undefined): CodedTerm | null =>
    code ? { code, en: title(code)?.en ?? null, zh: title(code)?.zh ?? null } : null;
  const { _count, primarySiteCode, icd10Code, icdO3Code, biomarkers, ...summary } = row;
  const reader = locale === "zh-CN" ? zh : en;
  const siteCode = primarySiteCode ? coded(primarySiteCode, topographyTerm) : coded(icd10Code, icd10Title);
  const translations = await textTranslations(db, facts.id, packetTexts({ id: facts.id, primarySite: row.primarySite, histology: row.histology }));
  const pdf = await renderPdfInWorker({
    readerLocale: locale,
    caseSummary: {
      ...summary,
      primarySiteTranslation: packetTranslation(translations, facts.id, "primarySite")?.text ?? null,
      histologyTranslation: packetTranslation(translations, facts.id, "histology")?.text ?? null,
      biomarkers: biomarkers.map((b) => ({ gene: b.gene, alteration: alterationText(b, reader), method: b.method, result: resultText(b, reader), vaf: b.vaf })),
      biomarkerCount: _count.biomarkers,
      siteCode,
      icdO3: coded(icdO3Code, morphologyTerm),
    },
    version: opinion.version,
    amendment: opinion.amendmentReason ? { previousVersion: opinion.version - 1, reason: opinion.amendmentReason } : null,
    questions: await caseQuestions(db, facts.id),
    content: opinion.content,
    englishOnly: opinion.englishOnly,
    signers: opinion.signedBy && opinion.signedAt ? [{ displayName: opinion.signedBy.displayName, signedAt: opinion.signedAt }] : [],
    timeZones: [opinion.signedBy?.timeZone ?? user.timeZone, "Asia/Shanghai"],
    contentHash: opinion.contentHash!,
    followUps: opinion.followUps.map((f) => ({ question: f.question, askedAt: f.askedAt, answer: f.answer, answeredAt: f.answeredAt })),
    keyImages: await renderKeyImages(db, facts.id, imagingAbilities(user, facts).seeFlaggedSeries, {
      sliceLabel: `${en("pdf:slice")} / ${zh("pdf:slice")}`,
      locale,
    }),
  });
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.pdf", details: { opinionId: opinion.id, version: opinion.version } });
  return { pdf, fileName: `${row.code}-opinion-v${opinion.version}.pdf` };
}

/** A delivered version as a FHIR R4 document Bundle; null when the version was not delivered. Audited. */
export async function opinionFhir({ user, facts, meta, opinion, db = getDb() }: CaseCaller & { opinion: OpinionVersion }) {
  if (!opinion.deliveredAt || !opinion.signedAt || !opinion.signedBy) return null;
  const { deliveredAt, signedAt, signedBy } = opinion;
  const row = await db.case.findUniqueOrThrow({
    where: { id: facts.id },
    select: {
      code: true,
      cancerType: true,
      primarySite: true,
      primarySiteCode: true,
      histology: true,
      icd10Code: true,
      icdO3Code: true,
      submittedAt: true,
      createdAt: true,
      urgency: true,
      requestedSpecialties: true,
      institution: { select: { id: true, nameEn: true, nameZh: true } },
      createdBy: { select: { id: true, displayName: true } },
      consent: { select: { id: true, consentDate: true, recordedAt: true } },
    },
  });
  const people = await db.user.findMany({
    where: { id: { in: opinion.followUps.flatMap((f) => [f.askedById, f.answeredById ?? ""]) } },
    select: { id: true, displayName: true },
  });
  const person = (id: string): FhirPerson => ({ id, displayName: people.find((p) => p.id === id)?.displayName ?? id });
  const icd10 = icd10Title(row.icd10Code);
  const icdO3 = morphologyTerm(row.icdO3Code);
  const topography = row.primarySiteCode ? topographyTerm(row.primarySiteCode) : undefined;
  const [en, zh] = await Promise.all([i18nServer.getFixedT("en"), i18nServer.getFixedT("zh-CN")]);
  const bundle = opinionBundle(
    {
      case: {
        id: facts.id,
        code: row.code,
        cancerType: row.cancerType,
        primarySite: row.primarySite,
        topography: row.primarySiteCode ? { code: row.primarySiteCode, en: topography?.en ?? null, zh: topography?.zh ?? null } : null,
        histology: row.histology,
        icd10: row.icd10Code ? { code: row.icd10Code, en: icd10?.en ?? null, zh: icd10?.zh ?? null } : null,
        icdO3: row.icdO3Code ? { code: row.icdO3Code, en: icdO3?.en ?? null, zh: icdO3?.zh ?? null } : null,
        submittedAt: (row.submittedAt ?? row.createdAt).toISOString(),
        institution: row.institution,
      },
      request: {
        questions: await caseQuestions(db, facts.id),
        specialties: JSON.parse(row.requestedSpecialties) as string[],
        urgency: row.urgency === "URGENT" ? "URGENT" : "ROUTINE",
        requestedBy: row.createdBy,
      },
      consent: { id: row.consent?.id ?? `${facts.id}-consent`, givenAt: row.consent?.consentDate ?? (row.consent?.recordedAt ?? row.createdAt).toISOString() },
      opinion: {
        id: opinion.id,
        version: opinion.version,
        amendment: opinion.previousId ? { previousId: opinion.previousId, reason: opinion.amendmentReason ?? "" } : null,
        content: opinion.content,
        contentHash: opinion.contentHash!,
        englishOnly: opinion.englishOnly,
        signers: [{ id: signedBy.id, displayName: signedBy.displayName }],
        signedAt: signedAt.toISOString(),
        deliveredAt: deliveredAt.toISOString(),
        recipients: opinion.recipients.map((r) => ({ id: r.userId, displayName: r.user.displayName })),
      },
      followUps: opinion.followUps.map((f) => ({
        id: f.id,
        question: f.question,
        askedAt: f.askedAt.toISOString(),
        askedBy: person(f.askedById),
        answer: f.answer,
        answeredAt: f.answeredAt?.toISOString() ?? null,
        answeredBy: f.answeredById ? person(f.answeredById) : null,
      })),
    },
    { en, zh },
  );
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.fhirExport", details: { opinionId: opinion.id, version: opinion.version } });
  return { bundle, fileName: `${row.code}-opinion-v${opinion.version}.fhir.json` };
}

type ExportRequest = { request: Request; context: AppLoadContext; caseId: string | undefined; opinionId: string | undefined };

/**
 * Runs an export for the request's reader in one of their heavy-request slots. The slot is taken right after the session
 * is known, before the case and the opinion are loaded, so a burst of requests costs little more than its refusals.
 */
export async function inExportSlot<T>(
  { request, context, caseId, opinionId }: ExportRequest,
  work: (caller: Awaited<ReturnType<typeof requireSignedOpinion>>) => Promise<T>,
) {
  const user = await requireUser(request);
  return inHeavySlot(user.id, async () => work(await requireSignedOpinion(request, context, caseId, opinionId)));
}
