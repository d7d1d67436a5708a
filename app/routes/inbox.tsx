/** /inbox: PACS studies that matched no case, waiting for the institution's physicians to attach them. */
import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { CASE_STATUS_LABEL_KEYS } from "~/features/cases/case-lifecycle";
import { requirePermission } from "~/features/identity/auth.server";
import { attachInboxStudy, discardInboxStudy, findInboxStudies, loadInboxPage } from "~/features/imaging/dicom-inbox.server";
import { InboxActionForm, InboxAttachForm, InboxDiscardForm, InboxFindForm } from "~/features/imaging/inbox-forms";
import { FieldErrors } from "~/ui/field-errors";
import { formatDateTime } from "~/ui/format";
import { requestMeta } from "~/platform/request-meta.server";
import { readForm } from "~/platform/request-body.server";
import { TableScroll } from "~/ui/table-scroll";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "imaging.inbox");
  return loadInboxPage({ user, meta: requestMeta(request, context) });
}

type ActionResult = {
  intent: string;
  error: string | null;
  studyId?: string;
  matches?: string[];
  attached?: {
    caseId: string;
    stored: number;
    duplicate: number;
    rejected: number;
  };
  result: SubmissionResult<string[]>;
};

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "imaging.inbox");
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  const submission = parseWithZod(formData, { schema: InboxActionForm });
  if (submission.status !== "success") {
    const error =
      Object.values(submission.error ?? {})
        .flat()
        .find(Boolean) ?? "imaging:inbox.invalid";
    return data<ActionResult>({ intent, error, studyId: String(formData.get("studyId") ?? ""), result: submission.reply() }, { status: 400 });
  }
  const meta = requestMeta(request, context);
  const input = submission.value;
  const notFound = (studyId: string) =>
    data<ActionResult>(
      { intent, error: "imaging:inbox.notFound", studyId, result: submission.reply({ formErrors: ["imaging:inbox.notFound"] }) },
      { status: 404 },
    );
  switch (input.intent) {
    case "find": {
      const matches = await findInboxStudies({ user, meta, linkageKey: input.linkageKey });
      return data<ActionResult>({ intent, error: null, matches, result: submission.reply() });
    }
    case "attach": {
      const outcome = await attachInboxStudy({ user, meta, studyId: input.studyId, caseId: input.caseId });
      if (!outcome.ok) return notFound(input.studyId);
      const { ok: _ok, ...counts } = outcome;
      return data<ActionResult>({ intent, error: null, attached: { caseId: input.caseId, ...counts }, result: submission.reply() });
    }
    case "discard": {
      if (!(await discardInboxStudy({ user, meta, studyId: input.studyId }))) return notFound(input.studyId);
      return data<ActionResult>({ intent, error: null, result: submission.reply() });
    }
  }
}

type Study = Awaited<ReturnType<typeof loadInboxPage>>["studies"][number];
type CaseChoice = { id: string; code: string; status: string };

