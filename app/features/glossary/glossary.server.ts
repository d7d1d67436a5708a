/** The bilingual oncology glossary: searching it, the glossary page, coordinators adding terms (audited), and the shipped terms. */
import { recordAudit } from "~/features/audit/audit.server";
import type { CurrentUser } from "~/features/identity/auth.server";
import { can } from "~/features/identity/permissions";
import { getDb, type Db } from "~/platform/db.server";
import type { RequestMeta } from "~/platform/request-meta.server";
import seed from "~/features/glossary/data/oncology-glossary.json";
import type { GlossaryTerm } from "./glossary-forms";

/** Finds terms in either language: English by case-insensitive prefix or word, Chinese by substring. */
export async function searchGlossary({ query, limit = 20, db = getDb() }: { query: string; limit?: number; db?: Db }) {
  const q = query.trim();
  if (!q) return [];
  const lower = q.toLowerCase();
  return db.glossaryTerm.findMany({
    where: { OR: [{ en: { contains: lower } }, { en: { contains: q } }, { zh: { contains: q } }] },
    orderBy: { en: "asc" },
    take: limit,
    select: { id: true, en: true, zh: true, category: true, note: true, needsReview: true },
  });
}

/** The glossary page: up to 100 matches of the query, the glossary's size, and whether the user may add terms. */
export async function loadGlossaryPage({ user, q, db = getDb() }: { user: CurrentUser; q: string; db?: Db }) {
  return { q, terms: q ? await searchGlossary({ query: q, limit: 100, db }) : [], total: await db.glossaryTerm.count(), canEdit: can(user, "glossary.edit") };
}

export type AddTermResult = { ok: true; en: string } | { ok: false; status: 403 | 409; error: string };

/** A coordinator adds a term; an English term already in the glossary is refused. */
export async function addGlossaryTerm({
  user,
  meta,
  term,
  db = getDb(),
}: {
  user: CurrentUser;
  meta: RequestMeta;
  term: GlossaryTerm;
  db?: Db;
}): Promise<AddTermResult> {
  if (!can(user, "glossary.edit")) return { ok: false, status: 403, error: "cases:glossary.invalid" };
  if (await db.glossaryTerm.findUnique({ where: { en: term.en } })) return { ok: false, status: 409, error: "cases:glossary.duplicate" };
  const added = await db.glossaryTerm.create({ data: { ...term, createdById: user.id } });
  await recordAudit(db, { actor: user, action: "glossary.add", outcome: "success", entityType: "GlossaryTerm", entityId: added.id, details: term, meta });
  return { ok: true, en: added.en };
}

/** Loads the shipped glossary; terms already present (or edited) are left alone. */
export async function seedGlossary(db: Db): Promise<number> {
  const existing = new Set((await db.glossaryTerm.findMany({ select: { en: true } })).map((t) => t.en));
  const missing = (seed as { en: string; zh: string; category: string; note?: string; needsReview?: boolean }[]).filter((t) => !existing.has(t.en));
  if (missing.length > 0) await db.glossaryTerm.createMany({ data: missing });
  return missing.length;
}
