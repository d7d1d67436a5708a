/**
 * The archive search's form, read from its URL: the values to show again, and
 * the filters they mean. Each bad value is an i18n key of the "search"
 * namespace. Dates are calendar days in the reader's time zone, both ends included.
 */
import { z } from "zod";
import { firstValues, pageNumber } from "~/platform/query-params";
import { startOfDayInZone } from "~/platform/time-zones";

export type SearchFilters = {
  cancerType?: string;
  gene?: string;
  /** Cases submitted at or after this instant. */
  submittedFrom?: Date;
  /** Cases submitted before this instant. */
  submittedBefore?: Date;
  institutionId?: string;
  /** A consultant assigned to the case. */
  consultantId?: string;
};

const text = z
  .string()
  .optional()
  .transform((value) => (value ?? "").trim());

/** What the form shows again: each field's text, trimmed (the query at most 200 characters). */
const SearchFormValues = z.object({
  q: text.transform((q) => q.slice(0, 200)),
  cancerType: text,
  gene: text,
  from: text,
  to: text,
  institution: text,
  consultant: text,
});
export type SearchFormValues = z.output<typeof SearchFormValues>;
export type SearchFormErrors = Partial<Record<keyof SearchFormValues, string>>;

/** The values a choice may take: the vocabularies, and the institutions and consultants the reader may narrow to. */
export type SearchChoices = { cancerTypes: readonly string[]; genes: readonly string[]; institutionIds: readonly string[]; consultantIds: readonly string[] };

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The form's values as filters: a blank field is no filter; a choice outside its list, or a day that is not one, is an error. */
export function searchFilterSchema(choices: SearchChoices, timeZone: string) {
  const choice = (field: keyof SearchFormValues, list: readonly string[]) =>
    z
      .string()
      .refine((value) => value === "" || list.includes(value), `search:errors.${field}`)
      .transform((value) => value || undefined);
  const day = (instant: (day: string) => Date | null) =>
    z.string().transform((value, ctx) => {
      if (!value) return undefined;
      const at = instant(value);
      if (!at) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "search:errors.date" });
      return at ?? undefined;
    });
  return z
    .object({
      q: z.string(),
      cancerType: choice("cancerType", choices.cancerTypes),
      gene: choice("gene", choices.genes),
      from: day((value) => startOfDayInZone(value, timeZone)),
      to: day((value) => startOfDayInZone(value, timeZone) && startOfDayInZone(nextDay(value), timeZone)),
      institution: choice("institution", choices.institutionIds),
      consultant: choice("consultant", choices.consultantIds),
    })
    .superRefine(({ from, to }, ctx) => {
      if (from instanceof Date && to instanceof Date && from >= to)
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["to"], message: "search:errors.dateOrder" });
    })
    .transform(({ cancerType, gene, from, to, institution, consultant }): SearchFilters => ({
      cancerType,
      gene,
      submittedFrom: from,
      submittedBefore: to,
      institutionId: institution,
      consultantId: consultant,
    }));
}

const SearchPage = z.object({ page: pageNumber });

/** The form from the URL: its values, the page asked for, and either the filters or an error per bad field. */
export function readSearchForm(
  params: URLSearchParams,
  choices: SearchChoices,
  timeZone: string,
): { values: SearchFormValues; page: number; filters: SearchFilters; errors: SearchFormErrors } {
  const given = firstValues(params);
  const values = SearchFormValues.parse(given);
  const { page } = SearchPage.parse(given);
  const checked = searchFilterSchema(choices, timeZone).safeParse(values);
  if (checked.success) return { values, page, filters: withoutBlanks(checked.data), errors: {} };
  const errors: SearchFormErrors = {};
  for (const issue of checked.error.issues) {
    const field = issue.path[0] as keyof SearchFormValues;
    errors[field] ??= issue.message;
  }
  return { values, page, filters: {}, errors };
}

/** The filters set, without the blank ones. */
function withoutBlanks(filters: SearchFilters): SearchFilters {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)) as SearchFilters;
}
