/** /cases/<id>/opinion: the opinion page (drafting, translation, signing, delivery, reading, follow-ups, amendments). */
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
import { SECTIONS } from "~/features/opinions/opinion-content";
import { useDraftPresence } from "~/features/opinions/use-draft-presence";
import { useUnsavedSections } from "~/features/opinions/use-unsaved-sections";
import { requireCase } from "~/features/cases/case-access.server";
import { loadOpinionPage } from "~/features/opinions/opinion-page.server";
import { runOpinionIntent } from "~/features/opinions/opinion-intents.server";
import { readForm } from "~/platform/request-body.server";
import { TextTranslationAids } from "~/features/translation/translatable-text";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return loadOpinionPage(await requireCase(request, context, params.caseId));
}

/** After these the page loads afresh: a new version, a signature, a delivery or the archived case. */
const REDIRECTING_INTENTS = new Set(["start", "amend", "sign", "deliver", "archive"]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const caller = await requireCase(request, context, params.caseId);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const { result, ...step } = await runOpinionIntent(caller, intent, form);
  if (step.ok && REDIRECTING_INTENTS.has(intent)) throw redirect(`/cases/${caller.facts.id}/opinion`);
  const section = form.get("section") as string | null;
  if (step.ok) return { ok: true, intent, section, formError: null, result };
  return data(
    { ok: false, intent, section, formError: step.formError ?? null, fieldErrors: step.fieldErrors, conflict: step.conflict, result },
    { status: step.status },
  );
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
  const unsavedSections = useUnsavedSections();
  const zh = i18n.language === "zh-CN";
  const earlier = versions.filter((v) => v.id !== currentId).reverse();

  return (
    <TextTranslationAids.Provider value={loaded.textTranslationAids}>
      <article aria-labelledby="opinion-title" className="opinion-page">
        <header className="page-heading">
          <p className="muted small">
            <Link to={`/cases/${caseInfo.id}`}>{caseInfo.code}</Link> · {zh ? caseInfo.institution.nameZh : caseInfo.institution.nameEn} ·{" "}
            {t(CASE_STATUS_LABEL_KEYS[caseInfo.status])}
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
                        onUnsaved={unsavedSections.report}
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
                {may.draft && (
                  <OpinionSignForm
                    opinionId={draft.id}
                    problems={loaded.signing ?? {}}
                    unsaved={unsavedSections.unsaved}
                    sectionVersions={draft.sectionVersions}
                    needsCode={loaded.signNeedsCode}
                  />
                )}
              </aside>
            </div>
          </>
        )}

        {current && !draft && current.status !== "DRAFT" && <OpinionView content={current.content} questions={questions} englishOnly={current.englishOnly} />}
        {current && !draft && current.status === "DRAFT" && <p className="muted">{t("opinions:page.draftInProgress")}</p>}

        {current && current.status === "SIGNED" && may.manageDelivery && (
          <OpinionDelivery
            opinionId={current.id}
            englishOnly={current.englishOnly}
            problems={loaded.delivery ?? {}}
            choices={loaded.recipientChoices}
            defaultRecipientId={loaded.defaultRecipientId}
          />
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
            mayTranslate={may.translateFollowUps}
          />
        )}

        {(may.ask || loaded.outcome) && delivered && <OpinionOutcomeForm outcome={loaded.outcome} editable={may.ask} timeZone={user.timeZone} />}

        {(may.amend || may.archive) && (
          <section aria-labelledby="opinion-actions" className="opinion-actions">
            <h2 id="opinion-actions">{t("opinions:page.actions")}</h2>
            {may.amend && <OpinionAmendForm />}
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
    </TextTranslationAids.Provider>
  );
}
