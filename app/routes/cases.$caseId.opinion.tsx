import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { GlossaryLookup } from "~/features/glossary/glossary-lookup";
import { OpinionDelivery } from "~/features/opinions/opinion-delivery";
import { OpinionFollowUps } from "~/features/opinions/opinion-follow-ups";
import { OpinionAmendForm, OpinionArchiveForm } from "~/features/opinions/opinion-lifecycle-forms";
import { OpinionOutcomeForm } from "~/features/opinions/opinion-outcome-form";
import { OpinionSectionEditor } from "~/features/opinions/opinion-section-editor";
import { OpinionSignForm } from "~/features/opinions/opinion-sign-form";
import { OpinionStart } from "~/features/opinions/opinion-start";
import { OpinionTranslationEditor } from "~/features/opinions/opinion-translation-editor";
import { OpinionVersionHeader } from "~/features/opinions/opinion-version-header";
import { OpinionView } from "~/features/opinions/opinion-view";
import { CASE_STATUS_LABEL_KEYS } from "~/features/cases/case-lifecycle";
import { caseOpenForFollowUp, canDraftOpinion, canManageDelivery, canReadOpinion, canTranslateOpinion, isConsultantOnCase, isTreatingSide } from "~/features/opinions/opinion-access";
import { opinionChanges } from "~/features/opinions/opinion-changes";
import { SECTIONS } from "~/features/opinions/opinion-content";
import { deliveryProblems, signingProblems } from "~/features/opinions/opinion-rules";
import { boardSummaries, caseQuestions, getOutcome, listOpinionVersions } from "~/features/opinions/opinion-store.server";
import { useDraftPresence } from "~/features/opinions/use-draft-presence";
import { auditCase, requireCase } from "~/features/cases/case-workflow.server";
import { getDb } from "~/platform/db.server";
import { runOpinionIntent } from "~/features/opinions/opinion-intents.server";
import { requestMeta } from "~/platform/request-meta.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId);
  const db = getDb();
  const [versions, questions, caseRow] = await Promise.all([
    listOpinionVersions(db, facts.id),
    caseQuestions(db, facts.id),
    db.case.findUniqueOrThrow({ where: { id: facts.id }, select: { code: true, cancerType: true, createdById: true, institution: { select: { nameEn: true, nameZh: true } } } }),
  ]);
  const readable = versions.filter((v) => canReadOpinion(user, facts, v));
  await auditCase(db, user, "opinion.view", facts.id, requestMeta(request, context), { opinionIds: readable.map((v) => v.id) });
  const current = readable[readable.length - 1] ?? null;
  const peopleIds = new Set<string>();
  for (const v of readable) {
    for (const s of v.sections) if (s.updatedById) peopleIds.add(s.updatedById);
    for (const name of SECTIONS) if (v.content[name].translatedById) peopleIds.add(v.content[name].translatedById!);
    for (const f of v.followUps) [f.askedById, f.answeredById ?? ""].forEach((id) => id && peopleIds.add(id));
  }
  const people = await db.user.findMany({ where: { id: { in: [...peopleIds] } }, select: { id: true, displayName: true } });
  const manage = canManageDelivery(user, facts);
  const treating = isTreatingSide(user, facts);
  return {
    user: { id: user.id, timeZone: user.timeZone },
    caseInfo: { id: facts.id, code: caseRow.code, status: facts.status, cancerType: caseRow.cancerType, institution: caseRow.institution },
    questions,
    names: Object.fromEntries(people.map((p) => [p.id, p.displayName])) as Record<string, string>,
    versions: readable.map((v, i) => ({
      id: v.id,
      version: v.version,
      status: v.status,
      origin: v.origin,
      amendmentReason: v.amendmentReason,
      previousVersion: readable[i - 1]?.version ?? null,
      changes: v.previousId && readable[i - 1] ? opinionChanges(readable[i - 1].content, v.content) : [],
      englishOnly: v.englishOnly,
      content: v.content,
      sectionVersions: v.sectionVersions,
      contentHash: v.contentHash,
      signedBy: v.signedBy,
      signedAt: v.signedAt,
      deliveredAt: v.deliveredAt,
      recipients: v.recipients.map((r) => ({ name: r.user.displayName, userId: r.userId, acknowledgedAt: r.acknowledgedAt })),
      followUps: v.followUps,
    })),
    currentId: current?.id ?? null,
    may: {
      draft: canDraftOpinion(user, facts),
      translate: canTranslateOpinion(user, facts),
      manage,
      answer: isConsultantOnCase(user, facts) && caseOpenForFollowUp(facts),
      ask: treating && caseOpenForFollowUp(facts),
      acknowledge: treating && caseOpenForFollowUp(facts) && !!current?.recipients.some((r) => r.userId === user.id && !r.acknowledgedAt) && current.status === "DELIVERED",
      archive: manage && (facts.status === "DELIVERED" || facts.status === "ACKNOWLEDGED") && current?.status !== "DRAFT",
    },
    hasBoardSummary: canDraftOpinion(user, facts) && versions.length === 0 ? (await boardSummaries(db, facts.id)).length > 0 : false,
    signing: current?.status === "DRAFT" ? signingProblems(current.content, questions) : null,
    delivery: current?.status === "SIGNED" && manage ? deliveryProblems(current.content, { englishOnly: current.englishOnly }) : null,
    recipientChoices:
      current?.status === "SIGNED" && manage
        ? await db.user.findMany({ where: { institutionId: facts.institutionId, role: "TREATING_PHYSICIAN", active: true }, select: { id: true, displayName: true, email: true }, orderBy: { displayName: "asc" } })
        : [],
    defaultRecipientId: caseRow.createdById,
    outcome: treating || manage ? await getOutcome(db, facts.id) : null,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const result = await runOpinionIntent(getDb(), user, facts, intent, form, requestMeta(request, context));
  if (result.ok && (intent === "start" || intent === "amend" || intent === "sign" || intent === "deliver" || intent === "archive")) throw redirect(`/cases/${facts.id}/opinion`);
  if (result.ok) return { ok: true, intent, section: form.get("section") as string | null, formError: null };
  return data({ ok: false, intent, section: form.get("section") as string | null, formError: result.formError ?? null, fieldErrors: result.fieldErrors, conflict: result.conflict }, { status: result.status });
}

