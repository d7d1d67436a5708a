/** The glossary's forms as zod schemas: the search box's query and a new term (both the browser and the action parse it). */
import { z } from "zod";
import { GLOSSARY_CATEGORIES } from "./glossary-categories";

export const GLOSSARY_CATEGORY_LABEL_KEYS = Object.fromEntries(GLOSSARY_CATEGORIES.map((c) => [c, `cases:glossary.categories.${c}`])) as Record<
  (typeof GLOSSARY_CATEGORIES)[number],
  string
>;

export const GlossaryTermForm = z.object({
  en: z.string({ required_error: "cases:glossary.enRequired" }).trim().min(1, "cases:glossary.enRequired").max(200, "cases:glossary.invalid"),
  zh: z.string({ required_error: "cases:glossary.zhRequired" }).trim().min(1, "cases:glossary.zhRequired").max(200, "cases:glossary.invalid"),
  category: z.enum(GLOSSARY_CATEGORIES, { errorMap: () => ({ message: "cases:glossary.invalid" }) }),
  /** Left blank, the note is kept as "" (as it always was). */
  note: z.string().trim().max(300, "cases:glossary.invalid").default(""),
});
export type GlossaryTerm = z.infer<typeof GlossaryTermForm>;

/** The glossary page's search ("" for none). */
export const GlossaryPageQuery = z.object({ q: z.string().default("") });

/** The lookup beside the case forms: its query, at most 100 characters. */
export const GlossaryLookupQuery = z.object({
  q: z
    .string()
    .default("")
    .transform((q) => q.slice(0, 100)),
});
