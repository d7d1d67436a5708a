/** What the opinion page shows a reader: the versions they may read, what they may do, what blocks signing or delivery. The read is audited. */
import { caseQuestions, boardSummaries, getOutcome, listOpinionVersions } from "~/features/opinions/opinion-store.server";
import { auditCase, type CaseCaller } from "~/features/cases/case-access.server";
import { getDb } from "~/platform/db.server";
import { canReadOpinion, opinionAbilities } from "./opinion-access";
import { opinionChanges } from "./opinion-changes";
import { SECTIONS } from "./opinion-content";
import { deliveryProblems, signingProblems } from "./opinion-rules";
import { textTranslationAids, textTranslations } from "~/features/translation/text-translations.server";
import { subjectKey, translatedText, type TextSubject } from "~/features/translation/translated-text";

export async function loadOpinionPage({ user, facts, meta, db = getDb() }: CaseCaller) {
  const [versions, questions, caseRow] = await Promise.all([
    listOpinionVersions(db, facts.id),
    caseQuestions(db, facts.id),
    db.case.findUniqueOrThrow({
      where: { id: facts.id },
      select: { code: true, cancerType: true, createdById: true, institution: { select: { nameEn: true, nameZh: true } } },
    }),
  ]);
  const readable = versions.filter((v) => canReadOpinion(user, facts, v));
  await auditCase({ db, user, meta, caseId: facts.id, action: "opinion.view", details: { opinionIds: readable.map((v) => v.id) } });
  const current = readable[readable.length - 1] ?? null;
  const peopleIds = new Set<string>();
  for (const v of readable) {
    for (const s of v.sections) if (s.updatedById) peopleIds.add(s.updatedById);
    for (const name of SECTIONS) if (v.content[name].translatedById) peopleIds.add(v.content[name].translatedById!);
    for (const f of v.followUps) [f.askedById, f.answeredById ?? ""].forEach((id) => id && peopleIds.add(id));
  }
  const people = await db.user.findMany({ where: { id: { in: [...peopleIds] } }, select: { id: true, displayName: true } });
  const may = opinionAbilities(user, facts, current);
  const followUpTexts = readable.flatMap((v) =>
    v.followUps.flatMap((f) => [
      { subject: { type: "FOLLOW_UP_QUESTION" as const, id: f.id }, text: f.question },
      ...(f.answer ? [{ subject: { type: "FOLLOW_UP_ANSWER" as const, id: f.id }, text: f.answer }] : []),
    ]),
  );
  const translations = await textTranslations(db, facts.id, followUpTexts);
  const translated = (subject: TextSubject, text: string) => translatedText(text, translations[subjectKey(subject)] ?? null);
  return {
    textTranslationAids: await textTranslationAids({ user, facts, meta, db }, followUpTexts, translations),
    user: { id: user.id, timeZone: user.timeZone },
    caseInfo: { id: facts.id, code: caseRow.code, status: facts.status, cancerType: caseRow.cancerType, institution: caseRow.institution },
    questions,
    names: Object.fromEntries(people.map((p) => [p.id, p.displayName])) as Record<string, string>,
    versions: readable.map((v, i) => ({
      id: v.id,
      version: v.version,
      status: v.status,
      origin: v.origin,
      amendmentReason: v.amendmentReason,
      previousVersion: readable[i - 1]?.version ?? null,
      changes: v.previousId && readable[i - 1] ? opinionChanges(readable[i - 1].content, v.content) : [],
      englishOnly: v.englishOnly,
      content: v.content,
      sectionVersions: v.sectionVersions,
      contentHash: v.contentHash,
      signedBy: v.signedBy,
      signedAt: v.signedAt,
      deliveredAt: v.deliveredAt,
      recipients: v.recipients.map((r) => ({ name: r.user.displayName, userId: r.userId, acknowledgedAt: r.acknowledgedAt })),
      followUps: v.followUps.map((f) => ({
        ...f,
        questionText: translated({ type: "FOLLOW_UP_QUESTION", id: f.id }, f.question),
        answerText: f.answer ? translated({ type: "FOLLOW_UP_ANSWER", id: f.id }, f.answer) : null,
      })),
    })),
    currentId: current?.id ?? null,
    may,
    hasBoardSummary: may.draft && versions.length === 0 ? (await boardSummaries(db, facts.id)).length > 0 : false,
    signing: current?.status === "DRAFT" ? signingProblems(current.content, questions) : null,
    /** The reader signs with their second factor too when they have one. */
    signNeedsCode: (await db.user.findUnique({ where: { id: user.id }, select: { mfaEnabledAt: true } }))?.mfaEnabledAt != null,
    delivery: current?.status === "SIGNED" && may.manageDelivery ? deliveryProblems(current.content, { englishOnly: current.englishOnly }) : null,
    recipientChoices:
      current?.status === "SIGNED" && may.manageDelivery
        ? await db.user.findMany({
            where: { institutionId: facts.institutionId, role: "TREATING_PHYSICIAN", active: true },
            select: { id: true, displayName: true, email: true },
            orderBy: { displayName: "asc" },
          })
        : [],
    defaultRecipientId: caseRow.createdById,
    outcome: may.ask || may.manageDelivery ? await getOutcome(db, facts.id) : null,
  };
}
