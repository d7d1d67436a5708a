/** The admin's form for an account: email, name, role, institution, specialties, language, zone, password, active. */
import { getCollectionProps, getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CreateUserSchema, MIN_PASSWORD_LENGTH, UpdateUserSchema } from "~/features/identity/account-schemas";
import { INSTITUTION_KIND_LABEL_KEYS, type InstitutionKind } from "~/features/identity/institutions";
import { LOCALE_NAMES, SUPPORTED_LOCALES } from "~/i18n/locales";
import { ROLE_LABEL_KEYS, ROLES } from "~/features/identity/roles";
import { SPECIALTIES, SPECIALTY_LABEL_KEYS } from "~/features/identity/specialties";
import { TimeZoneField } from "~/ui/time-zone-field";
import { FieldErrors, FormErrors } from "~/ui/field-errors";

type InstitutionOption = { id: string; nameEn: string; nameZh: string; kind: string; active: boolean };
type UserDefaults = {
  email: string;
  displayName: string;
  role: string;
  institutionId: string | null;
  preferredLocale: string;
  timeZone: string;
  active: boolean;
  specialties: string[];
};

export function UserForm({
  mode,
  defaults,
  institutions,
  lastResult,
}: {
  mode: "create" | "edit";
  defaults?: UserDefaults;
  institutions: InstitutionOption[];
  lastResult?: SubmissionResult<string[]>;
}) {
  const { t, i18n } = useTranslation();
  const navigation = useNavigation();
  const schema = mode === "create" ? CreateUserSchema : UpdateUserSchema;
  const [form, fields] = useForm({
    id: `user-${mode}`,
    lastResult,
    constraint: getZodConstraint(schema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    defaultValue: defaults
      ? { ...defaults, institutionId: defaults.institutionId ?? "", active: defaults.active ? "on" : undefined }
      : { preferredLocale: "en", timeZone: "Asia/Shanghai", active: "on", specialties: [] },
  });
  const institutionName = (i: InstitutionOption) => (i18n.language === "zh-CN" ? i.nameZh : i.nameEn);

  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <div className="field">
        <label htmlFor={fields.email.id}>{t("admin:users.email")}</label>
        <input {...getInputProps(fields.email, { type: "email" })} autoComplete="off" />
        <FieldErrors field={fields.email} />
      </div>
      <div className="field">
        <label htmlFor={fields.displayName.id}>{t("admin:users.displayName")}</label>
        <input {...getInputProps(fields.displayName, { type: "text" })} />
        <FieldErrors field={fields.displayName} />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={fields.role.id}>{t("admin:users.role")}</label>
          <select {...getSelectProps(fields.role)}>
            <option value="">{t("admin:choose")}</option>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(ROLE_LABEL_KEYS[role])}
              </option>
            ))}
          </select>
          <FieldErrors field={fields.role} />
        </div>
        <div className="field">
          <label htmlFor={fields.institutionId.id}>{t("admin:users.institution")}</label>
          <select {...getSelectProps(fields.institutionId)}>
            <option value="">{t("admin:users.noInstitution")}</option>
            {institutions.map((i) => (
              <option key={i.id} value={i.id}>
                {institutionName(i)} ({t(INSTITUTION_KIND_LABEL_KEYS[i.kind as InstitutionKind])})
              </option>
            ))}
          </select>
          <FieldErrors field={fields.institutionId} />
        </div>
      </div>
      <fieldset className="field">
        <legend>{t("admin:users.specialties")}</legend>
        <div className="checkbox-grid">
          {getCollectionProps(fields.specialties, { type: "checkbox", options: [...SPECIALTIES] }).map(({ key, ...props }, i) => (
            <label key={key} className="checkbox">
              <input {...props} />
              {t(SPECIALTY_LABEL_KEYS[SPECIALTIES[i]])}
            </label>
          ))}
        </div>
        <FieldErrors field={fields.specialties} />
      </fieldset>
      <div className="field-row">
        <div className="field">
          <label htmlFor={fields.preferredLocale.id}>{t("admin:users.preferredLocale")}</label>
          <select {...getSelectProps(fields.preferredLocale)}>
            {SUPPORTED_LOCALES.map((lng) => (
              <option key={lng} value={lng}>
                {LOCALE_NAMES[lng]}
              </option>
            ))}
          </select>
          <FieldErrors field={fields.preferredLocale} />
        </div>
        <TimeZoneField field={fields.timeZone} label={t("admin:users.timeZone")} />
      </div>
      <div className="field">
        <label htmlFor={fields.password.id}>{mode === "create" ? t("admin:users.password") : t("admin:users.newPassword")}</label>
        <input {...getInputProps(fields.password, { type: "password" })} autoComplete="new-password" aria-describedby={`${fields.password.id}-hint`} />
        <p className="hint" id={`${fields.password.id}-hint`}>
          {t(mode === "create" ? "admin:users.passwordHint" : "admin:users.newPasswordHint", { count: MIN_PASSWORD_LENGTH })}
        </p>
        <FieldErrors field={fields.password} />
      </div>
      <div className="field">
        <label className="checkbox">
          <input {...getInputProps(fields.active, { type: "checkbox" })} />
          {t("admin:users.active")}
        </label>
        <FieldErrors field={fields.active} />
      </div>
      <FormErrors errors={form.errors} />
      <button type="submit" className="button-primary" disabled={navigation.state === "submitting"}>
        {mode === "create" ? t("admin:users.create") : t("admin:save")}
      </button>
    </Form>
  );
}
