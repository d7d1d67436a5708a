import type { LoaderFunctionArgs } from "@remix-run/node";
import { CANCER_TYPES, labelKeys } from "~/features/cases/clinical-vocabulary";
import { i18nServer } from "~/i18n/i18n.server";
import { caseQuestions } from "~/features/opinions/opinion-store.server";
import { auditCase } from "~/features/cases/case-workflow.server";
import { getDb } from "~/platform/db.server";
import { renderKeyImages } from "~/features/imaging/key-images/key-image-render.server";
import { renderOpinionPdf } from "~/features/opinions/exports/opinion-pdf.server";
import { requireSignedOpinion } from "~/features/opinions/opinion-read.server";
import { requestMeta } from "~/platform/request-meta.server";

const CANCER_TYPE_KEYS = labelKeys("cancerTypes", CANCER_TYPES);

/** The bilingual PDF of a signed version, for those who may read it. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, facts, opinion } = await requireSignedOpinion(request, context, params.caseId, params.opinionId);
  const db = getDb();
  const row = await db.case.findUniqueOrThrow({ where: { id: facts.id }, select: { code: true, cancerType: true, histology: true, primarySite: true } });
  const [en, zh] = await Promise.all([i18nServer.getFixedT("en"), i18nServer.getFixedT("zh-CN")]);
  const typeKey = row.cancerType ? CANCER_TYPE_KEYS[row.cancerType as keyof typeof CANCER_TYPE_KEYS] : undefined;
  const detail = [row.primarySite, row.histology].filter(Boolean).join(", ");
  const line = (t: typeof en) => [typeKey ? t(typeKey) : null, detail || null].filter(Boolean).join(" · ");
  const pdf = await renderOpinionPdf({
    caseCode: row.code,
    diagnosis: { en: line(en), zh: typeKey ? line(zh) : null },
    version: opinion.version,
    amendment: opinion.amendmentReason ? { previousVersion: opinion.version - 1, reason: opinion.amendmentReason } : null,
    questions: await caseQuestions(db, facts.id),
    content: opinion.content,
    englishOnly: opinion.englishOnly,
    signers: opinion.signedBy && opinion.signedAt ? [{ displayName: opinion.signedBy.displayName, signedAt: opinion.signedAt }] : [],
    timeZones: [opinion.signedBy?.timeZone ?? user.timeZone, "Asia/Shanghai"],
    contentHash: opinion.contentHash!,
    followUps: opinion.followUps.map((f) => ({ question: f.question, askedAt: f.askedAt, answer: f.answer, answeredAt: f.answeredAt })),
    keyImages: await renderKeyImages(db, facts.id, user.role, { sliceLabel: `${en("pdf:slice")} / ${zh("pdf:slice")}` }),
  });
  await auditCase(db, user, "opinion.pdf", facts.id, requestMeta(request, context), { opinionId: opinion.id, version: opinion.version });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${row.code}-opinion-v${opinion.version}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
