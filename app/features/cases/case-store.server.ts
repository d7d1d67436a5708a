/** Reads and writes case rows: codes, the facts access checks need, the case page's detail, the packet, and the lists. */
import { formatCaseCode } from "~/features/cases/case-code";
import { codesTitled, MORPHOLOGY, TOPOGRAPHY } from "~/features/cases/clinical-codes";
import type { CaseScope } from "~/features/cases/case-access";
import { OPEN_STATUSES, type CaseStatus } from "~/features/cases/case-lifecycle";
import { drugsOf, nonEmptyRows, stagingOf, type Packet } from "~/features/cases/case-packet";
import type { Db } from "~/platform/db.server";

/** Issues the next TB-<year>-NNNN code; safe when two servers create cases at once. */
export async function nextCaseCode(db: Db, now = new Date()): Promise<string> {
  const year = now.getUTCFullYear();
  for (let attempt = 0; ; attempt++) {
    try {
      const counter = await db.caseCodeCounter.upsert({ where: { year }, create: { year, last: 1 }, update: { last: { increment: 1 } } });
      return formatCaseCode(year, counter.last);
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002" || attempt > 5) throw error;
    }
  }
}

export async function createDraftCase(db: Db, input: { institutionId: string; createdById: string; narrativeLanguage?: string }) {
  return db.case.create({
    data: { code: await nextCaseCode(db), institutionId: input.institutionId, createdById: input.createdById, status: "DRAFT" },
  });
}

/** What access and lifecycle rules need to know about a case. */
export async function getCaseFacts(db: Pick<Db, "case">, id: string) {
  const [found] = await getCaseFactsMany(db, [id]);
  return found ?? null;
}

/** The same facts for several cases at once (in no particular order). */
export async function getCaseFactsMany(db: Pick<Db, "case">, ids: readonly string[]) {
  const rows = await db.case.findMany({
    where: { id: { in: [...ids] } },
    select: {
      id: true,
      code: true,
      institutionId: true,
      status: true,
      version: true,
      assignments: { select: { consultantId: true } },
      agendaItems: {
        where: { session: { status: { not: "CANCELLED" } } },
        select: { session: { select: { invitees: { where: { kind: { in: ["CHAIR", "CONSULTANT"] } }, select: { userId: true } } } } },
      },
    },
  });
  return rows.map(({ assignments, agendaItems, ...facts }) => ({
    ...facts,
    status: facts.status as CaseStatus,
    assignedConsultantIds: assignments.map((a) => a.consultantId),
    boardConsultantIds: [...new Set(agendaItems.flatMap((item) => item.session.invitees.map((i) => i.userId)))],
  }));
}
export type CaseFactsRow = NonNullable<Awaited<ReturnType<typeof getCaseFacts>>>;

/** Everything a case page shows; imaging secrets, the date shift and the linkage hash never leave the server. */
export async function getCaseDetail(db: Db, id: string) {
  const found = await db.case.findUnique({
    where: { id },
    omit: { imagingSecret: true, imagingDateShiftDays: true, imagingBytes: true },
    include: {
      institution: { select: { id: true, nameEn: true, nameZh: true, timeZone: true } },
      createdBy: { select: { displayName: true } },
      narratives: { orderBy: { key: "asc" } },
      biomarkers: { orderBy: { position: "asc" } },
      treatmentLines: { orderBy: { lineNumber: "asc" } },
      consent: { include: { recipientInstitution: { select: { nameEn: true, nameZh: true } } } },
      attachments: { orderBy: { createdAt: "asc" } },
      assignments: { include: { consultant: { select: { id: true, displayName: true } } }, orderBy: { role: "asc" } },
      transitions: { orderBy: { occurredAt: "asc" } },
      comments: { orderBy: { createdAt: "asc" } },
    },
  });
  if (!found) return null;
  const { linkageKeyHash, ...detail } = found;
  return { ...detail, hasLinkageKey: linkageKeyHash !== null };
}
export type CaseDetail = NonNullable<Awaited<ReturnType<typeof getCaseDetail>>>;

export function questionKey(index: number): string {
  return `question.${String(index + 1).padStart(2, "0")}`;
}

/** The narratives a packet carries, keyed as stored. */
export function narrativesOf(packet: Packet): { key: string; text: string }[] {
  const entries: { key: string; text: string | undefined }[] = [
    { key: "clinicalHistory", text: packet.clinicalHistory },
    { key: "comorbidities", text: packet.comorbidities },
    ...packet.questions.filter((q) => q && q.trim()).map((text, i) => ({ key: questionKey(i), text })),
  ];
  return entries.filter((e): e is { key: string; text: string } => Boolean(e.text));
}

