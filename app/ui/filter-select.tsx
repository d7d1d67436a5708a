/** A labelled select for GET filter forms. */
import { useTranslation } from "react-i18next";

/** A labelled select for GET filter forms; `anyLabel` adds the "no filter" choice; `error` (an i18n key) is shown beside it and tied to it. */
export function FilterSelect({
  name,
  label,
  value,
  options,
  anyLabel,
  error,
}: {
  name: string;
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
  anyLabel?: string;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <select id={name} name={name} defaultValue={value ?? ""} aria-invalid={error ? true : undefined} aria-describedby={error ? `${name}-error` : undefined}>
        {anyLabel !== undefined && <option value="">{anyLabel}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {error && (
        <p id={`${name}-error`} className="field-error">
          {t(error)}
        </p>
      )}
    </div>
  );
}
