/**
 * What the live room page loads: the agenda items the participant may see and, for those whose case they may read
 * (an interpreter reads only the room), each case's summary, series and key images; each case read is audited.
 */
import { caseAbilities } from "~/features/cases/case-access";
import { auditCase } from "~/features/cases/case-access.server";
import { getCaseDetail, getCaseFactsMany } from "~/features/cases/case-store.server";
import { icd10Title } from "~/features/cases/reference-data.server";
import { withClinicalValues } from "~/features/cases/clinical-codes";
import { packetTexts } from "~/features/cases/packet-texts";
import { textTranslations } from "~/features/translation/text-translations.server";
import type { CurrentUser } from "~/features/identity/auth.server";
import { imagingAbilities } from "~/features/imaging/imaging-access";
import { opinionWithinReach } from "~/features/opinions/opinion-access";
import { keyImagesOf, slideKeyRegionsOf, viewerStudies } from "~/features/imaging/imaging-store.server";
import { measurementReportsOf } from "~/features/imaging/structured-reports.server";
import { getDb, type Db } from "~/platform/db.server";
import type { RequestMeta } from "~/platform/request-meta.server";
import { sessionAbilities, visibleAgendaItemIds } from "../board-access";
import { meetingJoin } from "../meeting";
import { boardFacts } from "./room-events.server";

/** Null when the user may not join the room (or there is no such session). */
export async function loadBoardRoom({ user, meta, sessionId, db = getDb() }: { user: CurrentUser; meta: RequestMeta; sessionId: string; db?: Db }) {
  const facts = await boardFacts(db, sessionId);
  const may = facts ? sessionAbilities(user, facts) : null;
  if (!facts || !may?.joinRoom) return null;
  const visible = visibleAgendaItemIds(user, facts);
  const shown = facts.agendaDetails.filter((a) => visible.has(a.id));
  const caseFacts = new Map(
    (
      await getCaseFactsMany(
        db,
        shown.map((item) => item.caseId),
      )
    ).map((f) => [f.id, f]),
  );
  const items = [];
  for (const item of shown) {
    const itemFacts = caseFacts.get(item.caseId);
    if (!itemFacts || !caseAbilities(user, itemFacts).view) {
      items.push({ ...item, caseShown: false as const });
      continue;
    }
    const detail = (await getCaseDetail(db, item.caseId))!;
    const seeFlaggedSeries = imagingAbilities(user, itemFacts).seeFlaggedSeries;
    const opinionVersions = await db.opinion.findMany({
      where: { caseId: item.caseId },
      orderBy: { version: "desc" },
      select: { status: true, deliveredAt: true, recipients: { select: { userId: true, acknowledgedAt: true } } },
    });
    const latestOpinion = opinionVersions[0] ?? null;
    const studies = await viewerStudies(db, item.caseId, seeFlaggedSeries);
    const reports = await measurementReportsOf(db, item.caseId, studies, seeFlaggedSeries);
    await auditCase({
      db,
      user,
      meta,
      caseId: item.caseId,
      action: "case.view",
      details: { via: "board", sessionId: facts.id, reportIds: reports.map((report) => report.id) },
    });
    const series = studies.flatMap((study) => study.series);
    const translators = await db.user.findMany({
      where: { id: { in: detail.narratives.flatMap((n) => (n.translatedById ? [n.translatedById] : [])) } },
      select: { id: true, displayName: true },
    });
    items.push({
      ...item,
      caseShown: true as const,
      detail: {
        ...withClinicalValues(detail, await textTranslations(db, item.caseId, packetTexts(detail))),
        comments: undefined,
        transitions: undefined,
        narratives: detail.narratives.map((n) => ({
          key: n.key,
          originalLanguage: n.originalLanguage,
          originalText: n.originalText,
          translationText: n.translationText,
          translatedBy: translators.find((person) => person.id === n.translatedById)?.displayName ?? null,
          translatedAt: n.translatedAt,
        })),
      },
      icd10: icd10Title(detail.icd10Code) ?? null,
      keyImages: await keyImagesOf(db, item.caseId, seeFlaggedSeries),
      slideRegions: await slideKeyRegionsOf(db, item.caseId),
      series,
      reports,
      /** Whether the end of the board links this reader on to the case's opinion. */
      opinionLink: opinionWithinReach(user, itemFacts, latestOpinion, opinionVersions),
    });
  }
  return {
    sessionId: facts.id,
    title: facts.title,
    status: facts.status,
    /** The call, for as long as the room is open: no link into a board that has ended. */
    meeting: may.enterRoom ? meetingJoin(facts.meeting) : null,
    me: { id: user.id, role: user.role, timeZone: user.timeZone },
    /** Whether the reader votes in the polls, writes in the discussion as a member of the board (a co-chair also writes), and translates there. */
    may: { vote: may.vote, speak: may.speak, translate: may.translate },
    items,
  };
}
