/** Validation errors (i18n keys) of a field or of a whole form. */
import { createContext, useContext } from "react";
import { useTranslation } from "react-i18next";

/**
 * What a save that otherwise succeeded refused to store, by field name (i18n keys): shown beside each field
 * with its validation errors, which the form library clears as the user types.
 */
export const RefusedFieldsContext = createContext<Record<string, string[]>>({});

/** A field's validation errors and what the last save refused of it, once each. */
export function useFieldErrors(field: { name: string; errors?: string[] }): string[] {
  const refused = useContext(RefusedFieldsContext)[field.name] ?? [];
  return [...new Set([...(field.errors ?? []), ...refused])];
}

/** A field's validation errors; each error is an i18n key. */
export function FieldErrors({ field }: { field: { errorId: string; errors?: string[] } }) {
  const { t } = useTranslation();
  if (!field.errors?.length) return null;
  return (
    <ul className="field-errors" id={field.errorId}>
      {field.errors.map((error) => (
        <li key={error}>{t(error)}</li>
      ))}
    </ul>
  );
}

/** Errors of the whole form (not of one field), as an alert. */
export function FormErrors({ errors }: { errors?: string[] }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <div className="alert alert-error" role="alert">
      {errors.map((e) => (
        <p key={e}>{t(e)}</p>
      ))}
    </div>
  );
}