/** Packet fields stored as they are in a text column of the same name. */
const TEXT_COLUMNS = ["sex", "cancerType", "primarySiteCode", "primarySite", "histology", "icd10Code", "icdO3Code", "diagnosisDate"] as const;

/**
 * Saves a draft packet if nobody saved a newer version meanwhile. Existing
 * translations follow their original text; a translation whose original
 * changed is kept but marked as needing review again.
 */
export async function savePacket(db: Db, caseId: string, packet: Packet, expectedVersion: number): Promise<{ ok: true; version: number } | { ok: false }> {
  const staging = stagingOf(packet);
  return db.$transaction(async (tx) => {
    const updated = await tx.case.updateMany({
      where: { id: caseId, version: expectedVersion },
      data: {
        version: { increment: 1 },
        ageAtSubmission: packet.ageAtSubmission ?? null,
        ...Object.fromEntries(TEXT_COLUMNS.map((column) => [column, packet[column] ?? null])),
        staging: JSON.stringify(staging),
        ecog: packet.ecog ?? null,
        urgency: packet.urgency,
        urgencyReason: packet.urgencyReason ?? null,
        requestedSpecialties: JSON.stringify(packet.requestedSpecialties),
      },
    });
    if (updated.count === 0) return { ok: false as const };

    await tx.biomarker.deleteMany({ where: { caseId } });
    await tx.biomarker.createMany({ data: nonEmptyRows(packet.biomarkers).map((b, position) => ({ caseId, position, ...b, gene: b.gene ?? "" })) });
    await tx.treatmentLine.deleteMany({ where: { caseId } });
    await tx.treatmentLine.createMany({
      data: nonEmptyRows(packet.treatmentLines).map((l, i) => ({
        caseId,
        lineNumber: i + 1,
        ...l,
        drugs: JSON.stringify(drugsOf(l)),
        regimen: l.regimen ?? "",
      })),
    });

    const previous = await tx.narrativeField.findMany({ where: { caseId } });
    await tx.narrativeField.deleteMany({ where: { caseId } });
    for (const { key, text } of narrativesOf(packet)) {
      const same = previous.find((p) => p.originalText === text && p.originalLanguage === packet.narrativeLanguage);
      const sameKey = previous.find((p) => p.key === key);
      const carried = same ?? (sameKey?.translationText ? sameKey : undefined);
      const stale = carried && carried !== same;
      await tx.narrativeField.create({
        data: {
          caseId,
          key,
          originalLanguage: packet.narrativeLanguage,
          originalText: text,
          translationText: carried?.translationText ?? null,
          translationStatus: carried ? (stale && carried.translationStatus === "REVIEWED" ? "DRAFT" : carried.translationStatus) : "NONE",
          translatedById: carried?.translatedById ?? null,
          translatedAt: carried?.translatedAt ?? null,
        },
      });
    }

    const consent = {
      consentDate: packet.consentDate ?? null,
      form: packet.consentForm ?? null,
      recipientInstitutionId: packet.consentRecipientInstitutionId || null,
      purpose: packet.consentPurpose ?? null,
      dataCategories: JSON.stringify(packet.consentDataCategories),
    };
    const anyConsent = consent.consentDate || consent.form || consent.recipientInstitutionId || consent.purpose || packet.consentDataCategories.length > 0;
    const existingConsent = await tx.consent.findUnique({ where: { caseId }, select: { recordedById: true } });
    if (anyConsent) {
      await tx.consent.upsert({ where: { caseId }, create: { caseId, ...consent, recordedById: existingConsent?.recordedById ?? "" }, update: consent });
    } else if (existingConsent) {
      await tx.consent.delete({ where: { caseId } });
    }
    return { ok: true as const, version: expectedVersion + 1 };
  });
}

