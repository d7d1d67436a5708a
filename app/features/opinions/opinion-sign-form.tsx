/** Signing the draft: what is still missing, by place, and the password again. */
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { SECTION_TITLE_KEYS } from "./opinion-view";
import type { SectionName } from "~/features/opinions/opinion-content";
import { lastResultOf, SignFormInBrowser, type OpinionActionReply } from "./opinion-forms";
import { FieldErrors, FormErrors } from "~/ui/field-errors";

/** Where a problem is, in words: the section, and the item or question within it. */
function problemPlace(path: string, t: (key: string, values?: Record<string, unknown>) => string): string {
  const [section, ...rest] = path.split(".");
  const title = SECTION_TITLE_KEYS[section as SectionName] ? t(SECTION_TITLE_KEYS[section as SectionName]) : t("opinions:sign.general");
  const item = /items\[(\d+)\]/.exec(path);
  if (section === "diagnosis" && (rest[0] === "diagnosis" || rest[0] === "stage")) return `${title} · ${t(`opinions:diagnosis.${rest[0]}`)}`;
  if (section === "answers" && rest.length > 1) return `${title} · ${t("opinions:sign.questionN", { n: Number(rest[1]) })}`;
  if (item && section === "plan") return `${title} · ${t("opinions:plan.itemN", { n: Number(item[1]) + 1 })}`;
  if (item) return `${title} · ${t("opinions:sign.entryN", { n: Number(item[1]) + 1 })}`;
  return title;
}

/**
 * Signing: what is still missing, then the consultant's password again. The sections' versions go along, so a change made meanwhile stops the signature.
 * What is missing is listed from the loader, or from the refused signature's errors, which name places in the opinion rather than fields of this form;
 * sections with edits on this page not saved yet are missing too (the signature would leave them out), and signing waits for them.
 */
export function OpinionSignForm({
  opinionId,
  problems,
  unsaved,
  sectionVersions,
  needsCode,
}: {
  opinionId: string;
  problems: Record<string, string[]>;
  unsaved: readonly SectionName[];
  sectionVersions: Record<string, number>;
  needsCode: boolean;
}) {
  const { t } = useTranslation();
  const reply = useActionData<OpinionActionReply>();
  const busy = useNavigation().state !== "idle";
  const mine = reply?.intent === "sign" ? reply : undefined;
  const [form, fields] = useForm<z.input<typeof SignFormInBrowser>, z.output<typeof SignFormInBrowser>>({
    id: "opinion-sign",
    lastResult: lastResultOf(reply, "sign"),
    constraint: getZodConstraint(SignFormInBrowser),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignFormInBrowser }),
  });
  const shown = mine?.fieldErrors && !mine.fieldErrors.password && !mine.fieldErrors.code ? mine.fieldErrors : problems;
  const entries = Object.entries(shown);
  return (
    <section aria-labelledby="sign-title" className="sign-panel">
      <h2 id="sign-title">{t("opinions:sign.title")}</h2>
      {entries.length > 0 || unsaved.length > 0 ? (
        <>
          <p>{t("opinions:sign.missing")}</p>
          <ul className="field-errors" id="sign-missing">
            {unsaved.map((name) => (
              <li key={`unsaved-${name}`}>
                {t(SECTION_TITLE_KEYS[name])}: {t("opinions:sign.unsaved")}
              </li>
            ))}
            {entries.map(([path, keys]) => (
              <li key={path}>
                {problemPlace(path, t)}: {keys.map((k) => t(k)).join(" ")}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{t("opinions:sign.ready")}</p>
      )}
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="sign" />
        <input type="hidden" name={fields.opinionId.name} value={opinionId} />
        <input type="hidden" name={fields.reviewedVersions.name} value={JSON.stringify(sectionVersions)} />
        <p className="muted small">{t("opinions:sign.freeze")}</p>
        <div className="field">
          <label htmlFor={fields.password.id}>{t("opinions:sign.password")}</label>
          <input {...getInputProps(fields.password, { type: "password" })} autoComplete="current-password" />
          <FieldErrors field={fields.password} />
        </div>
        {needsCode && (
          <div className="field">
            <label htmlFor={fields.code.id}>{t("auth:mfa.signCode")}</label>
            <input {...getInputProps(fields.code, { type: "text" })} autoComplete="one-time-code" aria-describedby={`${fields.code.id}-hint`} />
            <p className="hint" id={`${fields.code.id}-hint`}>
              {t("auth:mfa.signCodeHint")}
            </p>
            <FieldErrors field={fields.code} />
          </div>
        )}
        <FormErrors errors={form.errors} />
        <button
          type="submit"
          className="button-primary"
          disabled={busy || unsaved.length > 0}
          aria-describedby={unsaved.length > 0 ? "sign-missing" : undefined}
        >
          {t("opinions:sign.submit")}
        </button>
      </Form>
    </section>
  );
}
