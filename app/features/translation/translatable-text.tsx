/**
 * A text of a case that crosses sides, in the reader's language, with the form to translate it for those who may: the
 * glossary check as it is typed and the memory's suggestion, as a narrative's editor has them, from the page's
 * `TextTranslationAids`.
 */
import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { createContext, useContext, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { missingRenderings } from "~/features/glossary/glossary-check";
import { GlossaryCheck, MemorySuggestionNote, type TranslationAid } from "~/features/glossary/translation-aids";
import { FieldErrors, FormErrors } from "~/ui/field-errors";
import { otherLanguage, subjectKey, TEXT_LANGUAGE_LABEL_KEYS, TextTranslationForm, type TextSubject, type TranslatedText } from "./translated-text";
import { TranslatedTextView } from "./translated-text-view";

type Props = {
  subject: TextSubject;
  text: TranslatedText;
  timeZone: string;
  mayTranslate: boolean;
  /** conform's reply when this text's form was the one posted. */
  lastResult: SubmissionResult<string[]> | undefined;
  /** How the text is shown, where a coded value carries it (the packet's short texts); else `TranslatedTextView`. */
  children?: ReactNode;
};

/** The translation aids of the page's texts the reader may translate, keyed by `subjectKey`. */
export const TextTranslationAids = createContext<Record<string, TranslationAid>>({});

export function TranslatableText({ subject, text, timeZone, mayTranslate, lastResult, children }: Props) {
  return (
    <>
      {children ?? <TranslatedTextView text={text} timeZone={timeZone} />}
      {mayTranslate && <TextTranslationEditor subject={subject} text={text} lastResult={lastResult} timeZone={timeZone} />}
    </>
  );
}

function TextTranslationEditor({ subject, text, lastResult, timeZone }: Pick<Props, "subject" | "text" | "lastResult" | "timeZone">) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const aid = useContext(TextTranslationAids)[subjectKey(subject)];
  const target = otherLanguage(text.originalLanguage);
  const language = t(TEXT_LANGUAGE_LABEL_KEYS[target]);
  const suggestion = text.translation ? null : (aid?.suggestion ?? null);
  const startText = text.translation?.text ?? suggestion?.text ?? "";
  const submittedText = lastResult?.initialValue?.text;
  const [draft, setDraft] = useState(typeof submittedText === "string" ? submittedText : startText);
  const [suggestionAccepted, setSuggestionAccepted] = useState(false);
  const missing = aid && draft.trim() ? missingRenderings(aid.terms, draft, target) : [];
  const [form, fields] = useForm<z.input<typeof TextTranslationForm>>({
    id: `translate-${subject.type}-${subject.id}`,
    lastResult,
    constraint: getZodConstraint(TextTranslationForm),
    defaultValue: { text: startText },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TextTranslationForm }),
  });
  return (
    <details className="translation-editor" open={Boolean(form.errors?.length || fields.text.errors?.length)}>
      <summary>{t(text.translation ? "common:translation.edit" : "common:translation.add", { language })}</summary>
      <Form method="post" preventScrollReset {...getFormProps(form)}>
        <input type="hidden" name="intent" value="translateText" />
        <input type="hidden" name="key" value={subjectKey(subject)} />
        <input type="hidden" name={fields.subjectType.name} value={subject.type} />
        <input type="hidden" name={fields.subjectId.name} value={subject.id} />
        <div className="field">
          <label htmlFor={fields.text.id}>{t("common:translation.textLabel", { language })}</label>
          <textarea {...getTextareaProps(fields.text)} lang={target} rows={3} onInput={(event) => setDraft(event.currentTarget.value)} />
          <FieldErrors field={fields.text} />
        </div>
        {suggestion && <MemorySuggestionNote suggestion={suggestion} draft={draft} accepted={suggestionAccepted} onAccept={setSuggestionAccepted} />}
        {aid && (
          <GlossaryCheck
            terms={aid.terms}
            translated={draft.trim() !== ""}
            missing={missing}
            accepted={aid.accepted}
            targetLanguage={target}
            timeZone={timeZone}
          />
        )}
        <FormErrors errors={form.errors} />
        <button type="submit" className="button-secondary" disabled={busy}>
          {t("common:translation.save", { language })}
        </button>
      </Form>
    </details>
  );
}
