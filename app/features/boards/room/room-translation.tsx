/**
 * Translating a message, a vote or a summary in the live room: the form opens beside the text and stays open, with what
 * was typed, until the room shows the translation. A translation the server refused for lacking a glossary term's
 * rendering lists those terms, each with its "accept anyway" box.
 */
import { createContext, useContext, useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { ROOM_OPTION_TRANSLATION_MAX, type BoardCommand, type GlossaryRefusal } from "~/features/boards/room/board-contracts";
import { otherLanguage, TEXT_LANGUAGE_LABEL_KEYS, translationText, type TextLanguage } from "~/features/translation/translated-text";

type Props = {
  eventSeq: number;
  originalLanguage: TextLanguage;
  /** What is translated, for the button's name: "the message of Dr. Miller", "the vote", "the summary". */
  subject: string;
  /** The translation the room shows now, if any: the form starts from it. */
  current: { text: string; options?: string[] } | null;
  /** A vote's options in the original, one field each. */
  options?: string[];
  send: (command: BoardCommand) => void;
};

/** The room's last glossary refusal of a translation (`useBoardRoom`'s `glossaryRefusal`). */
export const RoomGlossaryRefusal = createContext<GlossaryRefusal | null>(null);

export function RoomTranslation({ eventSeq, originalLanguage, subject, current, options, send }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const target = otherLanguage(originalLanguage);
  const language = t(TEXT_LANGUAGE_LABEL_KEYS[target]);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(current?.text ?? "");
  const [optionTexts, setOptionTexts] = useState<string[]>(() => options?.map((_, i) => current?.options?.[i] ?? "") ?? []);
  const [errors, setErrors] = useState<{ text?: string; options: (string | undefined)[] }>({ options: [] });
  const [sent, setSent] = useState<string | null>(null);
  const refusal = useContext(RoomGlossaryRefusal);
  const mismatches = refusal?.eventSeq === eventSeq ? refusal.terms : [];
  const [accepted, setAccepted] = useState<string[]>([]);

  // Closes once the room shows what was sent; a refusal (shown by the room) leaves the form as it was typed.
  useEffect(() => {
    if (sent !== null && current?.text === sent) {
      setOpen(false);
      setSent(null);
    }
  }, [current?.text, sent]);

  const submit = () => {
    const parsedText = translationText().safeParse(text);
    const parsedOptions = optionTexts.map((option) => translationText(ROOM_OPTION_TRANSLATION_MAX).safeParse(option));
    setErrors({
      text: parsedText.success ? undefined : parsedText.error.issues[0].message,
      options: parsedOptions.map((p) => (p.success ? undefined : p.error.issues[0].message)),
    });
    if (!parsedText.success || parsedOptions.some((p) => !p.success)) return;
    const translatedOptions = parsedOptions.map((p) => (p.success ? p.data : ""));
    const acceptTerms = accepted.filter((id) => mismatches.some((term) => term.id === id));
    send({
      type: "translate",
      eventSeq,
      text: parsedText.data,
      ...(options ? { options: translatedOptions } : {}),
      ...(acceptTerms.length > 0 ? { acceptTerms } : {}),
    });
    setSent(parsedText.data);
  };

  if (!open)
    return (
      <button
        type="button"
        className="button-link"
        aria-label={t(current ? "room:translate.editNamed" : "room:translate.openNamed", { language, subject })}
        onClick={() => {
          setText(current?.text ?? "");
          setOptionTexts(options?.map((_, i) => current?.options?.[i] ?? "") ?? []);
          setOpen(true);
        }}
      >
        {t(current ? "common:translation.edit" : "common:translation.add", { language })}
      </button>
    );
  return (
    <form
      className="room-translation"
      aria-label={t("room:translate.formLabel", { language, subject })}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-text`}>{t(options ? "room:translate.questionLabel" : "common:translation.textLabel", { language })}</label>
        <textarea
          id={`${id}-text`}
          lang={target}
          rows={options ? 1 : 3}
          value={text}
          aria-invalid={errors.text ? true : undefined}
          aria-describedby={errors.text ? `${id}-text-error` : undefined}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        {errors.text && (
          <p className="field-errors" id={`${id}-text-error`}>
            {t(errors.text)}
          </p>
        )}
      </div>
      {options?.map((option, index) => (
        <div className="field" key={index}>
          <label htmlFor={`${id}-option-${index}`}>{t("room:translate.optionLabel", { language, option })}</label>
          <input
            id={`${id}-option-${index}`}
            lang={target}
            value={optionTexts[index] ?? ""}
            aria-invalid={errors.options[index] ? true : undefined}
            aria-describedby={errors.options[index] ? `${id}-option-${index}-error` : undefined}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setOptionTexts((all) => all.map((o, i) => (i === index ? value : o)));
            }}
          />
          {errors.options[index] && (
            <p className="field-errors" id={`${id}-option-${index}-error`}>
              {t(errors.options[index])}
            </p>
          )}
        </div>
      ))}
      {mismatches.length > 0 && (
        <fieldset className="glossary-check">
          <legend>{t("cases:translationCheck.title")}</legend>
          <ul className="glossary-check-list">
            {mismatches.map((term) => (
              <li key={term.id}>
                {t("cases:translationCheck.expected", { term: term.term, rendering: term.rendering })}{" "}
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={accepted.includes(term.id)}
                    onChange={(e) => {
                      const checked = e.currentTarget.checked;
                      setAccepted((all) => (checked ? [...all, term.id] : all.filter((id) => id !== term.id)));
                    }}
                  />{" "}
                  {t("cases:translationCheck.acceptAnyway", { term: term.term })}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      <div className="inline-form">
        <button type="submit">{t("common:translation.save", { language })}</button>
        <button type="button" className="button-secondary" onClick={() => setOpen(false)}>
          {t("room:translate.cancel")}
        </button>
      </div>
    </form>
  );
}
