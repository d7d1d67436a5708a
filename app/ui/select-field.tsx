/** A labelled select over a vocabulary whose labels are i18n keys. */
import { getSelectProps, type FieldMetadata } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { FieldErrors } from "./field-errors";

/** A labelled select over a vocabulary whose labels are i18n keys (or shown as they are). */
export function SelectField({
  field,
  label,
  options,
  labels,
  blank = true,
}: {
  field: FieldMetadata<string | undefined>;
  label: string;
  options: readonly string[];
  labels?: Record<string, string>;
  blank?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <select {...getSelectProps(field)}>
        {blank && <option value="">{t("cases:form.choose")}</option>}
        {options.map((option) => (
          <option key={option} value={option}>
            {labels ? t(labels[option]) : option}
          </option>
        ))}
      </select>
      <FieldErrors field={field} />
    </div>
  );
}
