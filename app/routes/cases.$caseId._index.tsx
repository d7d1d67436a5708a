/** /cases/<id>: the case page (packet, translations, imaging, slides, key images, boards, history, discussion) and its actions. */
import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { AttachmentsPanel } from "~/features/cases/attachments-panel";
import { CaseDiscussion } from "~/features/cases/case-discussion";
import { CaseBoards } from "~/features/boards/case-boards";
import { CaseSummary } from "~/features/cases/case-summary";
import { GlossaryLookup } from "~/features/glossary/glossary-lookup";
import { ImagingPanel } from "~/features/imaging/imaging-panel";
import { KeyImageList } from "~/features/imaging/key-images/key-image-list";
import { SlidesPanel } from "~/features/imaging/slides/slides-panel";
import { NarrativeView } from "~/features/cases/narrative-view";
import type { CaseAbility } from "~/features/cases/case-access";
import { requireCase } from "~/features/cases/case-access.server";
import { CommentForm, DeleteDraftForm, TransitionForm, TranslationForm } from "~/features/cases/case-forms";
import { CASE_STATUS_LABEL_KEYS } from "~/features/cases/case-lifecycle";
import { loadCasePage } from "~/features/cases/case-page.server";
import { addComment, deleteDraft, saveTranslation, transitionCase } from "~/features/cases/case-workflow.server";
import type { ImagingAbility } from "~/features/imaging/imaging-access";
import { ClearBurnedInForm, LinkageForm } from "~/features/imaging/imaging-forms";
import { clearBurnedInSeries } from "~/features/imaging/burned-in/burned-in-review.server";
import { requireCaseImaging, setLinkageKey } from "~/features/imaging/imaging-steps.server";
import { FieldErrors } from "~/ui/field-errors";
import { formatDate, formatDateTime } from "~/ui/format";
import { readForm } from "~/platform/request-body.server";
import { TextTranslationAids, TranslatableText } from "~/features/translation/translatable-text";
import { TranslatedTextView } from "~/features/translation/translated-text-view";
import { saveTextTranslation } from "~/features/translation/text-translations.server";
import { subjectKey, TextTranslationForm, type TextSubject } from "~/features/translation/translated-text";

const CHECKLIST_KEYS = {
  consent: "cases:checklist.consent",
  questions: "cases:checklist.questions",
  translations: "cases:checklist.translations",
  pathologyOrImaging: "cases:checklist.pathologyOrImaging",
} as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return loadCasePage(await requireCase(request, context, params.caseId));
}

/** Each intent: the ability it needs (checked before its fields are read) and the schema of its form. */
const INTENTS = {
  translate: { ability: "translate", schema: TranslationForm },
  /** A return's reason, a comment or one of the packet's short texts: the step asks who may translate that text. */
  translateText: { ability: "view", schema: TextTranslationForm },
  comment: { ability: "comment", schema: CommentForm },
  startReview: { ability: "view", schema: TransitionForm },
  return: { ability: "view", schema: TransitionForm },
  withdraw: { ability: "view", schema: TransitionForm },
  deleteDraft: { ability: "view", schema: DeleteDraftForm },
  setLinkage: { imaging: "setLinkage", schema: LinkageForm },
  clearBurnedIn: { imaging: "clearBurnedIn", schema: ClearBurnedInForm },
} as const satisfies Record<string, { ability: CaseAbility; schema: unknown } | { imaging: ImagingAbility; schema: unknown }>;

type CaseIntent = keyof typeof INTENTS;
const isCaseIntent = (value: unknown): value is CaseIntent => typeof value === "string" && Object.hasOwn(INTENTS, value);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const intent = formData.get("intent");
  const key = String(formData.get("key") ?? "") || null;
  if (!isCaseIntent(intent)) return data({ intent: String(intent ?? ""), key, error: "cases:errors.actionNotAllowed" }, { status: 400 });
  const rule = INTENTS[intent];
  const caller =
    "imaging" in rule
      ? await requireCaseImaging(request, context, params.caseId, rule.imaging)
      : await requireCase(request, context, params.caseId, rule.ability);
  const submission = parseWithZod(formData, { schema: rule.schema });
  const refuse = (error: string, status: number) => data({ intent, key, error, result: submission.reply({ formErrors: [error] }) }, { status });
  if (submission.status !== "success")
    return data(
      { intent, key, error: Object.values(submission.error ?? {}).flat()[0] ?? "cases:errors.actionNotAllowed", result: submission.reply() },
      { status: 400 },
    );

  const input = submission.value;
  switch (input.intent) {
    case "translate": {
      const saved = await saveTranslation({ ...caller, key: input.key, text: input.text, status: input.status, acceptedTermIds: input.acceptTerm });
      return saved.ok ? { intent, key, error: null, result: submission.reply() } : refuse(saved.formError ?? "cases:errors.actionNotAllowed", 400);
    }
    case "translateText": {
      const saved = await saveTextTranslation({
        ...caller,
        subject: { type: input.subjectType, id: input.subjectId },
        text: input.text,
        acceptedTermIds: input.acceptTerm,
      });
      return saved.ok ? { intent, key, error: null, result: submission.reply() } : refuse(saved.formError, saved.status);
    }
    case "comment": {
      const posted = await addComment({ ...caller, body: input.body, language: input.language });
      return posted.ok
        ? { intent, key, error: null, result: submission.reply({ resetForm: true }) }
        : refuse(posted.formError ?? "cases:errors.actionNotAllowed", 400);
    }
    case "setLinkage": {
      const linked = await setLinkageKey({ ...caller, linkageKey: input.linkageKey });
      return linked.ok
        ? { intent, key, error: null, attached: linked.attached ?? 0, result: submission.reply({ resetForm: true }) }
        : refuse(linked.errorKey, linked.status);
    }
    case "clearBurnedIn": {
      const cleared = await clearBurnedInSeries({ ...caller, seriesId: input.seriesId });
      return cleared.ok ? { intent, key, error: null, result: submission.reply() } : refuse(cleared.errorKey, cleared.status);
    }
    case "deleteDraft": {
      const deleted = await deleteDraft(caller);
      if (!deleted.ok) return refuse(deleted.formError ?? "cases:errors.actionNotAllowed", 400);
      throw redirect(`/cases?deleted=${caller.facts.code}`);
    }
    default: {
      const moved = await transitionCase({ ...caller, action: input.intent, reason: input.reason });
      if (!moved.ok) return refuse(moved.formError ?? "cases:errors.actionNotAllowed", 400);
      throw redirect(`/cases/${caller.facts.id}`);
    }
  }
}

