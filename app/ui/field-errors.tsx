/** Validation errors (i18n keys) of a field or of a whole form. */
import { useTranslation } from "react-i18next";

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
