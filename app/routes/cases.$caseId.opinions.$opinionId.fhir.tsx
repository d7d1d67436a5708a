import type { LoaderFunctionArgs } from "@remix-run/node";
import { opinionBundle, type FhirPerson } from "~/features/opinions/exports/fhir-opinion";
import { i18nServer } from "~/i18n/i18n.server";
import { caseQuestions } from "~/features/opinions/opinion-store.server";
import { denyAccess } from "~/features/identity/auth.server";
import { auditCase } from "~/features/cases/case-workflow.server";
import { getDb } from "~/platform/db.server";
import { requireSignedOpinion } from "~/features/opinions/opinion-read.server";
import { icd10Title, icdO3Title } from "~/features/cases/reference-data.server";
import { requestMeta } from "~/platform/request-meta.server";

/** A delivered version as a FHIR R4 document Bundle, for those who may read it. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, facts, opinion } = await requireSignedOpinion(request, context, params.caseId, params.opinionId);
  if (!opinion.deliveredAt || !opinion.signedAt || !opinion.signedBy) throw await denyAccess(request, context, user, { caseId: facts.id, opinionId: opinion.id, reason: "notDelivered" }, 404);
  const db = getDb();
  const row = await db.case.findUniqueOrThrow({
    where: { id: facts.id },
    select: {
      code: true,
      cancerType: true,
      primarySite: true,
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
  const people = await db.user.findMany({ where: { id: { in: opinion.followUps.flatMap((f) => [f.askedById, f.answeredById ?? ""]) } }, select: { id: true, displayName: true } });
  const person = (id: string): FhirPerson => ({ id, displayName: people.find((p) => p.id === id)?.displayName ?? id });
  const icd10 = icd10Title(row.icd10Code);
  const icdO3 = icdO3Title(row.icdO3Code);
  const [en, zh] = await Promise.all([i18nServer.getFixedT("en"), i18nServer.getFixedT("zh-CN")]);
  const bundle = opinionBundle(
    {
      case: {
        id: facts.id,
        code: row.code,
        cancerType: row.cancerType,
        primarySite: row.primarySite,
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
        signers: [{ id: opinion.signedBy.id, displayName: opinion.signedBy.displayName }],
        signedAt: opinion.signedAt.toISOString(),
        deliveredAt: opinion.deliveredAt.toISOString(),
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
  await auditCase(db, user, "opinion.fhirExport", facts.id, requestMeta(request, context), { opinionId: opinion.id, version: opinion.version });
  return new Response(JSON.stringify(bundle), {
    headers: {
      "Content-Type": "application/fhir+json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${row.code}-opinion-v${opinion.version}.fhir.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}
