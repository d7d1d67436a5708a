/** Labelled text and text-area fields bound to conform, with hint and errors. */
import { getInputProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { FieldErrors } from "./field-errors";

type Props = { field: FieldMetadata<string | number | undefined>; label: string; hint?: string; lang?: string };

export function TextField({ field, label, hint, lang, type = "text", ...rest }: Props & { type?: "text" | "number" | "date"; step?: string; list?: string }) {
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <input {...getInputProps(field, { type, ariaDescribedBy: hint ? `${field.id}-hint` : undefined })} lang={lang} {...rest} />
      <Hint field={field} hint={hint} />
      <FieldErrors field={field} />
    </div>
  );
}

export function TextAreaField({ field, label, hint, lang, rows = 6 }: Props & { rows?: number }) {
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <textarea {...getTextareaProps(field, { ariaDescribedBy: hint ? `${field.id}-hint` : undefined })} lang={lang} rows={rows} />
      <Hint field={field} hint={hint} />
      <FieldErrors field={field} />
    </div>
  );
}

function Hint({ field, hint }: { field: { id: string }; hint?: string }) {
  if (!hint) return null;
  return (
    <p className="hint" id={`${field.id}-hint`}>
      {hint}
    </p>
  );
}