export default function InboxPage() {
  const { studies, cases, timeZone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const matches = result?.matches ? new Set(result.matches) : null;
  const shown = matches ? studies.filter((s) => matches.has(s.id)) : studies;
  const [findForm, findFields] = useForm<z.input<typeof InboxFindForm>>({
    id: "inbox-find",
    lastResult: result?.intent === "find" ? result.result : undefined,
    constraint: getZodConstraint(InboxFindForm),
    shouldValidate: "onSubmit",
  });
  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">{t("imaging:inbox.title")}</h1>
      <p className="muted">{t("imaging:inbox.intro")}</p>
      <Form method="post" role="search" className="filters" autoComplete="off" {...getFormProps(findForm)}>
        <input type="hidden" name="intent" value="find" />
        <div className="field">
          <label htmlFor={findFields.linkageKey.id}>{t("imaging:inbox.findLabel")}</label>
          <input {...getInputProps(findFields.linkageKey, { type: "text", ariaDescribedBy: "inbox-key-hint" })} />
          <p className="hint" id="inbox-key-hint">
            {t("imaging:inbox.findHint")}
          </p>
          <FieldErrors field={findFields.linkageKey} />
        </div>
        <button type="submit" className="button-secondary" disabled={busy}>
          {t("imaging:inbox.find")}
        </button>
      </Form>
      {result?.error && !result.studyId && result.intent !== "find" && (
        <p className="alert alert-error" role="alert">
          {t(result.error)}
        </p>
      )}
      {result?.attached && (
        <p role="status">
          {t("imaging:inbox.attached", {
            stored: result.attached.stored,
            duplicate: result.attached.duplicate,
            rejected: result.attached.rejected,
          })}{" "}
          <Link to={`/cases/${result.attached.caseId}`}>{t("imaging:inbox.openCase")}</Link>
        </p>
      )}
      {matches && <p role="status">{t("imaging:inbox.matches", { count: shown.length })}</p>}
      {shown.length === 0 ? (
        <p>{t("imaging:inbox.empty")}</p>
      ) : (
        <TableScroll label={t("imaging:inbox.title")}>
          <table className="data-table">
            <caption className="visually-hidden">{t("imaging:inbox.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("imaging:inbox.received")}</th>
                <th scope="col">{t("imaging:inbox.sender")}</th>
                <th scope="col">{t("imaging:inbox.study")}</th>
                <th scope="col">{t("imaging:inbox.content")}</th>
                <th scope="col">{t("imaging:inbox.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((study) => (
                <InboxRow
                  key={study.id}
                  study={study}
                  cases={cases}
                  timeZone={timeZone}
                  busy={busy}
                  result={result?.studyId === study.id ? result : undefined}
                />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

/** One waiting study: attach it to a case of the institution, or discard it; the answer about this study is shown beside it. */
function InboxRow({
  study,
  cases,
  timeZone,
  busy,
  result,
}: {
  study: Study;
  cases: CaseChoice[];
  timeZone: string;
  busy: boolean;
  result: ActionResult | undefined;
}) {
  const { t, i18n } = useTranslation();
  const [attachForm, attachFields] = useForm<z.input<typeof InboxAttachForm>>({
    id: `inbox-attach-${study.id}`,
    lastResult: result?.intent === "attach" ? result.result : undefined,
    constraint: getZodConstraint(InboxAttachForm),
    shouldValidate: "onSubmit",
  });
  const [discardForm] = useForm<z.input<typeof InboxDiscardForm>>({
    id: `inbox-discard-${study.id}`,
    lastResult: result?.intent === "discard" ? result.result : undefined,
    constraint: getZodConstraint(InboxDiscardForm),
    shouldValidate: "onSubmit",
  });
  const discardProps = getFormProps(discardForm);
  const name = [study.modalities.join(", "), study.description].filter(Boolean).join(" ") || study.callingAeTitle;
  return (
    <tr>
      <td>{formatDateTime(study.updatedAt, i18n.language, timeZone)}</td>
      <td>{study.callingAeTitle}</td>
      <td>{name}</td>
      <td>
        {t("imaging:inbox.counts", {
          series: study.seriesCount,
          count: study.instanceCount,
        })}
      </td>
      <td>
        <Form method="post" className="inline-form" {...getFormProps(attachForm)}>
          <input type="hidden" name="intent" value="attach" />
          <input type="hidden" name="studyId" value={study.id} />
          <label htmlFor={attachFields.caseId.id}>{t("imaging:inbox.caseLabel")}</label>
          <select {...getSelectProps(attachFields.caseId)}>
            <option value="">{t("imaging:inbox.choose")}</option>
            {cases.map((c) => (
              <option key={c.id} value={c.id}>
                {c.code} · {t(CASE_STATUS_LABEL_KEYS[c.status as keyof typeof CASE_STATUS_LABEL_KEYS])}
              </option>
            ))}
          </select>
          <button
            type="submit"
            disabled={busy}
            aria-label={t("imaging:inbox.attachNamed", {
              study: name,
            })}
          >
            {t("imaging:inbox.attach")}
          </button>
        </Form>
        <Form
          method="post"
          className="inline-form"
          {...discardProps}
          onSubmit={(e) => (confirm(t("imaging:inbox.discardConfirm")) ? discardProps.onSubmit(e) : e.preventDefault())}
        >
          <input type="hidden" name="intent" value="discard" />
          <input type="hidden" name="studyId" value={study.id} />
          <button
            type="submit"
            className="button-secondary"
            disabled={busy}
            aria-label={t("imaging:inbox.discardNamed", {
              study: name,
            })}
          >
            {t("imaging:inbox.discard")}
          </button>
        </Form>
        {/* The one answer about this study (the case not chosen, or the study gone), as an alert; it describes the case select when it is about it. */}
        {result?.error && (
          <p className="alert alert-error" role="alert" id={attachFields.caseId.errorId}>
            {t(result.error)}
          </p>
        )}
      </td>
    </tr>
  );
}
