/** Reads and writes case rows: codes, the facts access checks need, the case page's detail, the packet, and the lists. */
import { formatCaseCode } from "~/features/cases/case-code";
import { codesTitled, MORPHOLOGY, TOPOGRAPHY } from "~/features/cases/clinical-codes";
import type { CaseScope } from "~/features/cases/case-access";
import { OPEN_STATUSES, type CaseStatus } from "~/features/cases/case-lifecycle";
import { drugsOf, nonEmptyRows, stagingOf, type Packet } from "~/features/cases/case-packet";
import { carriedRowTranslations, packetTextOf, type PacketTextField, type RowText } from "~/features/cases/packet-texts";
import { carriedTranslation } from "~/features/translation/translated-text";
import { type Db, isUniqueViolation } from "~/platform/db.server";
import { textSha256 } from "~/platform/text-hash.server";
import { Prisma } from "~/generated/sqlite/client";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Issues the next TB-<year>-NNNN code; safe when two servers create cases at once. */
export async function nextCaseCode(db: Pick<Db, "caseCodeCounter">, now = new Date()): Promise<string> {
  const year = now.getUTCFullYear();
  for (let attempt = 0; ; attempt++) {
    try {
      const counter = await db.caseCodeCounter.upsert({ where: { year }, create: { year, last: 1 }, update: { last: { increment: 1 } } });
      return formatCaseCode(year, counter.last);
    } catch (error) {
      if (!isUniqueViolation(error) || attempt > 5) throw error;
    }
  }
}

export async function createDraftCase(db: Pick<Db, "case" | "caseCodeCounter">, input: { institutionId: string; createdById: string; code?: string }) {
  return db.case.create({
    data: { code: input.code ?? (await nextCaseCode(db)), institutionId: input.institutionId, createdById: input.createdById, status: "DRAFT" },
  });
}

/** What access and lifecycle rules need to know about a case. */
export async function getCaseFacts(db: Pick<Db, "$queryRaw">, id: string) {
  const [found] = await getCaseFactsMany(db, [id]);
  return found ?? null;
}

/**
 * The same facts for several cases at once (in no particular order). Every request about a case asks for them, so
 * they are two plain queries (the cases, then the consultants related to them) rather than one query per relation.
 */
export async function getCaseFactsMany(db: Pick<Db, "$queryRaw">, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const idList = Prisma.join([...new Set(ids)]);
  const [cases, related] = await Promise.all([
    db.$queryRaw<{ id: string; code: string; institutionId: string; createdById: string; status: string; version: number | bigint }[]>`
      SELECT c."id", c."code", c."institutionId", c."createdById", c."status", c."version" FROM "Case" c WHERE c."id" IN (${idList})`,
    db.$queryRaw<{ caseId: string; userId: string; relation: "assigned" | "board" }[]>`
      SELECT a."caseId", a."consultantId" AS "userId", 'assigned' AS "relation" FROM "CaseAssignment" a WHERE a."caseId" IN (${idList})
      UNION ALL
      SELECT i."caseId", v."userId", 'board' AS "relation" FROM "AgendaItem" i
        JOIN "BoardSession" s ON s."id" = i."sessionId"
        JOIN "SessionInvitee" v ON v."sessionId" = s."id"
      WHERE i."caseId" IN (${idList}) AND s."status" <> 'CANCELLED' AND v."kind" IN ('CHAIR', 'CONSULTANT')`,
  ]);
  const relatedTo = new Map<string, typeof related>();
  for (const r of related) {
    const list = relatedTo.get(r.caseId);
    if (list) list.push(r);
    else relatedTo.set(r.caseId, [r]);
  }
  return cases.map((row) => {
    const mine = relatedTo.get(row.id) ?? [];
    return {
      ...row,
      version: Number(row.version),
      status: row.status as CaseStatus,
      assignedConsultantIds: mine.filter((r) => r.relation === "assigned").map((r) => r.userId),
      boardConsultantIds: [...new Set(mine.filter((r) => r.relation === "board").map((r) => r.userId))],
    };
  });
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
  const version = await db.$transaction((tx) => writePacket(tx, caseId, packet, expectedVersion));
  return version === null ? { ok: false } : { ok: true, version };
}

