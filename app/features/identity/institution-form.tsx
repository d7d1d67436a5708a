/** The admin's form for an institution: names in both languages, country, zone, kind, PACS AE titles, the legal basis for providing data abroad. */
import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { InstitutionSchema } from "~/features/identity/account-schemas";
import { INSTITUTION_KIND_LABEL_KEYS, INSTITUTION_KINDS } from "~/features/identity/institutions";
import { CROSS_BORDER_BASES, CROSS_BORDER_BASIS_LABEL_KEYS } from "~/features/compliance/cross-border";
import { TimeZoneField } from "~/ui/time-zone-field";
import { FieldErrors } from "~/ui/field-errors";

type InstitutionDefaults = {
  nameEn: string;
  nameZh: string;
  country: string;
  timeZone: string;
  kind: string;
  active: boolean;
  aeTitles: string;
  pacsHost: string | null;
  pacsPort: number | null;
  pacsAeTitle: string | null;
  pacsCallingAeTitle: string | null;
  crossBorderBasis: string | null;
  crossBorderReference: string | null;
  /** As the loader sends it: an ISO string. */
  crossBorderDate: string | Date | null;
};

export function InstitutionForm({
  mode,
  defaults,
  lastResult,
}: {
  mode: "create" | "edit";
  defaults?: InstitutionDefaults;
  lastResult?: SubmissionResult<string[]>;
}) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `institution-${mode}`,
    lastResult,
    constraint: getZodConstraint(InstitutionSchema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InstitutionSchema }),
    defaultValue: defaults
      ? {
          ...defaults,
          aeTitles: (JSON.parse(defaults.aeTitles) as string[]).join(", "),
          active: defaults.active ? "on" : undefined,
          pacsHost: defaults.pacsHost ?? undefined,
          pacsPort: defaults.pacsPort === null ? undefined : String(defaults.pacsPort),
          pacsAeTitle: defaults.pacsAeTitle ?? undefined,
          pacsCallingAeTitle: defaults.pacsCallingAeTitle ?? undefined,
          crossBorderBasis: defaults.crossBorderBasis ?? undefined,
          crossBorderReference: defaults.crossBorderReference ?? undefined,
          crossBorderDate: defaults.crossBorderDate ? new Date(defaults.crossBorderDate).toISOString().slice(0, 10) : undefined,
        }
      : { country: "CN", timeZone: "Asia/Shanghai", kind: "TREATING", active: "on" },
  });
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <div className="field-row">
        <div className="field">
          <label htmlFor={fields.nameEn.id}>{t("admin:institutions.nameEn")}</label>
          <input {...getInputProps(fields.nameEn, { type: "text" })} lang="en" />
          <FieldErrors field={fields.nameEn} />
        </div>
        <div className="field">
          <label htmlFor={fields.nameZh.id}>{t("admin:institutions.nameZh")}</label>
          <input {...getInputProps(fields.nameZh, { type: "text" })} lang="zh-CN" />
          <FieldErrors field={fields.nameZh} />
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={fields.country.id}>{t("admin:institutions.country")}</label>
          <input {...getInputProps(fields.country, { type: "text" })} maxLength={2} aria-describedby={`${fields.country.id}-hint`} />
          <p className="hint" id={`${fields.country.id}-hint`}>
            {t("admin:institutions.countryHint")}
          </p>
          <FieldErrors field={fields.country} />
        </div>
        <TimeZoneField field={fields.timeZone} label={t("admin:institutions.timeZone")} />
        <div className="field">
          <label htmlFor={fields.kind.id}>{t("admin:institutions.kind")}</label>
          <select {...getSelectProps(fields.kind)}>
            {INSTITUTION_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(INSTITUTION_KIND_LABEL_KEYS[kind])}
              </option>
            ))}
          </select>
          <FieldErrors field={fields.kind} />
        </div>
      </div>
      <div className="field">
        <label htmlFor={fields.aeTitles.id}>{t("admin:institutions.aeTitles")}</label>
        <input {...getInputProps(fields.aeTitles, { type: "text" })} aria-describedby={`${fields.aeTitles.id}-hint`} />
        <p className="hint" id={`${fields.aeTitles.id}-hint`}>
          {t("admin:institutions.aeTitlesHint")}
        </p>
        <FieldErrors field={fields.aeTitles} />
      </div>
      <fieldset className="stack" aria-describedby="pacs-hint">
        <legend>{t("admin:pacs.legend")}</legend>
        <p className="hint" id="pacs-hint">
          {t("admin:pacs.hint")}
        </p>
        <div className="field-row">
          <div className="field">
            <label htmlFor={fields.pacsHost.id}>{t("admin:pacs.host")}</label>
            <input {...getInputProps(fields.pacsHost, { type: "text" })} autoComplete="off" spellCheck={false} />
            <FieldErrors field={fields.pacsHost} />
          </div>
          <div className="field">
            <label htmlFor={fields.pacsPort.id}>{t("admin:pacs.port")}</label>
            <input {...getInputProps(fields.pacsPort, { type: "number" })} inputMode="numeric" />
            <FieldErrors field={fields.pacsPort} />
          </div>
          <div className="field">
            <label htmlFor={fields.pacsAeTitle.id}>{t("admin:pacs.aeTitle")}</label>
            <input {...getInputProps(fields.pacsAeTitle, { type: "text" })} spellCheck={false} />
            <FieldErrors field={fields.pacsAeTitle} />
          </div>
          <div className="field">
            <label htmlFor={fields.pacsCallingAeTitle.id}>{t("admin:pacs.callingAeTitle")}</label>
            <input
              {...getInputProps(fields.pacsCallingAeTitle, { type: "text" })}
              spellCheck={false}
              aria-describedby={`${fields.pacsCallingAeTitle.id}-hint`}
            />
            <p className="hint" id={`${fields.pacsCallingAeTitle.id}-hint`}>
              {t("admin:pacs.callingAeTitleHint", { defaultAe: "TUMORBOARD" })}
            </p>
            <FieldErrors field={fields.pacsCallingAeTitle} />
          </div>
        </div>
      </fieldset>
      <fieldset className="stack" aria-describedby="cross-border-hint">
        <legend>{t("admin:crossBorder.legend")}</legend>
        <p className="hint" id="cross-border-hint">
          {t("admin:crossBorder.hint")}
        </p>
        <div className="field-row">
          <div className="field">
            <label htmlFor={fields.crossBorderBasis.id}>{t("admin:crossBorder.basis")}</label>
            <select {...getSelectProps(fields.crossBorderBasis)}>
              <option value="">{t("admin:crossBorder.bases.none")}</option>
              {CROSS_BORDER_BASES.map((basis) => (
                <option key={basis} value={basis}>
                  {t(CROSS_BORDER_BASIS_LABEL_KEYS[basis])}
                </option>
              ))}
            </select>
            <FieldErrors field={fields.crossBorderBasis} />
          </div>
          <div className="field">
            <label htmlFor={fields.crossBorderReference.id}>{t("admin:crossBorder.reference")}</label>
            <input {...getInputProps(fields.crossBorderReference, { type: "text" })} />
            <FieldErrors field={fields.crossBorderReference} />
          </div>
          <div className="field">
            <label htmlFor={fields.crossBorderDate.id}>{t("admin:crossBorder.date")}</label>
            <input {...getInputProps(fields.crossBorderDate, { type: "date" })} />
            <FieldErrors field={fields.crossBorderDate} />
          </div>
        </div>
      </fieldset>
      <div className="field">
        <label className="checkbox">
          <input {...getInputProps(fields.active, { type: "checkbox" })} />
          {t("admin:institutions.active")}
        </label>
      </div>
      <button type="submit" className="button-primary" disabled={navigation.state === "submitting"}>
        {mode === "create" ? t("admin:institutions.create") : t("admin:save")}
      </button>
    </Form>
  );
}
