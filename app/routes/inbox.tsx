import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CASE_STATUS_LABEL_KEYS } from "~/features/cases/case-lifecycle";
import { recordAudit } from "~/features/audit/audit.server";
import { requirePermission } from "~/features/identity/auth.server";
import { getDb } from "~/platform/db.server";
import { attachInboxStudy, discardInboxStudy, listInbox } from "~/features/imaging/dicom-inbox.server";
import { formatDateTime } from "~/ui/format";
import { requestMeta } from "~/platform/request-meta.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "imaging.inbox");
  const db = getDb();
  const studies = await listInbox(db, user);
  await recordAudit(db, {
    actor: user,
    action: "inbox.view",
    outcome: "success",
    entityType: "Institution",
    entityId: user.institutionId,
    details: { studies: studies.length },
    meta: requestMeta(request, context),
  });
  const cases = await db.case.findMany({
    where: {
      institutionId: user.institutionId ?? "",
      status: { not: "WITHDRAWN" },
    },
    orderBy: { createdAt: "desc" },
    select: { id: true, code: true, status: true },
  });
  return { studies, cases, timeZone: user.timeZone };
}

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("find"),
    linkageKey: z.string().trim().min(1, "imaging:inbox.findInvalid").max(64, "imaging:inbox.findInvalid"),
  }),
  z.object({
    intent: z.literal("attach"),
    studyId: z.string().min(1),
    caseId: z.string().min(1, "imaging:inbox.chooseCase"),
  }),
  z.object({ intent: z.literal("discard"), studyId: z.string().min(1) }),
]);

type ActionResult = {
  error: string | null;
  studyId?: string;
  matches?: string[];
  attached?: {
    caseId: string;
    stored: number;
    duplicate: number;
    rejected: number;
  };
};

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "imaging.inbox");
  const form = Object.fromEntries(await request.formData());
  const parsed = ActionSchema.safeParse(form);
  if (!parsed.success)
    return data<ActionResult>(
      {
        error: parsed.error.issues[0]?.message ?? "imaging:inbox.invalid",
        studyId: String(form.studyId ?? ""),
      },
      { status: 400 }
    );
  const db = getDb();
  const meta = requestMeta(request, context);
  const input = parsed.data;
  if (input.intent === "find") {
    const matches = await listInbox(db, user, input.linkageKey);
    await recordAudit(db, {
      actor: user,
      action: "inbox.find",
      outcome: "success",
      entityType: "Institution",
      entityId: user.institutionId,
      details: { matches: matches.length },
      meta,
    });
    return data<ActionResult>({
      error: null,
      matches: matches.map((m) => m.id),
    });
  }
  if (input.intent === "attach") {
    const outcome = await attachInboxStudy(db, user, input.studyId, input.caseId, meta);
    if (!outcome.ok) return data<ActionResult>({ error: "imaging:inbox.notFound", studyId: input.studyId }, { status: 404 });
    const { ok: _ok, ...counts } = outcome;
    return data<ActionResult>({
      error: null,
      attached: { caseId: input.caseId, ...counts },
    });
  }
  if (!(await discardInboxStudy(db, user, input.studyId, meta)))
    return data<ActionResult>({ error: "imaging:inbox.notFound", studyId: input.studyId }, { status: 404 });
  return data<ActionResult>({ error: null });
}

export default function InboxPage() {
  const { studies, cases, timeZone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, i18n } = useTranslation();
  const matches = result?.matches ? new Set(result.matches) : null;
  const shown = matches ? studies.filter((s) => matches.has(s.id)) : studies;
  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">{t("imaging:inbox.title")}</h1>
      <p className="muted">{t("imaging:inbox.intro")}</p>
      <Form method="post" role="search" className="filters" autoComplete="off">
        <input type="hidden" name="intent" value="find" />
        <div className="field">
          <label htmlFor="inbox-key">{t("imaging:inbox.findLabel")}</label>
          <input id="inbox-key" name="linkageKey" type="text" maxLength={64} aria-describedby="inbox-key-hint" />
          <p className="hint" id="inbox-key-hint">
            {t("imaging:inbox.findHint")}
          </p>
        </div>
        <button type="submit" className="button-secondary" disabled={busy}>
          {t("imaging:inbox.find")}
        </button>
      </Form>
      {result?.error && !result.studyId && (
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
            {shown.map((study) => {
              const name = [study.modalities.join(", "), study.description].filter(Boolean).join(" ") || study.callingAeTitle;
              return (
                <tr key={study.id}>
                  <td>{formatDateTime(study.updatedAt, i18n.language, timeZone)}</td>
                  <td>{study.callingAeTitle}</td>
                  <td>{name}</td>
                  <td>
                    {t("imaging:inbox.counts", {
                      series: study.seriesCount,
                      instances: study.instanceCount,
                    })}
                  </td>
                  <td>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="attach" />
                      <input type="hidden" name="studyId" value={study.id} />
                      <label htmlFor={`case-for-${study.id}`}>{t("imaging:inbox.caseLabel")}</label>
                      <select id={`case-for-${study.id}`} name="caseId" defaultValue="">
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
                    <Form method="post" className="inline-form" onSubmit={(e) => !confirm(t("imaging:inbox.discardConfirm")) && e.preventDefault()}>
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
                    {result?.error && result.studyId === study.id && (
                      <p className="alert alert-error" role="alert">
                        {t(result.error)}
                      </p>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
