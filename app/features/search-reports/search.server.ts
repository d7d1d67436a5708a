/**
 * The archive search: one CASE document per case (packet fields, narratives in
 * both languages, biomarkers, institution) and one OPINION document per signed
 * opinion (every section in English and Chinese), as tokens from
 * search-tokens.ts in SearchDocument, with a full-text index beside
 * it (FTS5 in SQLite, GIN over a stored to_tsvector('simple') in PostgreSQL; migration
 * 0014). A search answers only cases the actor may see, and matches opinion
 * text only of opinions the actor may read.
 */
import { caseScope, canViewCase, type CaseScope } from "~/features/cases/case-access";
import { canReadOpinion } from "~/features/opinions/opinion-access";
import type { CaseStatus } from "~/features/cases/case-lifecycle";
import { parseJsonOrNull } from "~/platform/json";
import { UNTRANSLATED_KEYS } from "~/features/opinions/opinion-translation";
import { drugsValue, histologyValue, siteValue } from "~/features/cases/clinical-codes";
import type { ClinicalValue } from "~/features/cases/clinical-value";
import type { Actor } from "~/features/identity/permissions";
import type { CurrentUser } from "~/features/identity/auth.server";
import { recordAudit } from "~/features/audit/audit.server";
import { CANCER_TYPES, GENES } from "~/features/cases/clinical-vocabulary";
import type { RequestMeta } from "~/platform/request-meta.server";
import { readSearchForm, type SearchFilters } from "~/features/search-reports/search-form";
import { chunkTokens, fts5Query, indexTokens, searchTerms, snippetOf, tsQuery, type SearchTerm, type Snippet } from "~/features/search-reports/search-tokens";
import { Prisma } from "~/generated/sqlite/client";
import { getDb, providerOf, type Db, isUniqueViolation } from "~/platform/db.server";
import { getCaseFactsMany } from "~/features/cases/case-store.server";

export const SEARCH_PAGE_SIZE = 25;

type DocumentKind = "CASE" | "OPINION";
type SearchDocumentRow = { id: string; caseId: string; kind: DocumentKind; tokens: string };

const isPostgres = (db: Db) => providerOf(db) === "postgresql";

/** Further pieces of a long document get "#2", "#3", … after the document's id. */
const pieceIds = (id: string, count: number) => Array.from({ length: count }, (_, i) => (i === 0 ? id : `${id}#${i + 1}`));

function documentRows(id: string, caseId: string, kind: DocumentKind, texts: readonly (string | null | undefined)[]): SearchDocumentRow[] {
  const tokens = texts.flatMap((text) => (text ? indexTokens(text) : []));
  if (tokens.length === 0) return [];
  const chunks = chunkTokens(tokens);
  return pieceIds(id, chunks.length).map((pieceId, i) => ({ id: pieceId, caseId, kind, tokens: chunks[i].join(" ") }));
}

/** Codes worth finding an opinion by (trial ids, guideline names and versions); other choices (agreement, intent, question keys) are not text. */
const SEARCHABLE_CODES: ReadonlySet<string> = new Set(["registryId", "source", "version"]);

/** Every text of an opinion's sections, English and Chinese, as signed. Workflow fields (status, translator, time) and choices are skipped. */
function opinionTexts(signedContent: string): string[] {
  const content = parseJsonOrNull(signedContent);
  const out: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) if (!UNTRANSLATED_KEYS.has(key) || SEARCHABLE_CODES.has(key)) walk(child);
    }
  };
  for (const section of Object.values((content ?? {}) as Record<string, { en?: unknown; zh?: unknown }>)) {
    if (!section || typeof section !== "object") continue;
    walk(section.en);
    walk(section.zh);
  }
  return out;
}

function loadIndexSources(db: Db, caseIds: readonly string[]) {
  return db.case.findMany({
    where: { id: { in: [...caseIds] } },
    select: {
      id: true,
      code: true,
      status: true,
      submittedAt: true,
      cancerType: true,
      primarySiteCode: true,
      primarySite: true,
      histology: true,
      icd10Code: true,
      icdO3Code: true,
      institution: { select: { nameEn: true, nameZh: true } },
      narratives: { orderBy: { key: "asc" }, select: { originalText: true, translationText: true } },
      biomarkers: { orderBy: { position: "asc" }, select: { gene: true, hgvs: true, note: true } },
      treatmentLines: { orderBy: { lineNumber: "asc" }, select: { drugs: true, regimen: true } },
      opinions: {
        where: { signedContent: { not: null } },
        orderBy: { version: "asc" },
        select: { id: true, signedContent: true, status: true, deliveredAt: true },
      },
    },
  });
}