export default function CasePage() {
  const {
    detail,
    returnReason,
    icd10,
    may,
    translationAids,
    textTranslationAids,
    imaging,
    linkageIsSet,
    studies,
    keyImages,
    slideKeyRegions,
    slides,
    checklist,
    clock,
    timeZone,
    boards,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const zh = i18n.language === "zh-CN";
  const transitionError = result?.error && !["translate", "translateText", "comment", "setLinkage"].includes(result.intent) ? result.error : null;
  const textResult = (subject: TextSubject) =>
    result?.intent === "translateText" && result.key === subjectKey(subject) && "result" in result ? result.result : undefined;
  return (
    <TextTranslationAids.Provider value={textTranslationAids}>
      <article aria-labelledby="case-title" className="case-page">
        <header className="page-heading">
          <div>
            <h1 id="case-title">{detail.code}</h1>
            <p className="muted">
              <span className={`badge status-${detail.status}`}>{t(CASE_STATUS_LABEL_KEYS[detail.status as keyof typeof CASE_STATUS_LABEL_KEYS])}</span>{" "}
              {zh ? detail.institution.nameZh : detail.institution.nameEn}
              {detail.submittedAt && ` · ${t("cases:view.submittedOn", { date: formatDate(detail.submittedAt, i18n.language, timeZone) })}`}
              {detail.dueAt && ` · ${t("cases:view.dueOn", { date: formatDate(detail.dueAt, i18n.language, timeZone) })}`}
              {clock.daysOpen !== null && ` · ${t("cases:list.daysOpen", { count: clock.daysOpen })}`}
              {clock.overdue && <strong className="overdue-flag"> {t("cases:list.overdueFlag")}</strong>}
            </p>
          </div>
          <div className="button-row">
            {may.openOpinion && (
              <Link className="button-secondary" to={`/cases/${detail.id}/opinion`}>
                {t("opinions:page.link")}
              </Link>
            )}
            {may.editPacket && (
              <Link className="button-primary" to={`/cases/${detail.id}/edit`}>
                {t("cases:view.edit")}
              </Link>
            )}
          </div>
        </header>

        {returnReason && (
          <div className="alert alert-warning" role="note" aria-label={t("cases:view.returnedBecause")}>
            <strong>{t("cases:view.returnedBecause")}</strong>
            <TranslatableText
              subject={returnReason.subject}
              text={returnReason.text}
              timeZone={timeZone}
              mayTranslate={may.translate}
              lastResult={textResult(returnReason.subject)}
            />
          </div>
        )}
        {transitionError && (
          <div className="alert alert-error" role="alert">
            {t(transitionError)}
          </div>
        )}

        {(may.actions.length > 0 || may.deleteDraft) && (
          <section className="section case-actions" aria-labelledby="actions-title">
            <h2 id="actions-title">{t("cases:view.actions")}</h2>
            {may.actions.includes("triage") && (
              <Link className="button-primary" to={`/cases/${detail.id}/assign`}>
                {t("cases:actions.triage")}
              </Link>
            )}
            {may.actions.includes("startReview") && (
              <Form method="post">
                <button type="submit" name="intent" value="startReview" className="button-primary" disabled={navigation.state !== "idle"}>
                  {t("cases:actions.startReview")}
                </button>
              </Form>
            )}
            {(["return", "withdraw"] as const)
              .filter((a) => may.actions.includes(a))
              .map((a) => (
                <ReasonForm key={a} action={a} lastResult={result?.intent === a && "result" in result ? result.result : undefined} />
              ))}
            {may.deleteDraft && <DeleteDraftConfirmation code={detail.code} />}
          </section>
        )}

        {checklist && (
          <section className="section" aria-labelledby="checklist-title">
            <h2 id="checklist-title">{t("cases:checklist.title")}</h2>
            <ul className="checklist">
              {checklist.map((item) => (
                <li key={item.item} className={item.ok ? "ok" : "missing"}>
                  <span aria-hidden="true">{item.ok ? "✓" : "✗"}</span> {t(CHECKLIST_KEYS[item.item])}:{" "}
                  {item.ok ? t("cases:checklist.ok") : t("cases:checklist.missing")}
                </li>
              ))}
            </ul>
          </section>
        )}

        <CaseSummary detail={detail} icd10={icd10} timeZone={timeZone} translating={{ mayTranslate: may.translate, lastResult: textResult }} />

        <div className="packet-layout">
          <section className="section" aria-labelledby="narratives-title">
            <h2 id="narratives-title">{t("cases:view.narratives")}</h2>
            {detail.narratives.length === 0 && <p className="muted">{t("cases:view.noNarratives")}</p>}
            {detail.narratives.map((n) => (
              <NarrativeView
                key={n.key}
                narrative={n}
                aid={translationAids[n.key]}
                lastResult={result?.intent === "translate" && result.key === n.key && "result" in result ? result.result : undefined}
                timeZone={timeZone}
              />
            ))}
          </section>
          {may.translate && (
            <aside className="packet-aside" aria-label={t("cases:glossary.title")}>
              <GlossaryLookup />
            </aside>
          )}
        </div>

        <AttachmentsPanel caseId={detail.id} attachments={detail.attachments} canUpload={may.uploadAttachment} />
        <ImagingPanel
          caseId={detail.id}
          studies={studies}
          may={imaging}
          linkageIsSet={linkageIsSet}
          lastResult={result?.intent === "setLinkage" && "result" in result ? result.result : undefined}
          linkageAttached={result?.intent === "setLinkage" && "attached" in result ? (result.attached ?? null) : null}
        />
        <SlidesPanel caseId={detail.id} slides={slides} canUpload={imaging.addImaging} />
        <KeyImageList caseId={detail.id} keyImages={keyImages} slideRegions={slideKeyRegions} timeZone={timeZone} />
        <CaseBoards boards={boards} timeZone={timeZone} />

        <section className="section" aria-labelledby="history-title">
          <h2 id="history-title">{t("cases:view.history")}</h2>
          <ol className="history">
            {detail.transitions.map((tr) => (
              <li key={tr.id}>
                {formatDateTime(tr.occurredAt, i18n.language, timeZone)} — {tr.actor ?? "—"}:{" "}
                {t(CASE_STATUS_LABEL_KEYS[tr.toStatus as keyof typeof CASE_STATUS_LABEL_KEYS])}
                {tr.reasonText && <TranslatedTextView text={tr.reasonText} timeZone={timeZone} className="muted" />}
              </li>
            ))}
          </ol>
        </section>

        <CaseDiscussion
          caseId={detail.id}
          comments={detail.comments}
          canComment={may.comment}
          mayTranslate={may.translate}
          lastResult={result?.intent === "comment" && "result" in result ? result.result : undefined}
          translationResult={textResult}
          timeZone={timeZone}
        />
      </article>
    </TextTranslationAids.Provider>
  );
}

/** Returning the case to the physician, or withdrawing it, needs a reason. */
function ReasonForm({ action, lastResult }: { action: "return" | "withdraw"; lastResult: SubmissionResult<string[]> | undefined }) {
  const { t } = useTranslation();
  const [form, fields] = useForm<z.input<typeof TransitionForm>>({
    id: `transition-${action}`,
    lastResult,
    constraint: getZodConstraint(TransitionForm),
    shouldValidate: "onBlur",
    // Validated in the page: a server round trip on blur would race the click on the button that caused the blur.
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TransitionForm }),
  });
  return (
    <Form method="post" className="reason-form" {...getFormProps(form)}>
      <div className="field">
        <label htmlFor={fields.reason.id}>{action === "return" ? t("cases:actions.returnReason") : t("cases:actions.withdrawReason")}</label>
        <textarea {...getTextareaProps(fields.reason)} rows={2} required />
        <FieldErrors field={fields.reason} />
      </div>
      <button type="submit" name="intent" value={action} className={action === "withdraw" ? "button-danger" : "button-secondary"}>
        {action === "return" ? t("cases:actions.return") : t("cases:actions.withdraw")}
      </button>
    </Form>
  );
}

/** An empty draft goes without a reason, once its author confirms. */
function DeleteDraftConfirmation({ code }: { code: string }) {
  const { t } = useTranslation();
  return (
    <details className="delete-draft">
      <summary>{t("cases:actions.deleteDraft")}</summary>
      <Form method="post">
        <p>{t("cases:actions.deleteDraftConfirm", { code })}</p>
        <button type="submit" name="intent" value="deleteDraft" className="button-danger">
          {t("cases:actions.deleteDraftSubmit", { code })}
        </button>
      </Form>
    </details>
  );
}