export default function OpinionPage() {
  const loaded = useLoaderData<typeof loader>();
  const { caseInfo, versions, currentId, may, questions, names, user } = loaded;
  const { t, i18n } = useTranslation();
  const current = versions.find((v) => v.id === currentId) ?? null;
  const delivered = [...versions].reverse().find((v) => v.deliveredAt) ?? null;
  const followUps = versions.flatMap((v) => v.followUps.map((f) => ({ ...f, opinionId: v.id })));
  const result = useActionData<typeof action>();
  const signProblems = (result?.intent === "sign" && "fieldErrors" in result && result.fieldErrors) || {};
  const draft = current?.status === "DRAFT" && (may.draft || may.translate) ? current : null;
  const presence = useDraftPresence(draft?.id ?? null, user.id);
  const zh = i18n.language === "zh-CN";
  const earlier = versions.filter((v) => v.id !== currentId).reverse();

  return (
    <article aria-labelledby="opinion-title" className="opinion-page">
      <header className="page-heading">
        <p className="muted small">
          <Link to={`/cases/${caseInfo.id}`}>{caseInfo.code}</Link> · {zh ? caseInfo.institution.nameZh : caseInfo.institution.nameEn} · {t(CASE_STATUS_LABEL_KEYS[caseInfo.status])}
        </p>
        <h1 id="opinion-title">{t("opinions:page.title", { code: caseInfo.code })}</h1>
      </header>

      {!current && <OpinionStart may={may.draft} hasBoardSummary={loaded.hasBoardSummary} />}

      {current && <OpinionVersionHeader version={current} timeZone={user.timeZone} caseId={caseInfo.id} />}

      {draft && (
        <>
          {presence.editors.length > 0 && (
            <p className="presence" role="status">
              {t("opinions:presence.here", { names: [...new Set(presence.editors.map((e) => e.name))].join(", ") })}
            </p>
          )}
          <div className="opinion-draft">
            <div>
              {SECTIONS.map((name) => (
                <div key={name}>
                  {may.draft ? (
                    <OpinionSectionEditor
                      opinionId={draft.id}
                      name={name}
                      body={draft.content[name].en}
                      version={draft.sectionVersions[name]}
                      questions={questions}
                      problems={signProblems}
                      editors={presence.editors}
                      savedByOther={presence.savedByOthers[name]}
                      onEditing={presence.setEditing}
                    />
                  ) : null}
                  {may.translate && (
                    <OpinionTranslationEditor
                      opinionId={draft.id}
                      name={name}
                      section={draft.content[name]}
                      version={draft.sectionVersions[name]}
                      translatorName={draft.content[name].translatedById ? (names[draft.content[name].translatedById!] ?? null) : null}
                      timeZone={user.timeZone}
                      onEditing={presence.setEditing}
                    />
                  )}
                </div>
              ))}
            </div>
            <aside>
              <GlossaryLookup />
              {may.draft && <OpinionSignForm opinionId={draft.id} problems={loaded.signing ?? {}} sectionVersions={draft.sectionVersions} />}
            </aside>
          </div>
        </>
      )}

      {current && !draft && current.status !== "DRAFT" && <OpinionView content={current.content} questions={questions} englishOnly={current.englishOnly} />}
      {current && !draft && current.status === "DRAFT" && <p className="muted">{t("opinions:page.draftInProgress")}</p>}

      {current && current.status === "SIGNED" && may.manage && (
        <OpinionDelivery opinionId={current.id} englishOnly={current.englishOnly} problems={loaded.delivery ?? {}} choices={loaded.recipientChoices} defaultRecipientId={loaded.defaultRecipientId} />
      )}

      {delivered && (
        <OpinionFollowUps
          opinionId={delivered.id}
          followUps={followUps}
          names={names}
          timeZone={user.timeZone}
          mayAsk={may.ask}
          mayAnswer={may.answer}
          mayAcknowledge={may.acknowledge}
        />
      )}

      {(may.ask || loaded.outcome) && delivered && <OpinionOutcomeForm outcome={loaded.outcome} editable={may.ask} timeZone={user.timeZone} />}

      {((may.draft && (current?.status === "SIGNED" || current?.status === "DELIVERED")) || may.archive) && (
        <section aria-labelledby="opinion-actions" className="opinion-actions">
          <h2 id="opinion-actions">{t("opinions:page.actions")}</h2>
          {may.draft && (current?.status === "SIGNED" || current?.status === "DELIVERED") && <OpinionAmendForm />}
          {may.archive && <OpinionArchiveForm />}
        </section>
      )}

      {earlier.length > 0 && (
        <section aria-labelledby="earlier-versions">
          <h2 id="earlier-versions">{t("opinions:page.earlierVersions")}</h2>
          {earlier.map((v) => (
            <details key={v.id}>
              <summary>{t("opinions:page.versionN", { n: v.version })}</summary>
              <OpinionVersionHeader version={v} timeZone={user.timeZone} caseId={caseInfo.id} />
              <OpinionView content={v.content} questions={questions} englishOnly={v.englishOnly} />
            </details>
          ))}
        </section>
      )}
    </article>
  );
}