/** A coded value's code and its titles in both languages, so a search in either language finds it. */
const codedTexts = (value: ClinicalValue) => [...value.terms.flatMap((term) => [term.code, term.en, term.zh]), value.text];

function caseTexts(source: Awaited<ReturnType<typeof loadIndexSources>>[number]): (string | null)[] {
  return [
    source.code,
    source.cancerType,
    ...codedTexts(siteValue(source.primarySiteCode, source.primarySite)),
    ...codedTexts(histologyValue(source.icdO3Code, source.histology)),
    source.icd10Code,
    ...source.narratives.flatMap((n) => [n.originalText, n.translationText]),
    ...source.biomarkers.flatMap((b) => [b.gene, b.hgvs, b.note]),
    ...source.treatmentLines.flatMap((l) => codedTexts(drugsValue(l.drugs, l.regimen))),
    source.institution.nameEn,
    source.institution.nameZh,
  ];
}

/** Rebuilds the search documents of one case and its signed opinions (none when the case is gone). */
export async function indexCase(db: Db, caseId: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const [source] = await loadIndexSources(db, [caseId]);
      const rows = source
        ? [
            ...documentRows(`case:${source.id}`, source.id, "CASE", caseTexts(source)),
            ...source.opinions.flatMap((o) => documentRows(`opinion:${o.id}`, source.id, "OPINION", opinionTexts(o.signedContent ?? ""))),
          ]
        : [];
      await db.$transaction([db.searchDocument.deleteMany({ where: { caseId } }), db.searchDocument.createMany({ data: rows })]);
      return;
    } catch (error) {
      // Two rebuilds of the same case at once: the later one wins on retry.
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
    }
  }
}

