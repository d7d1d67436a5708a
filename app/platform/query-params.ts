/** Reading a GET filter form's URL parameters with a zod schema: each parameter's first value, page numbers, filter text. */
import { z } from "zod";

/** Each parameter's first value, as URLSearchParams.get reads it. */
export function firstValues(params: URLSearchParams): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of params) if (!Object.hasOwn(values, name)) values[name] = value;
  return values;
}

/** The URL parameters through a schema whose fields all fall back to "no filter", so it never fails. */
export function parseQuery<Schema extends z.ZodTypeAny>(params: URLSearchParams, schema: Schema): z.output<Schema> {
  return schema.parse(firstValues(params));
}

/** A page number: a positive whole number, 1 when it is missing or not one. */
export const pageNumber = z
  .string()
  .optional()
  .transform((value) => Math.max(1, Number.parseInt(value ?? "", 10) || 1));

/** A filter's text, trimmed; "" when it is missing. */
export const filterText = z
  .string()
  .optional()
  .transform((value) => (value ?? "").trim());

/** One of the choices, or undefined (no filter) for anything else. */
export const filterChoice = <const T extends readonly [string, ...string[]]>(choices: T) => z.enum(choices).optional().catch(undefined);
