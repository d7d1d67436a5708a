/** Editing one section of an opinion draft in English, saved under its version; a racing save shows both texts. */
import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { canonicalJson } from "~/platform/canonical-json";
import {
  AGREEMENTS,
  EVIDENCE_LEVELS,
  EVIDENCE_SYSTEMS,
  GUIDELINE_SOURCES,
  INTENTS,
  type CaseQuestion,
  type PlanItem,
  type SectionBody,
  type SectionName,
} from "~/features/opinions/opinion-content";
import type { DraftEditor, DraftSaved } from "~/features/opinions/draft-contracts";
import { AGREEMENT_KEYS, INTENT_KEYS, SECTION_TITLE_KEYS, SectionBodyView } from "./opinion-view";
import { sectionReplyOf, type OpinionActionReply, type SectionConflictView } from "./opinion-forms";
import { FieldErrors, FormErrors } from "~/ui/field-errors";
import { useFocusWhenAdded } from "~/ui/use-focus-when-added";
import { otherLanguage, readerLanguage, readingFor, translatedText } from "~/features/translation/translated-text";
import { OriginalDisclosure, UntranslatedBadge } from "~/features/translation/translated-text-view";

type Errors = Record<string, string[]>;

function Problems({ errors, path }: { errors: Errors; path: string }) {
  return <FieldErrors field={{ errorId: `err-${path}`, errors: errors[path] }} />;
}

/** A labelled field; `original` (the original of a translated label) follows the label, a click away. */
function Field({
  label,
  original,
  path,
  errors,
  children,
}: {
  label: ReactNode;
  original?: ReactNode;
  path: string;
  errors: Errors;
  children: (id: string, describedBy?: string) => ReactNode;
}) {
  const id = useId();
  const has = !!errors[path]?.length;
  return (
    <div className="field" data-path={path}>
      <label htmlFor={id}>{label}</label>
      {original}
      {children(id, has ? `err-${path}` : undefined)}
      <Problems errors={errors} path={path} />
    </div>
  );
}

