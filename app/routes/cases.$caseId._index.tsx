import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { AttachmentsPanel } from "~/features/cases/attachments-panel";
import { CaseDiscussion } from "~/features/cases/case-discussion";
import { CaseBoards } from "~/features/boards/case-boards";
import { CaseSummary } from "~/features/cases/case-summary";
import { GlossaryLookup } from "~/features/glossary/glossary-lookup";
import { ImagingPanel } from "~/features/imaging/imaging-panel";
import { KeyImageList } from "~/features/imaging/key-images/key-image-list";
import { SlidesPanel } from "~/features/imaging/slides/slides-panel";
import { NarrativeView } from "~/features/cases/narrative-view";
import { canAddImaging, canComment, canTranslate, canUploadAttachment, canViewCase, relationTo } from "~/features/cases/case-access";
import { availableActions, CASE_STATUS_LABEL_KEYS, isDirectCaseAction, packetEditable } from "~/features/cases/case-lifecycle";
import { completenessChecklist } from "~/features/cases/completeness";
import { NARRATIVE_LANGUAGES } from "~/features/cases/clinical-vocabulary";
import { turnaround } from "~/features/cases/turnaround";
import { boardsOfCase } from "~/features/boards/board-store.server";
import { getCaseDetail } from "~/features/cases/case-store.server";
import { keyImagesOf, slideKeyRegionsOf, visibleSeries } from "~/features/imaging/imaging-store.server";
import { notifyCaseComment } from "~/realtime/io.server";
import { auditCase, requireCase, saveTranslation, transitionCase } from "~/features/cases/case-workflow.server";
import { getDb } from "~/platform/db.server";
import { formatDate, formatDateTime } from "~/ui/format";
import { icd10Title } from "~/features/cases/reference-data.server";
import { requestMeta } from "~/platform/request-meta.server";
import { attachMatchingInboxStudies } from "~/features/imaging/dicom-inbox.server";
import { linkageHash } from "~/features/imaging/linkage.server";

const CHECKLIST_KEYS = {
  consent: "cases:checklist.consent",
  questions: "cases:checklist.questions",
  translations: "cases:checklist.translations",
  pathologyOrImaging: "cases:checklist.pathologyOrImaging",
} as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId);
  const db = getDb();
  const detail = (await getCaseDetail(db, facts.id))!;
  await auditCase(db, user, "case.view", facts.id, requestMeta(request, context));
  const people = await db.user.findMany({
    where: { id: { in: [...new Set([...detail.transitions.map((t) => t.actorId), ...detail.comments.map((c) => c.authorId), ...detail.narratives.map((n) => n.translatedById ?? "")])] } },
    select: { id: true, displayName: true },
  });
  const nameOf = Object.fromEntries(people.map((p) => [p.id, p.displayName]));
  const relation = relationTo(user, facts);
  return {
    detail: {
      ...detail,
      narratives: detail.narratives.map((n) => ({ ...n, translatedBy: n.translatedById ? (nameOf[n.translatedById] ?? null) : null })),
      transitions: detail.transitions.map((t) => ({ ...t, actor: nameOf[t.actorId] ?? null })),
      comments: detail.comments.map((c) => ({ ...c, author: nameOf[c.authorId] ?? null })),
    },
    icd10: icd10Title(detail.icd10Code) ?? null,
    actions: availableActions(facts.status, user.role, relation),
    editable: packetEditable(facts.status) && user.role === "TREATING_PHYSICIAN" && relation.ownInstitution,
    canTranslate: canTranslate(user, facts),
    canComment: canComment(user, facts),
    canUpload: canUploadAttachment(user, facts),
    canAddImaging: canAddImaging(user, facts),
    reviewer: user.role === "COORDINATOR",
    linkage: { canSet: user.role === "TREATING_PHYSICIAN" && canAddImaging(user, facts), isSet: detail.hasLinkageKey },
    keyImages: await keyImagesOf(db, facts.id, user.role),
    // The board's summary seeds the opinion; the treating side receives the signed opinion, not the draft.
    boards: (await boardsOfCase(db, facts.id)).map((b) => ({ ...b, boardSummary: user.role === "TREATING_PHYSICIAN" ? null : b.boardSummary || null })),
    slideKeyRegions: await slideKeyRegionsOf(db, facts.id),
    slides: await db.slide.findMany({ where: { caseId: facts.id }, orderBy: { createdAt: "asc" }, select: { id: true, fileName: true, status: true, errorKey: true } }),
    studies: await db.imagingStudy.findMany({
      where: { caseId: facts.id },
      orderBy: { createdAt: "asc" },
      include: {
        series: {
          where: visibleSeries(user.role),
          orderBy: { seriesNumber: "asc" },
          select: { id: true, seriesNumber: true, modality: true, description: true, burnedInRisk: true, burnedInClearedAt: true, _count: { select: { instances: true } } },
        },
      },
    }),
    checklist:
      user.role === "COORDINATOR"
        ? completenessChecklist({
            hasConsent: Boolean(detail.consent?.consentDate && detail.consent.recipientInstitutionId),
            questionCount: detail.narratives.filter((n) => n.key.startsWith("question.")).length,
            narratives: detail.narratives,
            pathologyOrImagingCount: detail.attachments.filter((a) => a.kind === "PATHOLOGY_REPORT").length + (await db.imagingStudy.count({ where: { caseId: facts.id } })),
          })
        : null,
    clock: turnaround({ status: facts.status, submittedAt: detail.submittedAt, dueAt: detail.dueAt }, new Date()),
    timeZone: user.timeZone,
  };
}

