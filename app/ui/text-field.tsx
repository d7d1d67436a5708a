/** Labelled text and text-area fields bound to conform, with hint and errors (the form's own and what a save refused). */
import { getInputProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { FieldErrors, useFieldErrors } from "./field-errors";

type Props = { field: FieldMetadata<string | number | undefined>; label: string; hint?: string; lang?: string };

export function TextField({ field, label, hint, lang, type = "text", ...rest }: Props & { type?: "text" | "number" | "date"; step?: string; list?: string }) {
  const errors = useFieldErrors(field);
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <input {...getInputProps(field, { type })} {...describedBy(field, hint, errors)} lang={lang} {...rest} />
      <Hint field={field} hint={hint} />
      <FieldErrors field={{ errorId: field.errorId, errors }} />
    </div>
  );
}

export function TextAreaField({ field, label, hint, lang, rows = 6 }: Props & { rows?: number }) {
  const errors = useFieldErrors(field);
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <textarea {...getTextareaProps(field)} {...describedBy(field, hint, errors)} lang={lang} rows={rows} />
      <Hint field={field} hint={hint} />
      <FieldErrors field={{ errorId: field.errorId, errors }} />
    </div>
  );
}

function describedBy(field: { id: string; errorId: string }, hint: string | undefined, errors: string[]) {
  const ids = [errors.length > 0 ? field.errorId : null, hint ? `${field.id}-hint` : null].filter(Boolean);
  return { "aria-invalid": errors.length > 0 || undefined, "aria-describedby": ids.length > 0 ? ids.join(" ") : undefined };
}

function Hint({ field, hint }: { field: { id: string }; hint?: string }) {
  if (!hint) return null;
  return (
    <p className="hint" id={`${field.id}-hint`}>
      {hint}
    </p>
  );
}
