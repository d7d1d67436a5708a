/** /notifications: the user's notifications, marked read one by one or all, and the kinds they receive by email. */
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { requirePermission } from "~/features/identity/auth.server";
import { EmailChoicesForm, MarkReadForm, NotificationsPageForm } from "~/features/notifications/notification-forms";
import { chooseEmails, loadNotificationsPage, markRead } from "~/features/notifications/notification-page.server";
import { FieldErrors, FormErrors } from "~/ui/field-errors";
import { formatDateTime } from "~/ui/format";
import { kindLabelKey, notificationMessage, type StoredNotificationKind } from "~/features/notifications/notifications";
import { readerLanguage, type TextLanguage } from "~/features/translation/translated-text";
import { UntranslatedBadge } from "~/features/translation/translated-text-view";
import { readForm } from "~/platform/request-body.server";
import { requestMeta } from "~/platform/request-meta.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  return loadNotificationsPage({ user: await requirePermission(request, context, "notifications.receive"), meta: requestMeta(request, context) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "notifications.receive");
  const submission = parseWithZod(await readForm(request), { schema: NotificationsPageForm });
  if (submission.status !== "success") return data({ marked: 0, emailsSaved: false, result: submission.reply() }, { status: 400 });
  const input = submission.value;
  if (input.intent === "emailChoices") {
    await chooseEmails({ user, emailed: input.emailed ?? [] });
    return { marked: 0, emailsSaved: true, result: submission.reply() };
  }
  const marked = await markRead({ user, which: input.intent === "markAllRead" ? "all" : [input.id ?? ""] });
  return { marked, emailsSaved: false, result: submission.reply() };
}

type MarkReadResult = SubmissionResult<string[]> | undefined;

export default function NotificationsPage() {
  const { notifications, timeZone, emailChoices } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const result = actionData?.result;
  const { t, i18n } = useTranslation();
  const unread = notifications.filter((n) => !n.read).length;
  return (
    <section aria-labelledby="notifications-title" className="narrow">
      <header className="page-heading">
        <h1 id="notifications-title">{t("common:notifications.title")}</h1>
        {unread > 0 && <MarkAllReadForm lastResult={result?.initialValue?.intent === "markAllRead" ? result : undefined} />}
      </header>
      {notifications.length === 0 ? (
        <p className="empty-state">{t("common:notifications.empty")}</p>
      ) : (
        <ul className="notification-list">
          {notifications.map((n) => {
            const message = notificationMessage(t, n, { language: i18n.language, zones: n.zones });
            return (
              <li key={n.id} className={n.read ? "notification read" : "notification unread"}>
                <p>
                  {!n.read && <span className="badge">{t("common:notifications.unread")}</span>} {n.href ? <Link to={n.href}>{message}</Link> : message}
                </p>
                {n.caseParams?.reason && <ReturnReason reason={n.caseParams.reason} language={n.caseParams.reasonLanguage ?? "en"} />}
                <p className="muted small">{t("common:notifications.received", { time: formatDateTime(n.createdAt, i18n.language, timeZone) })}</p>
                {!n.read && <MarkReadButton id={n.id} message={message} lastResult={result?.initialValue?.id === n.id ? result : undefined} />}
              </li>
            );
          })}
        </ul>
      )}
      <EmailChoices
        choices={emailChoices}
        saved={actionData?.emailsSaved ?? false}
        lastResult={result?.initialValue?.intent === "emailChoices" ? result : undefined}
      />
    </section>
  );
}

const TOPICS = ["session", "case", "opinion"] as const;

/** Which kinds come by email, one box per kind grouped by what they are about; the in-app list always has them all. */
function EmailChoices({
  choices,
  saved,
  lastResult,
}: {
  choices: { kind: StoredNotificationKind; topic: string; emailed: boolean }[];
  saved: boolean;
  lastResult: MarkReadResult;
}) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const [form, fields] = useForm<z.input<typeof EmailChoicesForm>>({
    id: "email-choices",
    lastResult,
    constraint: getZodConstraint(EmailChoicesForm),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: EmailChoicesForm }),
  });
  return (
    <section aria-labelledby="email-choices-title" className="email-choices">
      <h2 id="email-choices-title">{t("common:notifications.email.title")}</h2>
      <p className="muted">{t("common:notifications.email.explain")}</p>
      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        {TOPICS.map((topic) => (
          <fieldset key={topic} className="field">
            <legend>{t(`common:notifications.email.topics.${topic}`)}</legend>
            <div className="checkbox-grid">
              {choices
                .filter((c) => c.topic === topic)
                .map((c) => (
                  <label key={c.kind} className="checkbox">
                    <input type="checkbox" name={fields.emailed.name} value={c.kind} defaultChecked={c.emailed} />
                    {t(kindLabelKey(c.kind))}
                  </label>
                ))}
            </div>
          </fieldset>
        ))}
        <FieldErrors field={fields.emailed} />
        <button type="submit" name="intent" value="emailChoices" disabled={navigation.state !== "idle"}>
          {t("common:notifications.email.save")}
        </button>
        {saved && (
          <p role="status" className="muted">
            {t("common:notifications.email.saved")}
          </p>
        )}
      </Form>
    </section>
  );
}

/** A return's reason as the coordinator wrote it, marked as untranslated when it is not in the reader's language. */
function ReturnReason({ reason, language }: { reason: string; language: TextLanguage }) {
  const { t, i18n } = useTranslation();
  return (
    <p className="notification-reason">
      {t("cases:notifications.reasonLabel")} <q lang={language}>{reason}</q>
      {language !== readerLanguage(i18n.language) && <UntranslatedBadge language={language} />}
    </p>
  );
}

function MarkAllReadForm({ lastResult }: { lastResult: MarkReadResult }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const [form] = useForm<z.input<typeof MarkReadForm>>({ id: "mark-all-read", lastResult, constraint: getZodConstraint(MarkReadForm) });
  return (
    <Form method="post" {...getFormProps(form)}>
      <FormErrors errors={form.errors} />
      <button type="submit" name="intent" value="markAllRead" className="button-secondary" disabled={navigation.state !== "idle"}>
        {t("common:notifications.markAllRead")}
      </button>
    </Form>
  );
}

function MarkReadButton({ id, message, lastResult }: { id: string; message: string; lastResult: MarkReadResult }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const [form, fields] = useForm<z.input<typeof MarkReadForm>>({ id: `mark-read-${id}`, lastResult, constraint: getZodConstraint(MarkReadForm) });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name={fields.id.name} value={id} />
      <FormErrors errors={form.errors} />
      <button
        type="submit"
        name="intent"
        value="markRead"
        className="button-link"
        aria-label={t("common:notifications.markReadNamed", { message })}
        disabled={navigation.state !== "idle"}
      >
        {t("common:notifications.markRead")}
      </button>
    </Form>
  );
}