/** The form's initial values, from what is stored. */
export function packetDefaults(c: CaseDetail) {
  const staging = JSON.parse(c.staging) as Record<string, unknown>;
  const narrative = (key: string) => c.narratives.find((n) => n.key === key)?.originalText;
  const questions = c.narratives.filter((n) => n.key.startsWith("question.")).map((n) => n.originalText);
  const consentCategories = c.consent ? (JSON.parse(c.consent.dataCategories) as string[]) : [];
  return {
    narrativeLanguage: c.narratives[0]?.originalLanguage ?? "zh-CN",
    ageAtSubmission: c.ageAtSubmission?.toString(),
    ...(Object.fromEntries(TEXT_COLUMNS.map((column) => [column, c[column] ?? undefined])) as Partial<Record<(typeof TEXT_COLUMNS)[number], string>>),
    tnmPrefix: staging.prefix as string | undefined,
    tnmT: staging.t as string | undefined,
    tnmN: staging.n as string | undefined,
    tnmM: staging.m as string | undefined,
    stageGroup: staging.group as string | undefined,
    luganoStage: staging.system === "LUGANO" ? (staging.stage as string | undefined) : undefined,
    bSymptoms: staging.bSymptoms ? "on" : undefined,
    rissStage: staging.system === "RISS" ? (staging.stage as string | undefined) : undefined,
    eln2022Risk: staging.risk as string | undefined,
    ecog: c.ecog?.toString(),
    comorbidities: narrative("comorbidities"),
    clinicalHistory: narrative("clinicalHistory"),
    biomarkers: c.biomarkers.map((b) => ({ ...b, vaf: b.vaf?.toString(), resultValue: b.resultValue?.toString() })),
    treatmentLines: c.treatmentLines.map((l) => ({ ...l, drugs: JSON.parse(l.drugs) as string[] })),
    questions: questions.length > 0 ? questions : [""],
    urgency: c.urgency,
    urgencyReason: c.urgencyReason ?? undefined,
    requestedSpecialties: JSON.parse(c.requestedSpecialties) as string[],
    consentDate: c.consent?.consentDate ?? undefined,
    consentForm: c.consent?.form ?? undefined,
    consentRecipientInstitutionId: c.consent?.recipientInstitutionId ?? undefined,
    consentPurpose: c.consent?.purpose ?? undefined,
    consentDataCategories: consentCategories,
  };
}

export type CaseListFilter = { status?: string; cancerType?: string; institutionId?: string; due?: "overdue" | "week"; q?: string };
export type CaseListSort = "updated" | "due" | "submitted" | "code";

function scopeWhere(scope: CaseScope) {
  switch (scope.kind) {
    case "institution":
      return { institutionId: scope.institutionId };
    case "assigned":
      return { assignments: { some: { consultantId: scope.consultantId } }, status: { not: "DRAFT" } };
    case "submitted":
    case "metadataOnly":
      return { status: { not: "DRAFT" } };
    default:
      return { id: "__none__" };
  }
}

export async function listCases(db: Db, scope: CaseScope, filter: CaseListFilter, sort: CaseListSort, page: number, pageSize: number, now = new Date()) {
  const q = filter.q?.trim();
  const and: object[] = [scopeWhere(scope)];
  if (filter.status) and.push({ status: filter.status });
  if (filter.cancerType) and.push({ cancerType: filter.cancerType });
  if (filter.institutionId) and.push({ institutionId: filter.institutionId });
  if (filter.due === "overdue") and.push({ dueAt: { lt: now }, status: { in: [...OPEN_STATUSES] } });
  if (filter.due === "week") and.push({ dueAt: { gte: now, lt: new Date(now.getTime() + 7 * 86_400_000) }, status: { in: [...OPEN_STATUSES] } });
  if (q && scope.kind !== "metadataOnly") {
    and.push({
      OR: [
        { code: { contains: q.toUpperCase() } },
        { primarySiteCode: { startsWith: q.toUpperCase() } },
        { primarySiteCode: { in: codesTitled(TOPOGRAPHY, q) } },
        { icdO3Code: { in: codesTitled(MORPHOLOGY, q) } },
        { primarySite: { contains: q } },
        { histology: { contains: q } },
        { icd10Code: { startsWith: q.toUpperCase() } },
      ],
    });
  } else if (q) {
    and.push({ code: { contains: q.toUpperCase() } });
  }
  const where = { AND: and };
  const orderBy =
    sort === "due"
      ? [{ dueAt: "asc" as const }, { id: "asc" as const }]
      : sort === "submitted"
        ? [{ submittedAt: "desc" as const }, { id: "asc" as const }]
        : sort === "code"
          ? [{ code: "asc" as const }]
          : [{ updatedAt: "desc" as const }, { id: "asc" as const }];
  const clinical = scope.kind !== "metadataOnly";
  const [rows, total] = await Promise.all([
    db.case.findMany({
      where,
      orderBy,
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true,
        code: true,
        status: true,
        urgency: true,
        submittedAt: true,
        dueAt: true,
        updatedAt: true,
        cancerType: clinical,
        primarySiteCode: clinical,
        primarySite: clinical,
        histology: clinical,
        icd10Code: clinical,
        icdO3Code: clinical,
        institution: { select: { nameEn: true, nameZh: true } },
        assignments: { select: { role: true, consultant: { select: { displayName: true } } } },
      },
    }),
    db.case.count({ where }),
  ]);
  return { rows, total };
}
