import type { Db } from "~/platform/db.server";
import seed from "~/features/glossary/data/oncology-glossary.json";

/** Finds terms in either language: English by case-insensitive prefix or word, Chinese by substring. */
export async function searchGlossary(db: Db, query: string, limit = 20) {
  const q = query.trim();
  if (!q) return [];
  const lower = q.toLowerCase();
  return db.glossaryTerm.findMany({
    where: { OR: [{ en: { contains: lower } }, { en: { contains: q } }, { zh: { contains: q } }] },
    orderBy: { en: "asc" },
    take: limit,
    select: { id: true, en: true, zh: true, category: true, note: true },
  });
}

export async function addGlossaryTerm(db: Db, term: { en: string; zh: string; category: string; note?: string }, createdById: string) {
  return db.glossaryTerm.create({ data: { ...term, createdById } });
}

/** Loads the shipped glossary; terms already present (or edited) are left alone. */
export async function seedGlossary(db: Db): Promise<number> {
  const existing = new Set((await db.glossaryTerm.findMany({ select: { en: true } })).map((t) => t.en));
  const missing = (seed as { en: string; zh: string; category: string; note?: string }[]).filter((t) => !existing.has(t.en));
  if (missing.length > 0) await db.glossaryTerm.createMany({ data: missing });
  return missing.length;
}