/** `savePacket` inside a transaction: the new version, or null when the case is no longer at `expectedVersion`. */
async function writePacket(tx: Tx, caseId: string, packet: Packet, expectedVersion: number): Promise<number | null> {
  const staging = stagingOf(packet);
  const updated = await tx.case.updateMany({
    where: { id: caseId, version: expectedVersion },
    data: {
      version: { increment: 1 },
      ageAtSubmission: packet.ageAtSubmission ?? null,
      ...Object.fromEntries(TEXT_COLUMNS.map((column) => [column, packet[column] || null])),
      staging: JSON.stringify(staging),
      ecog: packet.ecog ?? null,
      urgency: packet.urgency,
      urgencyReason: packet.urgencyReason ?? null,
      requestedSpecialties: JSON.stringify(packet.requestedSpecialties),
    },
  });
  if (updated.count === 0) return null;

  const rowsBefore = [
    ...(await tx.biomarker.findMany({ where: { caseId }, select: { id: true, position: true } })).map((b) => ({ rowId: b.id, position: b.position })),
    ...(await tx.treatmentLine.findMany({ where: { caseId }, select: { id: true, lineNumber: true } })).map((l) => ({ rowId: l.id, position: l.lineNumber })),
  ];
  await tx.biomarker.deleteMany({ where: { caseId } });
  const biomarkers = await tx.biomarker.createManyAndReturn({
    data: nonEmptyRows(packet.biomarkers).map((b, position) => ({ caseId, position, ...b, gene: b.gene ?? "" })),
    select: { id: true, position: true, specimen: true, note: true },
  });
  await tx.treatmentLine.deleteMany({ where: { caseId } });
  const lines = await tx.treatmentLine.createManyAndReturn({
    data: nonEmptyRows(packet.treatmentLines).map((l, i) => ({ caseId, lineNumber: i + 1, ...l, drugs: JSON.stringify(drugsOf(l)), regimen: l.regimen ?? "" })),
    select: { id: true, lineNumber: true, regimen: true, reasonStopped: true },
  });
  await carryRowTranslations(tx, caseId, rowsBefore, [
    ...biomarkers.flatMap((b) => rowTexts(b.id, b.position, { specimen: b.specimen, note: b.note })),
    ...lines.flatMap((l) => rowTexts(l.id, l.lineNumber, { regimen: l.regimen, reasonStopped: l.reasonStopped })),
  ]);

  const previous = await tx.narrativeField.findMany({ where: { caseId } });
  await tx.narrativeField.deleteMany({ where: { caseId } });
  for (const { key, text } of narrativesOf(packet)) {
    const sameOriginal = previous.find((p) => p.originalText === text && p.originalLanguage === packet.narrativeLanguage);
    await tx.narrativeField.create({
      data: {
        caseId,
        key,
        originalLanguage: packet.narrativeLanguage,
        originalText: text,
        ...carriedTranslation(
          sameOriginal,
          previous.find((p) => p.key === key),
        ),
      },
    });
  }

  // The form offers only institutions that exist; anything else (a crafted post) is no recipient.
  const recipient = packet.consentRecipientInstitutionId
    ? await tx.institution.findUnique({ where: { id: packet.consentRecipientInstitutionId }, select: { id: true } })
    : null;
  const consent = {
    consentDate: packet.consentDate ?? null,
    form: packet.consentForm ?? null,
    recipientInstitutionId: recipient?.id ?? null,
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
  return expectedVersion + 1;
}

const rowTexts = (rowId: string, position: number, texts: Partial<Record<PacketTextField, string | null>>): RowText[] =>
  Object.entries(texts).flatMap(([field, text]) => (text?.trim() ? [{ rowId, position, field: field as PacketTextField, sha256: textSha256(text) }] : []));

/** The translations of the biomarkers' and lines' texts follow their originals to the rows just written (`carriedRowTranslations`). */
async function carryRowTranslations(tx: Tx, caseId: string, before: { rowId: string; position: number }[], after: RowText[]) {
  const translations = await tx.textTranslation.findMany({
    where: { caseId, subjectType: "PACKET_FIELD" },
    select: { id: true, subjectId: true, originalSha256: true },
  });
  const { moved, dropped } = carriedRowTranslations(translations, before, after);
  for (const { id, subjectId } of moved) await tx.textTranslation.update({ where: { id }, data: { subjectId } });
  if (dropped.length > 0) await tx.textTranslation.deleteMany({ where: { id: { in: dropped } } });
}

/** A short free text of the case's packet, as stored, by its PACKET_FIELD subject; null when the case holds no such text. */
export async function storedPacketText(db: Db, caseId: string, subjectId: string): Promise<string | null> {
  const named = packetTextOf(subjectId);
  if (!named) return null;
  const { rowId, field } = named;
  switch (field) {
    case "primarySite":
    case "histology":
    case "urgencyReason": {
      if (rowId !== caseId) return null;
      const found = await db.case.findUnique({ where: { id: caseId }, select: { primarySite: true, histology: true, urgencyReason: true } });
      return found?.[field] || null;
    }
    case "specimen":
    case "note": {
      const found = await db.biomarker.findFirst({ where: { id: rowId, caseId }, select: { specimen: true, note: true } });
      return found?.[field] || null;
    }
    case "regimen":
    case "reasonStopped": {
      const found = await db.treatmentLine.findFirst({ where: { id: rowId, caseId }, select: { regimen: true, reasonStopped: true } });
      return found?.[field] || null;
    }
  }
}

/** A draft that comes into being with its first packet: the case, its packet and its "create" step in one transaction. */
export async function createCaseWithPacket(db: Db, input: { institutionId: string; createdById: string; packet: Packet }) {
  const code = await nextCaseCode(db);
  return db.$transaction(async (tx) => {
    const created = await createDraftCase(tx, { ...input, code });
    const version = await writePacket(tx, created.id, input.packet, created.version);
    await tx.caseTransition.create({ data: { caseId: created.id, fromStatus: "NONE", toStatus: "DRAFT", action: "create", actorId: input.createdById } });
    return { id: created.id, code, version: version! };
  });
}

/** A draft holding nothing but its code: the stored side of `packetHasContent`, with no report, image, slide, pull or linkage key either. */
const EMPTY_DRAFT = {
  status: "DRAFT",
  ageAtSubmission: null,
  ecog: null,
  urgency: "ROUTINE",
  urgencyReason: null,
  requestedSpecialties: "[]",
  linkageKeyHash: null,
  narratives: { none: {} },
  biomarkers: { none: {} },
  treatmentLines: { none: {} },
  consent: { is: null },
  attachments: { none: {} },
  studies: { none: {} },
  slides: { none: {} },
  pacsPulls: { none: {} },
};
const emptyDraftWhere = (caseId: string) => ({ id: caseId, ...EMPTY_DRAFT, ...Object.fromEntries(TEXT_COLUMNS.map((column) => [column, null])) });

export async function isEmptyDraft(db: Db, caseId: string): Promise<boolean> {
  return (await db.case.count({ where: emptyDraftWhere(caseId) })) === 1;
}

/** Deletes the draft if it is still empty (its steps go with it; the audit log keeps its story); false if it was not. */
export async function deleteEmptyDraftCase(db: Db, caseId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const deleted = await tx.case.deleteMany({ where: emptyDraftWhere(caseId) });
    if (deleted.count === 0) return false;
    await tx.searchDocument.deleteMany({ where: { caseId } });
    return true;
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

/** The cases a list scope covers, as a Prisma filter on Case. */
export function caseScopeWhere(scope: CaseScope) {
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
  const and: object[] = [caseScopeWhere(scope)];
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