/** Rebuilds every case's documents; returns how many cases were indexed. */
export async function reindexAll(db: Db, onProgress?: (done: number, total: number) => void): Promise<number> {
  const ids = (await db.case.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((c) => c.id);
  let done = 0;
  for (const id of ids) {
    await indexCase(db, id);
    done++;
    onProgress?.(done, ids.length);
  }
  const known = new Set(ids);
  const orphanCaseIds = (await db.searchDocument.findMany({ distinct: ["caseId"], select: { caseId: true } }))
    .map((d) => d.caseId)
    .filter((id) => !known.has(id));
  if (orphanCaseIds.length > 0) await db.searchDocument.deleteMany({ where: { caseId: { in: orphanCaseIds } } });
  return ids.length;
}

// ---- searching --------------------------------------------------------------

export type { SearchFilters };

export type SearchHit = {
  id: string;
  code: string;
  status: CaseStatus;
  cancerType: string | null;
  submittedAt: Date | null;
  institution: { nameEn: string; nameZh: string };
  matchedCase: boolean;
  /** The newest readable opinion whose text matched, if any. */
  opinionId: string | null;
  snippet: Snippet | null;
};

export type SearchResult = { hits: SearchHit[]; total: number; page: number; pageCount: number; searched: boolean };

const EMPTY: SearchResult = { hits: [], total: 0, page: 1, pageCount: 1, searched: false };

function matchingDocuments(db: Db, terms: readonly SearchTerm[]): Prisma.Sql | null {
  if (isPostgres(db)) {
    const query = tsQuery(terms);
    return query === null ? null : Prisma.sql`SELECT d."id" FROM "SearchDocument" d WHERE d."tokensTsv" @@ to_tsquery('simple'::regconfig, ${query})`;
  }
  const query = fts5Query(terms);
  return query === null
    ? null
    : Prisma.sql`SELECT r."docId" FROM "SearchDocumentFts" f JOIN "SearchDocumentFtsRow" r ON r."rowid" = f."rowid" WHERE "SearchDocumentFts" MATCH ${query}`;
}

function scopeCondition(scope: CaseScope): Prisma.Sql | null {
  switch (scope.kind) {
    case "institution":
      return Prisma.sql`c."institutionId" = ${scope.institutionId}`;
    case "assigned":
      return Prisma.sql`c."status" <> 'DRAFT' AND (
        EXISTS (SELECT 1 FROM "CaseAssignment" a WHERE a."caseId" = c."id" AND a."consultantId" = ${scope.consultantId})
        OR EXISTS (SELECT 1 FROM "AgendaItem" ai JOIN "BoardSession" bs ON bs."id" = ai."sessionId" JOIN "SessionInvitee" si ON si."sessionId" = bs."id"
                   WHERE ai."caseId" = c."id" AND bs."status" <> 'CANCELLED' AND si."kind" IN ('CHAIR', 'CONSULTANT') AND si."userId" = ${scope.consultantId}))`;
    case "submitted":
      return Prisma.sql`c."status" <> 'DRAFT'`;
    default:
      return null;
  }
}

/** Physicians read delivered opinions only; consultants and coordinators every signed one. */
function readableOpinion(actor: Actor): Prisma.Sql {
  return actor.role === "TREATING_PHYSICIAN" ? Prisma.sql`o."deliveredAt" IS NOT NULL` : Prisma.sql`o."signedContent" IS NOT NULL`;
}

function filterConditions(filters: SearchFilters): Prisma.Sql[] {
  const out: Prisma.Sql[] = [];
  if (filters.cancerType) out.push(Prisma.sql`c."cancerType" = ${filters.cancerType}`);
  if (filters.institutionId) out.push(Prisma.sql`c."institutionId" = ${filters.institutionId}`);
  if (filters.gene) out.push(Prisma.sql`EXISTS (SELECT 1 FROM "Biomarker" b WHERE b."caseId" = c."id" AND b."gene" = ${filters.gene})`);
  if (filters.consultantId)
    out.push(Prisma.sql`EXISTS (SELECT 1 FROM "CaseAssignment" fa WHERE fa."caseId" = c."id" AND fa."consultantId" = ${filters.consultantId})`);
  if (filters.submittedFrom) out.push(Prisma.sql`c."submittedAt" >= ${filters.submittedFrom}`);
  if (filters.submittedBefore) out.push(Prisma.sql`c."submittedAt" < ${filters.submittedBefore}`);
  return out;
}

type MatchRow = { caseId: string; kind: DocumentKind; docId: string };

/**
 * Cases matching every term of the query in a document the actor may read,
 * narrowed by the filters, newest submission first (drafts last).
 */
export async function searchArchive({
  user: actor,
  query,
  filters,
  page,
  db = getDb(),
}: {
  user: Actor;
  query: string;
  filters: SearchFilters;
  page: number;
  db?: Db;
}): Promise<SearchResult> {
  const terms = searchTerms(query);
  const matching = matchingDocuments(db, terms);
  const scope = scopeCondition(caseScope(actor));
  if (!matching || !scope) return { ...EMPTY, searched: matching !== null };

  const where = Prisma.join(
    [
      Prisma.sql`d."id" IN (${matching})`,
      Prisma.sql`(d."kind" = 'CASE' OR EXISTS (SELECT 1 FROM "Opinion" o WHERE o."caseId" = d."caseId" AND ${readableOpinion(actor)}
                 AND (d."id" = ('opinion:' || o."id") OR d."id" LIKE ('opinion:' || o."id" || '#%'))))`,
      scope,
      ...filterConditions(filters),
    ],
    " AND ",
  );
  const from = Prisma.sql`FROM "SearchDocument" d JOIN "Case" c ON c."id" = d."caseId" WHERE ${where}`;

  const [{ total }] = await db.$queryRaw<{ total: number | bigint }[]>`SELECT COUNT(DISTINCT c."id") AS "total" ${from}`;
  const count = Number(total);
  const pageCount = Math.max(1, Math.ceil(count / SEARCH_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pageCount);
  const pageRows = await db.$queryRaw<{ caseId: string }[]>`
    SELECT c."id" AS "caseId" ${from}
    GROUP BY c."id", c."submittedAt", c."code"
    ORDER BY c."submittedAt" DESC NULLS LAST, c."code" ASC
    LIMIT ${SEARCH_PAGE_SIZE} OFFSET ${(current - 1) * SEARCH_PAGE_SIZE}`;
  const caseIds = pageRows.map((r) => r.caseId);
  const matches =
    caseIds.length === 0
      ? []
      : await db.$queryRaw<
          MatchRow[]
        >`SELECT d."caseId" AS "caseId", d."kind" AS "kind", d."id" AS "docId" ${from} AND d."caseId" IN (${Prisma.join(caseIds)})`;

  const hits = await describeHits(db, actor, caseIds, matches, terms);
  return { hits, total: count, page: current, pageCount, searched: true };
}

const opinionIdOf = (docId: string) => docId.slice("opinion:".length).split("#")[0];

async function describeHits(db: Db, actor: Actor, caseIds: string[], matches: MatchRow[], terms: SearchTerm[]): Promise<SearchHit[]> {
  const [sourceRows, factRows] = await Promise.all([loadIndexSources(db, caseIds), getCaseFactsMany(db, caseIds)]);
  const sources = new Map(sourceRows.map((source) => [source.id, source]));
  const factsOf = new Map(factRows.map((facts) => [facts.id, facts]));
  const hits: SearchHit[] = [];
  for (const caseId of caseIds) {
    // The SQL above already applied the scope; the access rules themselves have the last word.
    const facts = factsOf.get(caseId);
    const source = sources.get(caseId);
    if (!facts || !source || !canViewCase(actor, facts)) continue;
    const own = matches.filter((m) => m.caseId === caseId);
    const matchedOpinionIds = new Set(own.filter((m) => m.kind === "OPINION").map((m) => opinionIdOf(m.docId)));
    const opinions = source.opinions.filter((o) => matchedOpinionIds.has(o.id) && canReadOpinion(actor, facts, o));
    const newestOpinion = opinions.at(-1) ?? null;
    const matchedCase = own.some((m) => m.kind === "CASE");
    if (!matchedCase && !newestOpinion) continue;
    const snippet =
      (matchedCase
        ? snippetOf(
            caseTexts(source).filter((t): t is string => Boolean(t)),
            terms,
          )
        : null) ?? (newestOpinion ? snippetOf(opinionTexts(newestOpinion.signedContent ?? ""), terms) : null);
    hits.push({
      id: caseId,
      code: source.code,
      status: source.status as CaseStatus,
      cancerType: source.cancerType,
      submittedAt: source.submittedAt,
      institution: source.institution,
      matchedCase,
      opinionId: newestOpinion?.id ?? null,
      snippet,
    });
  }
  return hits;
}

// ---- the search page --------------------------------------------------------

/** The institutions and consultants a search may be narrowed to (a search whose scope is one institution offers no institutions). */
export async function searchFilterOptions({ user, db = getDb() }: { user: Actor; db?: Db }) {
  const scope = caseScope(user);
  const [institutions, consultants] = await Promise.all([
    scope.kind === "institution" || scope.kind === "none"
      ? Promise.resolve([])
      : db.institution.findMany({ where: { kind: "TREATING" }, select: { id: true, nameEn: true, nameZh: true }, orderBy: { nameEn: "asc" } }),
    db.user.findMany({ where: { role: "CONSULTANT" }, select: { id: true, displayName: true }, orderBy: { displayName: "asc" } }),
  ]);
  return { institutions, consultants };
}

/**
 * The search page from its URL: the form's values and errors, the filter options, and the results of a valid query.
 * The query may hold clinical terms; the audit log is protected, and who searched for what is part of the record.
 */
export async function loadSearchPage({
  user,
  meta,
  searchParams,
  db = getDb(),
}: {
  user: CurrentUser;
  meta: RequestMeta;
  searchParams: URLSearchParams;
  db?: Db;
}) {
  const options = await searchFilterOptions({ user, db });
  const { values, page, filters, errors } = readSearchForm(
    searchParams,
    { cancerTypes: CANCER_TYPES, genes: GENES, institutionIds: options.institutions.map((i) => i.id), consultantIds: options.consultants.map((c) => c.id) },
    user.timeZone,
  );
  const base = { values, errors, options, timeZone: user.timeZone };
  // A query of punctuation alone has nothing to search for: it reads as an empty one.
  if (Object.keys(errors).length > 0 || searchTerms(values.q).length === 0) return { ...base, result: null };

  const result = await searchArchive({ user, query: values.q, filters, page, db });
  await recordAudit(db, {
    actor: user,
    action: "search.query",
    outcome: "success",
    details: {
      query: values.q,
      filters: Object.fromEntries(Object.entries(values).filter(([key, value]) => key !== "q" && value !== "")),
      page: result.page,
      resultCount: result.total,
      caseIds: result.hits.map((h) => h.id),
    },
    meta,
  });
  return { ...base, result };
}
