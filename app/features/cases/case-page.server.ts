/** What the case pages show: the case page with its imaging, slides, boards and history; the packet editor; the triage form. Each read is audited. */
import { boardsOfCase } from "~/features/boards/board-store.server";
import { imagingAbilities } from "~/features/imaging/imaging-access";
import { keyImagesOf, slideKeyRegionsOf, visibleSeries } from "~/features/imaging/imaging-store.server";
import { isSpecialty } from "~/features/identity/specialties";
import { getDb, type Db } from "~/platform/db.server";
import { caseAbilities } from "./case-access";
import { auditCase, type CaseCaller } from "./case-access.server";
import type { CurrentUser } from "~/features/identity/auth.server";
import { countCrossBorderRead } from "~/features/compliance/cross-border.server";
import { getCaseDetail, isEmptyDraft, packetDefaults, type CaseDetail } from "./case-store.server";
import type { PacketEditorView } from "./packet-editor-page";
import { translationAids } from "~/features/glossary/translation-aids.server";
import { caseDueDays } from "./case-workflow.server";
import { completenessChecklist } from "./completeness";
import { icd10Title, packetReference } from "./reference-data.server";
import { withClinicalValues } from "./clinical-codes";
import { packetTexts } from "./packet-texts";
import { defaultDueDate, turnaround } from "./turnaround";
import { textTranslationAids, textTranslations } from "~/features/translation/text-translations.server";
import { subjectKey, translatedText, type TextSubject } from "~/features/translation/translated-text";

/** The return a case is back with its hospital for, as a text to translate: the newest return whose reason the case shows. */
function currentReturn(detail: CaseDetail): { subject: TextSubject; text: string } | null {
  if (detail.status !== "RETURNED" || !detail.returnReason) return null;
  const returned = [...detail.transitions].reverse().find((t) => t.action === "return" && t.reason === detail.returnReason);
  return returned?.reason ? { subject: { type: "RETURN_REASON", id: returned.id }, text: returned.reason } : null;
}

export async function loadCasePage({ user, facts, meta, db = getDb() }: CaseCaller) {
  const detail = (await getCaseDetail(db, facts.id))!;
  await auditCase({ db, user, meta, caseId: facts.id, action: "case.view" });
  if (user.role === "CONSULTANT") await countCrossBorderRead(db, { readerId: user.id, caseId: facts.id });
  const may = caseAbilities(user, { ...facts, emptyDraft: facts.status === "DRAFT" && (await isEmptyDraft(db, facts.id)) });
  const imaging = imagingAbilities(user, facts);
  const people = await db.user.findMany({
    where: {
      id: {
        in: [
          ...new Set([
            ...detail.transitions.map((t) => t.actorId),
            ...detail.comments.map((c) => c.authorId),
            ...detail.narratives.map((n) => n.translatedById ?? ""),
          ]),
        ],
      },
    },
    select: { id: true, displayName: true },
  });
  const nameOf = Object.fromEntries(people.map((p) => [p.id, p.displayName]));
  const currentReturnReason = currentReturn(detail);
  const commentSubjects = detail.comments.map((c) => ({ subject: { type: "COMMENT" as const, id: c.id }, text: c.body, declaredLanguage: c.language }));
  // Every return's reason, the current one's and those in the history, may have been translated.
  const returnSubject = (id: string) => ({ type: "RETURN_REASON" as const, id });
  const returnReasons = detail.transitions.flatMap((t) => (t.action === "return" && t.reason ? [{ subject: returnSubject(t.id), text: t.reason }] : []));
  const crossingTexts = [...returnReasons, ...commentSubjects, ...packetTexts(detail)];
  const translations = await textTranslations(db, facts.id, crossingTexts);
  const translated = ({ subject, text }: { subject: TextSubject; text: string }, declared?: string) =>
    translatedText(text, translations[subjectKey(subject)] ?? null, declared);
  const studies = await db.imagingStudy.findMany({
    where: { caseId: facts.id },
    orderBy: { createdAt: "asc" },
    include: {
      series: {
        where: visibleSeries(imaging.seeFlaggedSeries),
        orderBy: { seriesNumber: "asc" },
        select: {
          id: true,
          seriesNumber: true,
          modality: true,
          description: true,
          burnedInRisk: true,
          burnedInClearedAt: true,
          _count: { select: { instances: true } },
        },
      },
    },
  });
  return {
    detail: {
      ...withClinicalValues(detail, translations),
      narratives: detail.narratives.map((n) => ({ ...n, translatedBy: n.translatedById ? (nameOf[n.translatedById] ?? null) : null })),
      transitions: detail.transitions.map((t) => ({
        ...t,
        actor: nameOf[t.actorId] ?? null,
        /** A return's or a withdrawal's reason, in the reader's language or marked untranslated. */
        reasonText: t.reason ? (t.action === "return" ? translated({ subject: returnSubject(t.id), text: t.reason }) : translatedText(t.reason, null)) : null,
      })),
      comments: detail.comments.map((c, i) => ({ ...c, author: nameOf[c.authorId] ?? null, text: translated(commentSubjects[i], c.language) })),
    },
    /** The coordinator's reason while the case is back with its hospital, in the reader's language or marked untranslated. */
    returnReason: currentReturnReason ? { subject: currentReturnReason.subject, text: translated(currentReturnReason) } : null,
    icd10: icd10Title(detail.icd10Code) ?? null,
    may,
    translationAids: may.translate ? await translationAids({ user, facts, meta, db }, detail.narratives) : {},
    textTranslationAids: await textTranslationAids({ user, facts, meta, db }, crossingTexts, translations),
    imaging,
    linkageIsSet: detail.hasLinkageKey,
    keyImages: await keyImagesOf(db, facts.id, imaging.seeFlaggedSeries),
    boards: (await boardsOfCase(db, facts.id)).map((b) => ({ ...b, boardSummary: may.readBoardSummaries ? b.boardSummary || null : null })),
    slideKeyRegions: await slideKeyRegionsOf(db, facts.id),
    slides: await db.slide.findMany({
      where: { caseId: facts.id },
      orderBy: { createdAt: "asc" },
      select: { id: true, fileName: true, status: true, errorKey: true },
    }),
    studies,
    checklist: may.coordinate
      ? completenessChecklist({
          hasConsent: Boolean(detail.consent?.consentDate && detail.consent.recipientInstitutionId),
          questionCount: detail.narratives.filter((n) => n.key.startsWith("question.")).length,
          narratives: detail.narratives,
          pathologyOrImagingCount: detail.attachments.filter((a) => a.kind === "PATHOLOGY_REPORT").length + studies.length,
        })
      : null,
    clock: turnaround({ status: facts.status, submittedAt: detail.submittedAt, dueAt: detail.dueAt }, new Date()),
    timeZone: user.timeZone,
  };
}