const TranslationSchema = z.object({ key: z.string().min(1).max(40), text: z.string().trim().min(1, "cases:translation.textRequired").max(20000, "cases:errors.tooLong"), status: z.enum(["DRAFT", "REVIEWED"]) });
const CommentSchema = z.object({ body: z.string().trim().min(1, "cases:discussion.bodyRequired").max(5000, "cases:errors.tooLong"), language: z.enum(NARRATIVE_LANGUAGES) });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  const intent = String(form.intent ?? "");
  const db = getDb();
  const meta = requestMeta(request, context);

  if (intent === "translate") {
    const { user, facts } = await requireCase(request, context, params.caseId, canTranslate);
    const parsed = TranslationSchema.safeParse(form);
    if (!parsed.success) return data({ intent, key: String(form.key ?? ""), error: parsed.error.issues[0].message }, { status: 400 });
    const saved = await saveTranslation(db, user, facts, parsed.data, meta);
    return saved.ok ? { intent, key: parsed.data.key, error: null } : data({ intent, key: parsed.data.key, error: saved.formError ?? null }, { status: 400 });
  }
  if (intent === "comment") {
    const { user, facts } = await requireCase(request, context, params.caseId, canComment);
    const parsed = CommentSchema.safeParse(form);
    if (!parsed.success) return data({ intent, key: null, error: parsed.error.issues[0].message }, { status: 400 });
    const comment = await db.caseComment.create({ data: { caseId: facts.id, authorId: user.id, ...parsed.data } });
    await auditCase(db, user, "case.comment", facts.id, meta, { commentId: comment.id });
    notifyCaseComment(facts.id, { id: comment.id, author: user.displayName, language: comment.language, body: comment.body, createdAt: comment.createdAt.toISOString() });
    return { intent, key: null, error: null };
  }
  if (intent === "setLinkage") {
    const { user, facts } = await requireCase(request, context, params.caseId, (actor, f) => actor.role === "TREATING_PHYSICIAN" && canAddImaging(actor, f));
    const value = String(form.linkageKey ?? "").trim();
    if (!value || value.length > 64) return data({ intent, key: null, error: "imaging:linkage.invalid" }, { status: 400 });
    const hash = await linkageHash(db, value);
    await db.case.update({ where: { id: facts.id }, data: { linkageKeyHash: hash } });
    await auditCase(db, user, "imaging.setLinkage", facts.id, meta);
    const attached = await attachMatchingInboxStudies(db, user, facts.id, hash, meta);
    return { intent, key: null, error: null, attached };
  }
  if (intent === "clearBurnedIn") {
    const { user, facts } = await requireCase(request, context, params.caseId, (actor, f) => actor.role === "COORDINATOR" && canViewCase(actor, f));
    const cleared = await db.imagingSeries.updateMany({
      where: { id: String(form.seriesId ?? ""), study: { caseId: facts.id }, burnedInRisk: true, burnedInClearedAt: null },
      data: { burnedInClearedAt: new Date(), burnedInClearedBy: user.id },
    });
    if (cleared.count === 0) return data({ intent, key: null, error: "imaging:review.notFound" }, { status: 404 });
    await auditCase(db, user, "imaging.clearBurnedIn", facts.id, meta, { seriesId: String(form.seriesId) });
    return { intent, key: null, error: null };
  }
  if (isDirectCaseAction(intent)) {
    const { user, facts } = await requireCase(request, context, params.caseId);
    const reason = typeof form.reason === "string" ? form.reason.trim().slice(0, 2000) : undefined;
    const result = await transitionCase(db, user, facts, intent, reason, meta);
    if (!result.ok) return data({ intent, key: null, error: result.formError ?? null }, { status: 400 });
    throw redirect(`/cases/${facts.id}`);
  }
  return data({ intent, key: null, error: "cases:errors.actionNotAllowed" }, { status: 400 });
}

