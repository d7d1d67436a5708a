/** Cases for opinion tests: a third consultant (so two can draft while consultant2 stays outside), and a Wuhan case under review, optionally discussed at an ended board. */
import { nextCaseCode } from "~/features/cases/case-store.server";
import type { Db } from "~/platform/db.server";
import { hashPassword } from "~/features/identity/password.server";
import { DEMO_PASSWORD } from "~/seed/seed.server";

export async function thirdConsultant(db: Db): Promise<string> {
  const existing = await db.user.findUnique({ where: { email: "consultant3@demo.test" }, select: { id: true } });
  if (existing) return existing.id;
  const created = await db.user.create({
    data: {
      email: "consultant3@demo.test",
      displayName: "Dr. Maria Lopez",
      passwordHash: await hashPassword(DEMO_PASSWORD),
      role: "CONSULTANT",
      institutionId: "demo-pacific",
      timeZone: "America/New_York",
      // A demo account like the seeded ones: it signs in without a second factor.
      mfaExempt: true,
    },
  });
  return created.id;
}

type Narrative = { key: string; originalText: string; originalLanguage?: string; translationText?: string };
const QUESTIONS: Narrative[] = [
  { key: "question.01", originalText: "一线是否推荐奥希替尼单药？", translationText: "Is first-line osimertinib monotherapy recommended?" },
  { key: "question.02", originalText: "骨转移是否需要局部放疗？", translationText: "Do the bone metastases need local radiotherapy?" },
];

/**
 * A submitted Wuhan lung case (or of `institutionId`) created by physician@demo.test and assigned to
 * `consultantIds` (the first as primary); with `boardSummary`, an ended board
 * chaired by the first consultant discussed it.
 */
export async function wuhanCaseInReview(
  db: Db,
  options: { consultantIds: string[]; status?: string; narratives?: Narrative[]; boardSummary?: string; institutionId?: string },
): Promise<{ id: string; code: string }> {
  const person = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } })).id;
  const [physician, coordinator] = await Promise.all([person("physician@demo.test"), person("coordinator@demo.test")]);
  const submittedAt = new Date(Date.now() - 6 * 86_400_000);
  const created = await db.case.create({
    data: {
      code: await nextCaseCode(db),
      institutionId: options.institutionId ?? "demo-wuhan",
      createdById: physician,
      status: options.status ?? "IN_REVIEW",
      ageAtSubmission: 58,
      sex: "MALE",
      cancerType: "SOLID",
      primarySiteCode: "C34.1",
      primarySite: "Right upper lobe",
      icdO3Code: "8140/3",
      histology: "Adenocarcinoma",
      icd10Code: "C34.1",
      submittedAt,
      dueAt: new Date(submittedAt.getTime() + 7 * 86_400_000),
      narratives: {
        create: (options.narratives ?? QUESTIONS).map((n) => ({
          key: n.key,
          originalLanguage: n.originalLanguage ?? "zh-CN",
          originalText: n.originalText,
          ...(n.translationText ? { translationText: n.translationText, translationStatus: "REVIEWED" } : {}),
        })),
      },
      assignments: {
        create: options.consultantIds.map((consultantId, i) => ({ consultantId, role: i === 0 ? "PRIMARY" : "SECONDARY", assignedById: coordinator })),
      },
    },
  });
  if (options.boardSummary !== undefined) {
    const chair = options.consultantIds[0];
    const endedAt = new Date(Date.now() - 86_400_000);
    await db.boardSession.create({
      data: {
        title: "Thoracic board",
        startsAt: new Date(endedAt.getTime() - 3_600_000),
        durationMinutes: 60,
        timeZone: "Asia/Shanghai",
        chairId: chair,
        createdById: coordinator,
        status: "ENDED",
        startedAt: new Date(endedAt.getTime() - 3_600_000),
        endedAt,
        invitees: { create: options.consultantIds.map((userId, i) => ({ userId, kind: i === 0 ? "CHAIR" : "CONSULTANT" })) },
        agenda: {
          create: [{ caseId: created.id, position: 0, boardSummary: options.boardSummary, summaryById: chair, summaryAt: endedAt, discussedAt: endedAt }],
        },
      },
    });
  }
  return { id: created.id, code: created.code };
}
