/** The PIPL export ledger: checks before a case becomes readable abroad, the counted rows, and the per-institution overview. */
import { getDb, type Db } from "~/platform/db.server";
import {
  exportRefusal,
  EXPORT_REFUSAL_KEYS,
  isAbroad,
  ledgerLevel,
  SENSITIVE_ASSESSMENT_THRESHOLD,
  WARNING_SHARE,
  yearIn,
  type LedgerLevel,
} from "./cross-border";

/** The exporting side's calendar: the ledger page's default year is China's. */
const LEDGER_TIME_ZONE = "Asia/Shanghai";

type Claim = { institutionId: string; caseId: string; year: number };
export type ExportCheck = { ok: true; claims: Claim[] } | { ok: false; errorKey: string; caseId: string };

/**
 * Before the given readers gain access to the given cases: which cases become readable abroad (to be counted
 * once the change is saved), or the first case whose institution has no legal basis for it.
 */
export async function checkCrossBorderExports(db: Db, input: { caseIds: readonly string[]; readerIds: readonly string[]; now?: Date }): Promise<ExportCheck> {
  const now = input.now ?? new Date();
  if (input.caseIds.length === 0 || input.readerIds.length === 0) return { ok: true, claims: [] };
  const readers = await db.user.findMany({ where: { id: { in: [...input.readerIds] } }, select: { institution: { select: { country: true } } } });
  const cases = await db.case.findMany({
    where: { id: { in: [...input.caseIds] } },
    select: {
      id: true,
      institution: { select: { id: true, country: true, timeZone: true, crossBorderBasis: true, crossBorderReference: true, crossBorderDate: true } },
    },
  });
  const claims: Claim[] = [];
  const addedThisCheck = new Map<string, number>();
  for (const { id: caseId, institution } of cases) {
    if (!readers.some((reader) => isAbroad(institution.country, reader.institution?.country))) continue;
    const year = yearIn(institution.timeZone, now);
    const alreadyCounted = (await db.crossBorderExport.count({ where: { institutionId: institution.id, year, caseId } })) > 0;
    const countedThisYear = (await db.crossBorderExport.count({ where: { institutionId: institution.id, year } })) + (addedThisCheck.get(institution.id) ?? 0);
    const refusal = exportRefusal({ basis: institution, countedThisYear, alreadyCounted, now });
    if (refusal) return { ok: false, errorKey: EXPORT_REFUSAL_KEYS[refusal], caseId };
    if (!alreadyCounted) {
      claims.push({ institutionId: institution.id, caseId, year });
      addedThisCheck.set(institution.id, (addedThisCheck.get(institution.id) ?? 0) + 1);
    }
  }
  return { ok: true, claims };
}

/** Counts the cases now readable abroad; a case already counted this year stays one row. */
export async function recordCrossBorderExports(db: Db, claims: readonly Claim[]): Promise<void> {
  for (const claim of claims) {
    await db.crossBorderExport.upsert({ where: { institutionId_year_caseId: claim }, create: claim, update: {} });
  }
}

/**
 * A consultant abroad reading a case counts it for this year, even when it was made readable in an earlier year.
 * Reading is never refused here: access was granted under the basis in force then.
 */
export async function countCrossBorderRead(db: Db, input: { readerId: string; caseId: string; now?: Date }): Promise<void> {
  const [reader, found] = await Promise.all([
    db.user.findUnique({ where: { id: input.readerId }, select: { institution: { select: { country: true } } } }),
    db.case.findUnique({ where: { id: input.caseId }, select: { institution: { select: { id: true, country: true, timeZone: true } } } }),
  ]);
  if (!reader || !found || !isAbroad(found.institution.country, reader.institution?.country)) return;
  const year = yearIn(found.institution.timeZone, input.now ?? new Date());
  await recordCrossBorderExports(db, [{ institutionId: found.institution.id, caseId: input.caseId, year }]);
}

export type LedgerRow = {
  institutionId: string;
  nameEn: string;
  nameZh: string;
  basis: string | null;
  reference: string | null;
  basisDate: Date | null;
  count: number;
  threshold: number;
  percent: number;
  level: LedgerLevel;
};

/** The ledger page: the year asked for (this year in China when absent or out of range) and every treating institution's count in it. */
export async function loadCrossBorderLedger({ yearParam, now = new Date(), db = getDb() }: { yearParam: string | null; now?: Date; db?: Db }) {
  const thisYear = yearIn(LEDGER_TIME_ZONE, now);
  const asked = Number(yearParam);
  const year = Number.isInteger(asked) && asked >= 2020 && asked <= thisYear ? asked : thisYear;
  return { year, thisYear, threshold: SENSITIVE_ASSESSMENT_THRESHOLD, warningPercent: WARNING_SHARE * 100, rows: await crossBorderLedger(year, db) };
}

/** Every treating institution's count for a year against the assessment threshold. */
async function crossBorderLedger(year: number, db: Db = getDb()): Promise<LedgerRow[]> {
  const institutions = await db.institution.findMany({ where: { kind: "TREATING" }, orderBy: { nameEn: "asc" } });
  const counts = await db.crossBorderExport.groupBy({ by: ["institutionId"], where: { year }, _count: { _all: true } });
  const countOf = new Map(counts.map((c) => [c.institutionId, c._count._all]));
  return institutions.map((institution) => {
    const count = countOf.get(institution.id) ?? 0;
    return {
      institutionId: institution.id,
      nameEn: institution.nameEn,
      nameZh: institution.nameZh,
      basis: institution.crossBorderBasis,
      reference: institution.crossBorderReference,
      basisDate: institution.crossBorderDate,
      count,
      threshold: SENSITIVE_ASSESSMENT_THRESHOLD,
      percent: Math.floor((count / SENSITIVE_ASSESSMENT_THRESHOLD) * 100),
      level: ledgerLevel(count, institution.crossBorderBasis),
    };
  });
}