function TextInput({
  label,
  original,
  path,
  errors,
  value,
  onChange,
  multiline,
}: {
  label: ReactNode;
  original?: ReactNode;
  path: string;
  errors: Errors;
  value: string;
  onChange: (v: string) => void;
  multiline?: boolean;
}) {
  return (
    <Field label={label} original={original} path={path} errors={errors}>
      {(id, describedBy) =>
        multiline ? (
          <textarea
            id={id}
            lang="en"
            rows={3}
            value={value}
            aria-invalid={describedBy ? true : undefined}
            aria-describedby={describedBy}
            onChange={(e) => onChange(e.target.value)}
          />
        ) : (
          <input
            id={id}
            type="text"
            lang="en"
            value={value}
            aria-invalid={describedBy ? true : undefined}
            aria-describedby={describedBy}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </Field>
  );
}

function Choice({
  label,
  path,
  errors,
  value,
  options,
  labels,
  onChange,
}: {
  label: string;
  path: string;
  errors: Errors;
  value: string | undefined;
  options: readonly string[];
  labels?: Record<string, string>;
  onChange: (v: string | undefined) => void;
}) {
  const { t } = useTranslation();
  return (
    <Field label={label} path={path} errors={errors}>
      {(id, describedBy) => (
        <select
          id={id}
          value={value ?? ""}
          aria-invalid={describedBy ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value || undefined)}
        >
          <option value="">{t("cases:form.choose")}</option>
          {options.map((o) => (
            <option key={o} value={o}>
              {labels ? t(labels[o]) : o}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** The "add" button of a list; focus moves to the field at `newRowPath` (the added row's first) once it is drawn. */
function ListControls({ onAdd, addLabel, newRowPath }: { onAdd: () => void; addLabel: string; newRowPath: string }) {
  const button = useRef<HTMLButtonElement>(null);
  const focusWhenAdded = useFocusWhenAdded((path) =>
    button.current?.parentElement?.querySelector(`[data-path="${CSS.escape(path)}"] :is(input, textarea, select)`),
  );
  return (
    <button
      ref={button}
      type="button"
      className="button-secondary"
      onClick={() => {
        focusWhenAdded(newRowPath);
        onAdd();
      }}
    >
      {addLabel}
    </button>
  );
}

function RemoveButton({ onRemove, label }: { onRemove: () => void; label: string }) {
  return (
    <button type="button" className="button-link" onClick={onRemove}>
      {label}
    </button>
  );
}

/** The physician's question as the label of its answer, in the reader's language with the original a click away, or marked untranslated. */
function QuestionInput({
  question,
  ...input
}: { question: CaseQuestion & { translation?: string | null } } & Omit<Parameters<typeof TextInput>[0], "label" | "original">) {
  const { i18n } = useTranslation();
  const text = translatedText(question.text, question.translation ? { text: question.translation, byName: null, at: null } : null);
  const reading = readingFor(text, readerLanguage(i18n.language));
  if (reading === "translation" && text.translation)
    return (
      <TextInput
        {...input}
        label={<span lang={otherLanguage(text.originalLanguage)}>{text.translation.text}</span>}
        original={<OriginalDisclosure language={text.originalLanguage}>{text.original}</OriginalDisclosure>}
      />
    );
  return (
    <TextInput
      {...input}
      label={
        <>
          <span lang={text.originalLanguage}>{text.original}</span> {reading === "untranslated" && <UntranslatedBadge language={text.originalLanguage} />}
        </>
      }
    />
  );
}

const replaceAt = <T,>(list: readonly T[], i: number, value: T) => list.map((item, j) => (j === i ? value : item));
const removeAt = <T,>(list: readonly T[], i: number) => list.filter((_, j) => j !== i);

/** The English body of one section, as form fields bound to `body` (the body of the section `name`). */
function SectionFields({
  name,
  body,
  set,
  errors,
  questions,
}: {
  name: SectionName;
  body: unknown;
  set: (next: SectionBody<SectionName>) => void;
  errors: Errors;
  questions: readonly CaseQuestion[];
}) {
  const { t } = useTranslation();
  switch (name) {
    case "diagnosis": {
      const b = body as SectionBody<"diagnosis">;
      return (
        <>
          {(["diagnosis", "stage"] as const).map((part) => (
            <fieldset key={part}>
              <legend>{t(`opinions:diagnosis.${part}`)}</legend>
              <Choice
                label={t("opinions:editor.agreement")}
                path={`diagnosis.${part}.agreement`}
                errors={errors}
                value={b[part].agreement}
                options={AGREEMENTS}
                labels={AGREEMENT_KEYS}
                onChange={(v) => set({ ...b, [part]: { ...b[part], agreement: v } })}
              />
              <TextInput
                label={t("opinions:editor.comment")}
                path={`diagnosis.${part}.comment`}
                errors={errors}
                value={b[part].comment}
                multiline
                onChange={(v) => set({ ...b, [part]: { ...b[part], comment: v } })}
              />
            </fieldset>
          ))}
          <TextInput
            label={t("opinions:diagnosis.comment")}
            path="diagnosis.comment"
            errors={errors}
            value={b.comment}
            multiline
            onChange={(v) => set({ ...b, comment: v })}
          />
        </>
      );
    }
    case "plan": {
      const b = body as SectionBody<"plan">;
      const setItem = (i: number, item: PlanItem) => set({ ...b, items: replaceAt(b.items, i, item) });
      return (
        <>
          <Problems errors={errors} path="plan.items" />
          {b.items.map((item, i) => (
            <fieldset key={i}>
              <legend>{t("opinions:plan.itemN", { n: i + 1 })}</legend>
              <TextInput
                label={t("opinions:plan.treatment")}
                path={`plan.items[${i}].treatment`}
                errors={errors}
                value={item.treatment}
                onChange={(v) => setItem(i, { ...item, treatment: v })}
              />
              <TextInput
                label={t("opinions:plan.regimen")}
                path={`plan.items[${i}].regimen`}
                errors={errors}
                value={item.regimen}
                onChange={(v) => setItem(i, { ...item, regimen: v })}
              />
              <Choice
                label={t("opinions:plan.intent")}
                path={`plan.items[${i}].intent`}
                errors={errors}
                value={item.intent}
                options={INTENTS}
                labels={INTENT_KEYS}
                onChange={(v) => setItem(i, { ...item, intent: v as PlanItem["intent"] })}
              />
              <Field label={t("opinions:plan.priority")} path={`plan.items[${i}].priority`} errors={errors}>
                {(id, describedBy) => (
                  <input
                    id={id}
                    type="number"
                    min={1}
                    max={20}
                    value={item.priority ?? ""}
                    aria-describedby={describedBy}
                    onChange={(e) => setItem(i, { ...item, priority: e.target.value === "" ? undefined : Number(e.target.value) })}
                  />
                )}
              </Field>
              <Choice
                label={t("opinions:plan.evidenceSystem")}
                path={`plan.items[${i}].evidence`}
                errors={errors}
                value={item.evidence?.system}
                options={EVIDENCE_SYSTEMS}
                onChange={(v) => setItem(i, { ...item, evidence: v ? { system: v as "ESCAT" | "NCCN", level: EVIDENCE_LEVELS[v as "ESCAT"][0] } : undefined })}
              />
              {item.evidence && (
                <Choice
                  label={t("opinions:plan.evidenceLevel")}
                  path={`plan.items[${i}].evidence.level`}
                  errors={errors}
                  value={item.evidence.level}
                  options={EVIDENCE_LEVELS[item.evidence.system]}
                  onChange={(v) => setItem(i, { ...item, evidence: { system: item.evidence!.system, level: v ?? "" } })}
                />
              )}
              <TextInput
                label={t("opinions:plan.rationale")}
                path={`plan.items[${i}].rationale`}
                errors={errors}
                value={item.rationale}
                multiline
                onChange={(v) => setItem(i, { ...item, rationale: v })}
              />
              <RemoveButton label={t("opinions:plan.removeN", { n: i + 1 })} onRemove={() => set({ ...b, items: removeAt(b.items, i) })} />
            </fieldset>
          ))}
          <ListControls
            addLabel={t("opinions:plan.add")}
            newRowPath={`plan.items[${b.items.length}].treatment`}
            onAdd={() => set({ ...b, items: [...b.items, { treatment: "", regimen: "", rationale: "" }] })}
          />
          <TextInput
            label={t("opinions:plan.summary")}
            path="plan.summary"
            errors={errors}
            value={b.summary}
            multiline
            onChange={(v) => set({ ...b, summary: v })}
          />
        </>
      );
    }
    case "workup":
    case "dissent": {
      const b = body as SectionBody<"workup">;
      return (
        <>
          {b.items.map((item, i) => (
            <div key={i} className="list-row">
              <TextInput
                label={t(`opinions:${name}.itemN`, { n: i + 1 })}
                path={`${name}.items[${i}]`}
                errors={errors}
                value={item}
                multiline
                onChange={(v) => set({ items: replaceAt(b.items, i, v) })}
              />
              <RemoveButton label={t("opinions:editor.removeN", { n: i + 1 })} onRemove={() => set({ items: removeAt(b.items, i) })} />
            </div>
          ))}
          <ListControls addLabel={t(`opinions:${name}.add`)} newRowPath={`${name}.items[${b.items.length}]`} onAdd={() => set({ items: [...b.items, ""] })} />
        </>
      );
    }
    case "trials": {
      const b = body as SectionBody<"trials">;
      return (
        <>
          {b.items.map((item, i) => (
            <fieldset key={i}>
              <legend>{t("opinions:trials.itemN", { n: i + 1 })}</legend>
              <TextInput
                label={t("opinions:trials.description")}
                path={`trials.items[${i}]`}
                errors={errors}
                value={item.description}
                multiline
                onChange={(v) => set({ items: replaceAt(b.items, i, { ...item, description: v }) })}
              />
              <TextInput
                label={t("opinions:trials.registryId")}
                path={`trials.items[${i}].registryId`}
                errors={errors}
                value={item.registryId}
                onChange={(v) => set({ items: replaceAt(b.items, i, { ...item, registryId: v }) })}
              />
              <RemoveButton label={t("opinions:editor.removeN", { n: i + 1 })} onRemove={() => set({ items: removeAt(b.items, i) })} />
            </fieldset>
          ))}
          <ListControls
            addLabel={t("opinions:trials.add")}
            newRowPath={`trials.items[${b.items.length}]`}
            onAdd={() => set({ items: [...b.items, { description: "", registryId: "" }] })}
          />
        </>
      );
    }
    case "references": {
      const b = body as SectionBody<"references">;
      return (
        <>
          {b.items.map((item, i) => (
            <fieldset key={i}>
              <legend>{t("opinions:references.itemN", { n: i + 1 })}</legend>
              <Choice
                label={t("opinions:references.source")}
                path={`references.items[${i}].source`}
                errors={errors}
                value={item.source}
                options={GUIDELINE_SOURCES}
                onChange={(v) => set({ items: replaceAt(b.items, i, { ...item, source: (v ?? "NCCN") as typeof item.source }) })}
              />
              <TextInput
                label={t("opinions:references.version")}
                path={`references.items[${i}].version`}
                errors={errors}
                value={item.version}
                onChange={(v) => set({ items: replaceAt(b.items, i, { ...item, version: v }) })}
              />
              <TextInput
                label={t("opinions:references.section")}
                path={`references.items[${i}].section`}
                errors={errors}
                value={item.section}
                onChange={(v) => set({ items: replaceAt(b.items, i, { ...item, section: v }) })}
              />
              <RemoveButton label={t("opinions:editor.removeN", { n: i + 1 })} onRemove={() => set({ items: removeAt(b.items, i) })} />
            </fieldset>
          ))}
          <ListControls
            addLabel={t("opinions:references.add")}
            newRowPath={`references.items[${b.items.length}].source`}
            onAdd={() => set({ items: [...b.items, { source: "NCCN", version: "", section: "" }] })}
          />
        </>
      );
    }
    case "answers": {
      const b = body as SectionBody<"answers">;
      return (
        <>
          {questions.map((q) => {
            const index = b.items.findIndex((a) => a.questionKey === q.key);
            const value = index >= 0 ? b.items[index].answer : "";
            const update = (answer: string) =>
              set({ items: index >= 0 ? replaceAt(b.items, index, { questionKey: q.key, answer }) : [...b.items, { questionKey: q.key, answer }] });
            return <QuestionInput key={q.key} question={q} path={`answers.${q.key}`} errors={errors} value={value} multiline onChange={update} />;
          })}
        </>
      );
    }
  }
}

/**
 * Editing one section of a draft: its own form, saved on its own under the
 * version it was loaded at. While the editor has unsaved changes, a newer
 * save by someone else is announced instead of replacing the form; saving
 * then shows both versions side by side, and the editor decides.
 */
export function OpinionSectionEditor({
  opinionId,
  name,
  body,
  version,
  questions,
  problems,
  editors,
  savedByOther,
  onEditing,
  onUnsaved,
}: {
  opinionId: string;
  name: SectionName;
  body: unknown;
  version: number;
  questions: readonly CaseQuestion[];
  problems: Errors;
  editors: DraftEditor[];
  savedByOther?: DraftSaved;
  onEditing: (section: SectionName | null) => void;
  /** Told whether the section holds edits not saved yet (a save refused as invalid leaves them unsaved). */
  onUnsaved: (section: SectionName, unsaved: boolean) => void;
}) {
  const { t } = useTranslation();
  const fetcher = useFetcher<OpinionActionReply>();
  const [draft, setDraft] = useState<unknown>(body);
  const [dirty, setDirty] = useState(false);
  const [base, setBase] = useState(version);
  const result = sectionReplyOf(fetcher.data, "saveSection", name);
  const [conflict, setConflict] = useState<SectionConflictView>();

  useEffect(() => {
    if (!dirty) {
      setDraft(body);
      setBase(version);
    }
    // Only a new version from the server replaces the form, and only while nothing is unsaved.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version, canonicalJson(body)]);

  useEffect(() => {
    if (fetcher.state !== "idle") return;
    if (result?.ok) setDirty(false);
    setConflict(result?.conflict);
  }, [fetcher.state, result]);

  useEffect(() => {
    onUnsaved(name, dirty);
    return () => onUnsaved(name, false);
  }, [name, dirty, onUnsaved]);

  const others = editors.filter((e) => e.section === name);
  const title = t(SECTION_TITLE_KEYS[name]);
  const errors = { ...problems, ...(result?.fieldErrors ?? {}) };
  const newerElsewhere = dirty && savedByOther && savedByOther.version > base && !conflict;

  const save = (baseVersion: number) =>
    fetcher.submit(
      { intent: "saveSection", kind: "english", opinionId, section: name, baseVersion: String(baseVersion), content: JSON.stringify(draft) },
      { method: "post" },
    );

  return (
    <section
      aria-labelledby={`edit-${name}`}
      className="opinion-section editor"
      onFocus={() => onEditing(name)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) onEditing(null);
      }}
    >
      <h3 id={`edit-${name}`}>{title}</h3>
      {others.length > 0 && (
        <p className="badge presence-badge" role="status">
          {t("opinions:presence.editing", { names: others.map((e) => e.name).join(", ") })}
        </p>
      )}
      {newerElsewhere && (
        <p className="alert alert-info" role="status">
          {t("opinions:conflict.newerSaved", { name: savedByOther!.byName })}
        </p>
      )}
      {conflict && (
        <div className="alert alert-warning conflict" role="alert">
          <p>{t("opinions:conflict.explain", { name: conflict.theirs.byName ?? "—", version: conflict.theirs.version })}</p>
          <div className="side-by-side">
            <div>
              <h4>{t("opinions:conflict.theirs")}</h4>
              <SectionBodyView name={name} body={conflict.theirs.content.en} questions={questions} lang="en" />
            </div>
            <div>
              <h4>{t("opinions:conflict.yours")}</h4>
              <SectionBodyView name={name} body={conflict.yours.en} questions={questions} lang="en" />
            </div>
          </div>
          <p>{t("opinions:conflict.howTo")}</p>
          <div className="button-row">
            <button type="button" className="button-primary" onClick={() => save(conflict.theirs.version)}>
              {t("opinions:conflict.saveMine", { section: title })}
            </button>
            <button
              type="button"
              className="button-secondary"
              onClick={() => {
                setDraft(conflict.theirs.content.en);
                setBase(conflict.theirs.version);
                setDirty(false);
                setConflict(undefined);
              }}
            >
              {t("opinions:conflict.useTheirs")}
            </button>
          </div>
        </div>
      )}
      <fetcher.Form
        method="post"
        onSubmit={(e) => {
          e.preventDefault();
          save(base);
        }}
      >
        <SectionFields
          name={name}
          body={draft}
          errors={errors}
          questions={questions}
          set={(next) => {
            setDraft(next);
            setDirty(true);
          }}
        />
        <FormErrors errors={result?.formError ? [result.formError] : undefined} />
        <div className="button-row">
          <button type="submit" className="button-primary" disabled={fetcher.state !== "idle"}>
            {t("opinions:editor.save", { section: title })}
          </button>
          {dirty ? (
            <span className="muted small">{t("opinions:editor.unsaved")}</span>
          ) : (
            result?.ok && (
              <span className="muted small" role="status">
                {t("opinions:editor.saved")}
              </span>
            )
          )}
        </div>
      </fetcher.Form>
    </section>
  );
}
