/** A labelled time-zone field bound to conform: typed freely, with every zone the browser knows offered by its cities in English and Chinese. */
import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { timeZoneChoices, timeZoneChoiceText } from "~/platform/time-zone-names";
import { FieldErrors } from "./field-errors";
import { useHydrated } from "./use-hydrated";

export function TimeZoneField({ field, label }: { field: FieldMetadata<string | undefined>; label: string }) {
  const { t } = useTranslation();
  // The browser's list of zones may differ from the server's, so the choices are drawn after hydration only.
  const hydrated = useHydrated();
  const choices = useMemo(() => (hydrated ? timeZoneChoices().map(timeZoneChoiceText) : []), [hydrated]);
  const listId = `${field.id}-choices`;
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <input {...getInputProps(field, { type: "text", ariaDescribedBy: `${field.id}-hint` })} list={listId} autoComplete="off" />
      <datalist id={listId}>
        {choices.map((choice) => (
          <option key={choice} value={choice} />
        ))}
      </datalist>
      <p className="hint" id={`${field.id}-hint`}>
        {t("common:timeZoneHint")}
      </p>
      <FieldErrors field={field} />
    </div>
  );
}