/** The packet editor of the treating side. */
export async function loadPacketEditor({ user, facts, meta, db = getDb() }: CaseCaller): Promise<PacketEditorView> {
  const detail = (await getCaseDetail(db, facts.id))!;
  await auditCase({ db, user, meta, caseId: facts.id, action: "case.view", details: { view: "edit" } });
  const imaging = imagingAbilities(user, facts);
  const returned = currentReturn(detail);
  const returnTranslation = returned ? (await textTranslations(db, facts.id, [returned]))[subjectKey(returned.subject)] : undefined;
  return {
    caseId: detail.id,
    code: detail.code,
    status: detail.status,
    returnReason: returned ? translatedText(returned.text, returnTranslation ?? null) : null,
    timeZone: user.timeZone,
    version: detail.version,
    defaults: packetDefaults(detail),
    reference: await packetReference(db),
    attachments: detail.attachments.map((a) => ({ id: a.id, fileName: a.fileName, kind: a.kind, size: a.size, mimeType: a.mimeType })),
    canUpload: caseAbilities(user, facts).uploadAttachment,
    imaging: { addImaging: imaging.addImaging, queryPacs: imaging.queryPacs },
  };
}

/** The packet editor of a packet that is no case yet: its first save holding something creates the case. */
export async function loadNewPacketEditor(user: CurrentUser, db: Db = getDb()): Promise<PacketEditorView> {
  return {
    caseId: null,
    code: null,
    status: "DRAFT",
    returnReason: null,
    timeZone: user.timeZone,
    version: 0,
    defaults: { questions: [""] },
    reference: await packetReference(db),
    attachments: [],
    canUpload: false,
    imaging: { addImaging: false, queryPacs: false },
  };
}

/**
 * The triage form: active consultants of the chosen specialty (by default the first the physician asked for; "" for all)
 * and the due day on the coordinator's clock.
 */
export async function loadAssignPage({ user, facts, db = getDb() }: CaseCaller, specialtyParam: string | null) {
  const detail = await db.case.findUniqueOrThrow({
    where: { id: facts.id },
    select: { id: true, code: true, requestedSpecialties: true, submittedAt: true, dueAt: true },
  });
  const requested = (JSON.parse(detail.requestedSpecialties) as string[]).filter(isSpecialty);
  const specialty = specialtyParam === "" ? null : isSpecialty(specialtyParam) ? specialtyParam : (requested[0] ?? null);
  const consultants = await db.user.findMany({
    where: { role: "CONSULTANT", active: true, ...(specialty ? { specialties: { some: { specialty } } } : {}) },
    select: {
      id: true,
      displayName: true,
      timeZone: true,
      specialties: { select: { specialty: true } },
      institution: { select: { nameEn: true, nameZh: true } },
    },
    orderBy: { displayName: "asc" },
  });
  const due = detail.dueAt ?? defaultDueDate(detail.submittedAt ?? new Date(), caseDueDays());
  const dueDay = new Intl.DateTimeFormat("en-CA", { timeZone: user.timeZone }).format(due);
  return { detail: { id: detail.id, code: detail.code }, requested, specialty, consultants, dueDay };
}