export default function CasePage() {
  const { detail, icd10, actions, editable, canTranslate: mayTranslate, canComment: mayComment, canUpload, canAddImaging: mayAddImaging, reviewer, linkage, studies, keyImages, slideKeyRegions, slides, checklist, clock, timeZone, boards } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const zh = i18n.language === "zh-CN";
  const transitionError = result?.error && !["translate", "comment"].includes(result.intent) ? result.error : null;
  return (
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
          {detail.status !== "DRAFT" && (
            <Link className="button-secondary" to={`/cases/${detail.id}/opinion`}>
              {t("opinions:page.link")}
            </Link>
          )}
          {editable && (
            <Link className="button-primary" to={`/cases/${detail.id}/edit`}>
              {t("cases:view.edit")}
            </Link>
          )}
        </div>
      </header>

      {detail.status === "RETURNED" && detail.returnReason && (
        <div className="alert alert-warning" role="note">
          <strong>{t("cases:view.returnedBecause")}</strong> {detail.returnReason}
        </div>
      )}
      {transitionError && (
        <div className="alert alert-error" role="alert">
          {t(transitionError)}
        </div>
      )}

      {actions.length > 0 && (
        <section className="section case-actions" aria-labelledby="actions-title">
          <h2 id="actions-title">{t("cases:view.actions")}</h2>
          {actions.includes("triage") && (
            <Link className="button-primary" to={`/cases/${detail.id}/assign`}>
              {t("cases:actions.triage")}
            </Link>
          )}
          {actions.includes("startReview") && (
            <Form method="post">
              <button type="submit" name="intent" value="startReview" className="button-primary" disabled={navigation.state !== "idle"}>
                {t("cases:actions.startReview")}
              </button>
            </Form>
          )}
          {(["return", "withdraw"] as const)
            .filter((a) => actions.includes(a))
            .map((a) => (
              <Form method="post" key={a} className="reason-form">
                <div className="field">
                  <label htmlFor={`reason-${a}`}>{a === "return" ? t("cases:actions.returnReason") : t("cases:actions.withdrawReason")}</label>
                  <textarea id={`reason-${a}`} name="reason" rows={2} required />
                </div>
                <button type="submit" name="intent" value={a} className={a === "withdraw" ? "button-danger" : "button-secondary"}>
                  {a === "return" ? t("cases:actions.return") : t("cases:actions.withdraw")}
                </button>
              </Form>
            ))}
        </section>
      )}

      {checklist && (
        <section className="section" aria-labelledby="checklist-title">
          <h2 id="checklist-title">{t("cases:checklist.title")}</h2>
          <ul className="checklist">
            {checklist.map((item) => (
              <li key={item.item} className={item.ok ? "ok" : "missing"}>
                <span aria-hidden="true">{item.ok ? "✓" : "✗"}</span> {t(CHECKLIST_KEYS[item.item])}: {item.ok ? t("cases:checklist.ok") : t("cases:checklist.missing")}
              </li>
            ))}
          </ul>
        </section>
      )}

      <CaseSummary detail={detail} icd10={icd10} />

      <div className="packet-layout">
        <section className="section" aria-labelledby="narratives-title">
          <h2 id="narratives-title">{t("cases:view.narratives")}</h2>
          {detail.narratives.length === 0 && <p className="muted">{t("cases:view.noNarratives")}</p>}
          {detail.narratives.map((n) => (
            <NarrativeView key={n.key} narrative={n} canTranslate={mayTranslate} result={result?.intent === "translate" && result.key === n.key ? result : null} timeZone={timeZone} />
          ))}
        </section>
        {mayTranslate && (
          <aside className="packet-aside" aria-label={t("cases:glossary.title")}>
            <GlossaryLookup />
          </aside>
        )}
      </div>

      <AttachmentsPanel caseId={detail.id} attachments={detail.attachments} canUpload={canUpload} />
      <ImagingPanel caseId={detail.id} studies={studies} canUpload={mayAddImaging} canReview={reviewer} linkage={linkage} linkageError={result?.intent === "setLinkage" ? result.error : null}
        linkageAttached={result?.intent === "setLinkage" && "attached" in result ? (result.attached ?? null) : null}
      />
      <SlidesPanel caseId={detail.id} slides={slides} canUpload={mayAddImaging} />
      <KeyImageList caseId={detail.id} keyImages={keyImages} slideRegions={slideKeyRegions} timeZone={timeZone} />
      <CaseBoards boards={boards} timeZone={timeZone} />

      <section className="section" aria-labelledby="history-title">
        <h2 id="history-title">{t("cases:view.history")}</h2>
        <ol className="history">
          {detail.transitions.map((tr) => (
            <li key={tr.id}>
              {formatDateTime(tr.occurredAt, i18n.language, timeZone)} — {tr.actor ?? "—"}: {t(CASE_STATUS_LABEL_KEYS[tr.toStatus as keyof typeof CASE_STATUS_LABEL_KEYS])}
              {tr.reason && <span className="muted"> ({tr.reason})</span>}
            </li>
          ))}
        </ol>
      </section>

      <CaseDiscussion caseId={detail.id} comments={detail.comments} canComment={mayComment} error={result?.intent === "comment" ? result.error : null} timeZone={timeZone} />
    </article>
  );
}
