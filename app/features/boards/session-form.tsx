/** The coordinator's form to schedule or edit a board: title, start in any zone, duration, chair, consultants, interpreters, the video call. */
import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { counterpartZone, outOfHours, SessionScheduleSchema, type ZonedInvitee } from "~/features/boards/board-schedule";
import { parseTimeZone } from "~/platform/time-zone-names";
import { zonedLocalToUtc } from "~/platform/time-zones";
import { FieldErrors, FormErrors } from "~/ui/field-errors";
import { TimeZoneField } from "~/ui/time-zone-field";
import { MEETING_PROVIDER_LABEL_KEYS, MEETING_PROVIDERS } from "./meeting";
import { OutOfHoursWarning } from "./out-of-hours-warning";
import { SessionTime } from "./session-time";

type Person = { id: string; displayName: string; timeZone: string; institution: { nameEn: string; nameZh: string } | null };
export type SessionFormDefaults = {
  title: string;
  date: string;
  time: string;
  timeZone: string;
  durationMinutes: number;
  chairId: string;
  consultantIds: string[];
  interpreterIds: string[];
  meetingProvider: string;
  meetingAddress: string;
  meetingPasscode: string;
};

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === "string" && value ? [value] : []);

export function SessionForm({
  mode,
  defaults,
  consultants,
  interpreters,
  physicians,
  treatingHospitalZones,
  viewerZone,
  cancelTo,
  lastResult,
}: {
  mode: "create" | "edit";
  defaults: SessionFormDefaults;
  consultants: Person[];
  interpreters: Person[];
  /** Treating physicians already invited through the agenda, for the working-hours check. */
  physicians: ZonedInvitee[];
  /** The treating hospitals' zones: the treating side's clocks while no physician is invited yet. */
  treatingHospitalZones: string[];
  viewerZone: string;
  cancelTo: string;
  lastResult?: SubmissionResult<string[]>;
}) {
  const { t, i18n } = useTranslation();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `session-${mode}`,
    lastResult,
    constraint: getZodConstraint(SessionScheduleSchema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SessionScheduleSchema }),
    defaultValue: { ...defaults, durationMinutes: String(defaults.durationMinutes) },
  });
  const institutionName = (c: Person) => (c.institution ? ` · ${i18n.language === "zh-CN" ? c.institution.nameZh : c.institution.nameEn}` : "");

  const chairId = String(fields.chairId.value ?? "");
  const invitedIds = new Set([chairId, ...asList(fields.consultantIds.value)]);
  const startsAt = zonedLocalToUtc(String(fields.date.value ?? ""), String(fields.time.value ?? ""), parseTimeZone(String(fields.timeZone.value ?? "")) ?? "");
  const durationMinutes = Number(fields.durationMinutes.value) > 0 ? Number(fields.durationMinutes.value) : defaults.durationMinutes;
  const invited = consultants.filter((c) => invitedIds.has(c.id));
  const invitedInterpreterIds = new Set(asList(fields.interpreterIds.value));
  const invitedInterpreters = interpreters.filter((c) => invitedInterpreterIds.has(c.id));
  const otherZone = counterpartZone(
    viewerZone,
    [...invited.filter((c) => c.id === chairId), ...invited].map((c) => c.timeZone),
  );
  const warnings = startsAt
    ? outOfHours(
        { startsAt, durationMinutes },
        { consulting: [...invited, ...invitedInterpreters].map((c) => ({ name: c.displayName, timeZone: c.timeZone })), physicians, treatingHospitalZones },
      )
    : [];

  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <div className="field">
        <label htmlFor={fields.title.id}>{t("sessions:form.title")}</label>
        <input {...getInputProps(fields.title, { type: "text" })} />
        <FieldErrors field={fields.title} />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={fields.date.id}>{t("sessions:form.date")}</label>
          <input {...getInputProps(fields.date, { type: "date" })} />
          <FieldErrors field={fields.date} />
        </div>
        <div className="field">
          <label htmlFor={fields.time.id}>{t("sessions:form.time")}</label>
          <input {...getInputProps(fields.time, { type: "time" })} />
          <FieldErrors field={fields.time} />
        </div>
        <TimeZoneField field={fields.timeZone} label={t("sessions:form.timeZone")} />
      </div>
      <div className="session-preview" aria-live="polite">
        {startsAt ? (
          <p>
            <strong>{t("sessions:form.preview")}</strong>{" "}
            <SessionTime startsAt={startsAt} durationMinutes={durationMinutes} viewerZone={viewerZone} otherZone={otherZone} />
          </p>
        ) : (
          <p className="muted">{t("sessions:form.previewNone")}</p>
        )}
        <OutOfHoursWarning warnings={warnings} />
      </div>
      <div className="field">
        <label htmlFor={fields.durationMinutes.id}>{t("sessions:form.duration")}</label>
        <input {...getInputProps(fields.durationMinutes, { type: "number" })} />
        <FieldErrors field={fields.durationMinutes} />
      </div>
      <div className="field">
        <label htmlFor={fields.chairId.id}>{t("sessions:form.chair")}</label>
        <select {...getSelectProps(fields.chairId)}>
          <option value="">{t("sessions:form.choose")}</option>
          {consultants.map((c) => (
            <option key={c.id} value={c.id}>
              {c.displayName}
              {institutionName(c)}
            </option>
          ))}
        </select>
        <FieldErrors field={fields.chairId} />
      </div>
      <fieldset className="field">
        <legend>{t("sessions:form.consultants")}</legend>
        <div className="checkbox-grid">
          {consultants.map((c) => (
            <label key={c.id} className="checkbox">
              <input type="checkbox" name={fields.consultantIds.name} value={c.id} defaultChecked={defaults.consultantIds.includes(c.id)} />
              {c.displayName}
              {institutionName(c)}
            </label>
          ))}
        </div>
        <FieldErrors field={fields.consultantIds} />
      </fieldset>
      <fieldset className="field">
        <legend>{t("sessions:form.interpreters")}</legend>
        {interpreters.length === 0 && <p className="muted">{t("sessions:form.noInterpreters")}</p>}
        <div className="checkbox-grid">
          {interpreters.map((c) => (
            <label key={c.id} className="checkbox">
              <input type="checkbox" name={fields.interpreterIds.name} value={c.id} defaultChecked={defaults.interpreterIds.includes(c.id)} />
              {c.displayName}
              {institutionName(c)}
            </label>
          ))}
        </div>
        <FieldErrors field={fields.interpreterIds} />
      </fieldset>
      <fieldset className="field">
        <legend>{t("sessions:form.meetingTitle")}</legend>
        <p className="hint">{t("sessions:form.meetingIntro")}</p>
        <div className="field">
          <label htmlFor={fields.meetingProvider.id}>{t("sessions:form.meetingProvider")}</label>
          <select {...getSelectProps(fields.meetingProvider)}>
            <option value="">{t("sessions:form.meetingNone")}</option>
            {MEETING_PROVIDERS.map((provider) => (
              <option key={provider} value={provider}>
                {t(MEETING_PROVIDER_LABEL_KEYS[provider])}
              </option>
            ))}
          </select>
          <FieldErrors field={fields.meetingProvider} />
        </div>
        <div className="field">
          <label htmlFor={fields.meetingAddress.id}>{t("sessions:form.meetingAddress")}</label>
          <input
            {...getInputProps(fields.meetingAddress, { type: "text", ariaDescribedBy: `${fields.meetingAddress.id}-hint` })}
            autoComplete="off"
            spellCheck={false}
          />
          <p className="hint" id={`${fields.meetingAddress.id}-hint`}>
            {t("sessions:form.meetingAddressHint")}
          </p>
          <FieldErrors field={fields.meetingAddress} />
        </div>
        <div className="field">
          <label htmlFor={fields.meetingPasscode.id}>{t("sessions:form.meetingPasscode")}</label>
          <input
            {...getInputProps(fields.meetingPasscode, { type: "text", ariaDescribedBy: `${fields.meetingPasscode.id}-hint` })}
            autoComplete="off"
            spellCheck={false}
          />
          <p className="hint" id={`${fields.meetingPasscode.id}-hint`}>
            {t("sessions:form.meetingPasscodeHint")}
          </p>
          <FieldErrors field={fields.meetingPasscode} />
        </div>
      </fieldset>
      <FormErrors errors={form.errors} />
      <div className="inline-form">
        <button type="submit" className="button-primary" disabled={navigation.state === "submitting"}>
          {mode === "create" ? t("sessions:form.create") : t("sessions:form.save")}
        </button>
        <Link to={cancelTo}>{t("sessions:form.back")}</Link>
      </div>
    </Form>
  );
}
