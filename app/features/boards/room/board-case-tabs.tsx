/** The right-hand side of the live room: the case in focus as tabs (discussion, votes, the board's summary, the case itself). */
import { useId, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { BoardLog } from "~/features/boards/room/board-log";
import type { BoardCommand } from "~/features/boards/room/board-contracts";
import { formatDateTime } from "~/ui/format";
import type { ViewerSeries } from "~/features/imaging/viewer/workspace-state";
import { CaseSummary, type PacketTranslating } from "~/features/cases/case-summary";
import { GlossaryLookup } from "~/features/glossary/glossary-lookup";
import { KeyImageList, type KeyImageItem, type SlideKeyRegionItem } from "~/features/imaging/key-images/key-image-list";
import { isTextLanguage, readerLanguage, readingFor, translatedText, type TextLanguage } from "~/features/translation/translated-text";
import { OriginalDisclosure, TranslatedByNote, TranslatedTextView, UntranslatedBadge } from "~/features/translation/translated-text-view";
import type { Poll } from "./board-log";
import { RoomTranslation } from "./room-translation";

type Narrative = {
  key: string;
  originalLanguage: string;
  originalText: string;
  translationText: string | null;
  translatedBy: string | null;
  translatedAt: Date | string | null;
};
type AgendaCase = { id: string; caseId: string; caseCode: string };
/** An agenda item as the room page has it: with the case itself for those who may read it, without for an interpreter. */
export type BoardItem = AgendaCase &
  (
    | {
        caseShown: true;
        detail: Parameters<typeof CaseSummary>[0]["detail"] & { narratives: Narrative[] };
        icd10: Parameters<typeof CaseSummary>[0]["icd10"];
        keyImages: KeyImageItem[];
        slideRegions: SlideKeyRegionItem[];
        series: ViewerSeries[];
      }
    | { caseShown: false }
  );

type Props = {
  item: BoardItem;
  me: { id: string; role: string; timeZone: string };
  isChair: boolean;
  /** A member of the board votes; an observing coordinator does not. */
  mayVote: boolean;
  /** Members and the co-chair write in the discussion; an observer reads it. */
  maySpeak: boolean;
  /** Whoever speaks, and the board's interpreters, translate what is written. */
  mayTranslate: boolean;
  live: boolean;
  log: BoardLog;
  send: (command: BoardCommand) => void;
};

const TABS = ["chat", "polls", "summary", "case"] as const;
type Tab = (typeof TABS)[number];
const TAB_LABELS: Record<Tab, string> = { chat: "room:chat.title", polls: "room:polls.title", summary: "room:summary.title", case: "room:tabs.case" };

/** The case in focus as ARIA tabs: arrow keys, Home and End move between them; each panel keeps what was typed while another is shown. */
export function BoardCaseTabs({ item, me, isChair, mayVote, maySpeak, mayTranslate, live, log, send }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const tabs: readonly Tab[] = item.caseShown ? TABS : TABS.filter((name) => name !== "case");
  const [tab, setTab] = useState<Tab>("chat");
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ chat: null, polls: null, summary: null, case: null });
  const openPolls = log.polls.filter((p) => p.agendaItemId === item.id && p.open).length;

  const select = (next: Tab) => {
    setTab(next);
    tabRefs.current[next]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = tabs.indexOf(tab);
    const moves: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    select(tabs[(moves[event.key] + tabs.length) % tabs.length]);
  };

  return (
    <div className="board-tabs">
      <div role="tablist" aria-label={t("room:tabs.label", { code: item.caseCode })} onKeyDown={onKeyDown}>
        {tabs.map((name) => (
          <button
            key={name}
            ref={(el) => {
              tabRefs.current[name] = el;
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`${id}-panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
          >
            {t(TAB_LABELS[name])}
            {name === "polls" && openPolls > 0 && <span className="badge">{openPolls}</span>}
          </button>
        ))}
      </div>
      {tabs.map((name) => (
        <div
          key={name}
          role="tabpanel"
          id={`${id}-panel-${name}`}
          aria-labelledby={`${id}-tab-${name}`}
          hidden={tab !== name}
          tabIndex={0}
          className="board-tab-panel"
        >
          {name === "chat" && <ChatPanel item={item} me={me} maySpeak={maySpeak} mayTranslate={mayTranslate} live={live} log={log} send={send} />}
          {name === "polls" && (
            <PollsPanel item={item} me={me} isChair={isChair} mayVote={mayVote} mayTranslate={mayTranslate} live={live} log={log} send={send} />
          )}
          {name === "summary" && <SummaryPanel item={item} me={me} isChair={isChair} mayTranslate={mayTranslate} live={live} log={log} send={send} />}
          {name === "case" && item.caseShown && <CasePanel item={item} me={me} />}
        </div>
      ))}
    </div>
  );
}

function ChatPanel({ item, me, maySpeak, mayTranslate, live, log, send }: Omit<Props, "isChair" | "mayVote">) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [language, setLanguage] = useState(readerLanguage(i18n.language));
  const [message, setMessage] = useState("");
  const chat = log.chat[item.id] ?? [];
  return (
    <section className="board-chat">
      <ol aria-label={t("room:chat.messages")}>
        {chat.map((line) => (
          <li key={line.seq}>
            <span className="muted small">
              {line.actorName} · {formatDateTime(line.createdAt, i18n.language, me.timeZone)} · {t(`room:chat.language.${line.language}`)}
            </span>
            <TranslatedTextView text={{ original: line.body, originalLanguage: line.language, translation: line.translation }} timeZone={me.timeZone} />
            {live && mayTranslate && (
              <RoomTranslation
                eventSeq={line.seq}
                originalLanguage={line.language}
                subject={t("room:translate.messageOf", { name: line.actorName })}
                current={line.translation}
                send={send}
              />
            )}
          </li>
        ))}
      </ol>
      {live && maySpeak && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!message.trim()) return;
            send({ type: "chat", agendaItemId: item.id, language, body: message.trim() });
            setMessage("");
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-language`}>{t("room:chat.languageLabel")}</label>
            <select
              id={`${id}-language`}
              value={language}
              onChange={(e) => setLanguage(isTextLanguage(e.currentTarget.value) ? e.currentTarget.value : language)}
            >
              <option value="en">{t("room:chat.language.en")}</option>
              <option value="zh-CN">{t("room:chat.language.zh-CN")}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-message`}>{t("room:chat.message")}</label>
            <textarea id={`${id}-message`} rows={2} maxLength={4000} value={message} onChange={(e) => setMessage(e.currentTarget.value)} />
          </div>
          <button type="submit">{t("room:chat.send")}</button>
        </form>
      )}
      <GlossaryLookup onInsert={(term) => setMessage((m) => (m ? `${m} ${term}` : term))} />
    </section>
  );
}

/** A vote's question and options in the reader's language: translated (the original a click away) or marked untranslated. */
function usePollReading(poll: Poll) {
  const { i18n } = useTranslation();
  const reader = readerLanguage(i18n.language);
  const reading = readingFor({ originalLanguage: poll.language, translation: poll.translation }, reader);
  const translated = reading === "translation" && poll.translation !== null;
  return {
    reader,
    reading,
    question: translated ? poll.translation!.text : poll.question,
    options: translated ? poll.translation!.options : poll.options,
    shownLanguage: (translated ? reader : poll.language) as TextLanguage,
  };
}

function PollsPanel({ item, me, isChair, mayVote, mayTranslate, live, log, send }: Omit<Props, "maySpeak">) {
  const { t } = useTranslation();
  const id = useId();
  const [question, setQuestion] = useState("");
  const [options, setOptions] = useState("");
  const polls = log.polls.filter((p) => p.agendaItemId === item.id);
  return (
    <section className="board-polls">
      {polls.length === 0 && <p className="muted">{t("room:polls.none")}</p>}
      {polls.map((poll) => (
        <PollView key={poll.seq} poll={poll} me={me} isChair={isChair} mayVote={mayVote} mayTranslate={mayTranslate} live={live} send={send} />
      ))}
      {isChair && live && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const choices = options
              .split(/[\n,，]/)
              .map((o) => o.trim())
              .filter(Boolean);
            if (!question.trim() || choices.length < 2) return;
            send({ type: "poll.open", agendaItemId: item.id, question: question.trim(), options: choices.slice(0, 6) });
            setQuestion("");
            setOptions("");
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-question`}>{t("room:polls.question")}</label>
            <input id={`${id}-question`} value={question} maxLength={500} onChange={(e) => setQuestion(e.currentTarget.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-options`}>{t("room:polls.options")}</label>
            <input id={`${id}-options`} value={options} placeholder={t("room:polls.optionsPlaceholder")} onChange={(e) => setOptions(e.currentTarget.value)} />
          </div>
          <button type="submit">{t("room:polls.open")}</button>
        </form>
      )}
    </section>
  );
}

function PollView({
  poll,
  me,
  isChair,
  mayVote,
  mayTranslate,
  live,
  send,
}: Pick<Props, "me" | "isChair" | "mayVote" | "mayTranslate" | "live" | "send"> & { poll: Poll }) {
  const { t } = useTranslation();
  const shown = usePollReading(poll);
  return (
    <fieldset>
      <legend>
        <span lang={shown.shownLanguage}>{shown.question}</span> {!poll.open && <span className="muted">({t("room:polls.closed")})</span>}
        {shown.reading === "untranslated" && <UntranslatedBadge language={poll.language} />}
      </legend>
      <ul>
        {shown.options.map((option, index) => {
          const mine = poll.votes[me.id] === index;
          return (
            <li key={index} className={mine ? "your-choice" : undefined} lang={shown.shownLanguage}>
              {live && poll.open && mayVote ? (
                <button
                  type="button"
                  className={mine ? undefined : "button-secondary"}
                  aria-pressed={mine}
                  aria-label={t("room:polls.voteFor", { option })}
                  onClick={() => send({ type: "poll.vote", pollSeq: poll.seq, option: index })}
                >
                  {option}
                </button>
              ) : (
                option
              )}{" "}
              <span data-testid={`tally-${poll.seq}-${index}`}>{t("room:polls.votes", { count: poll.tally[index] })}</span>
              {mine && <strong> · {t("room:polls.yourChoice")}</strong>}
            </li>
          );
        })}
      </ul>
      {shown.reading === "translation" && poll.translation && (
        <>
          <TranslatedByNote translation={poll.translation} language={shown.reader} timeZone={me.timeZone} />
          <OriginalDisclosure language={poll.language}>
            <p>{poll.question}</p>
            <ul>
              {poll.options.map((option, index) => (
                <li key={index}>{option}</li>
              ))}
            </ul>
          </OriginalDisclosure>
        </>
      )}
      {live && poll.open && mayVote && poll.votes[me.id] !== undefined && <p className="muted small">{t("room:polls.changeHint")}</p>}
      {isChair && live && poll.open && (
        <button type="button" className="button-secondary" onClick={() => send({ type: "poll.close", pollSeq: poll.seq })}>
          {t("room:polls.close")}
        </button>
      )}
      {live && mayTranslate && (
        <RoomTranslation
          eventSeq={poll.seq}
          originalLanguage={poll.language}
          subject={t("room:translate.vote", { question: poll.question })}
          current={poll.translation}
          options={poll.options}
          send={send}
        />
      )}
    </fieldset>
  );
}

function SummaryPanel({ item, me, isChair, mayTranslate, live, log, send }: Omit<Props, "mayVote" | "maySpeak">) {
  const { t } = useTranslation();
  const id = useId();
  const saved = log.summaries[item.id];
  const [summary, setSummary] = useState<string | null>(null);
  return (
    <section className="board-summary">
      {isChair && live ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            send({ type: "summary", agendaItemId: item.id, text: summary ?? saved?.text ?? "" });
            setSummary(null);
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-summary-text`}>{t("room:summary.label")}</label>
            <textarea
              id={`${id}-summary-text`}
              rows={6}
              maxLength={20_000}
              value={summary ?? saved?.text ?? ""}
              onChange={(e) => setSummary(e.currentTarget.value)}
            />
          </div>
          <button type="submit">{t("room:summary.save")}</button>
        </form>
      ) : saved?.text ? (
        <TranslatedTextView text={{ original: saved.text, originalLanguage: saved.language, translation: saved.translation }} timeZone={me.timeZone} />
      ) : (
        <p className="muted">{t("room:summary.none")}</p>
      )}
      {live && mayTranslate && saved?.text && (
        <RoomTranslation
          key={saved.seq}
          eventSeq={saved.seq}
          originalLanguage={saved.language}
          subject={t("room:translate.summary")}
          current={saved.translation}
          send={send}
        />
      )}
    </section>
  );
}

/** The room shows the packet's texts as translated on the case page, where they are translated. */
const READ_ONLY_PACKET: PacketTranslating = { mayTranslate: false, lastResult: () => undefined };

/** The case itself: its summary, the clinical text in the reader's language with the original a click away, and its key images. */
function CasePanel({ item, me }: Pick<Props, "me"> & { item: Extract<BoardItem, { caseShown: true }> }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section className="board-case">
      <CaseSummary detail={item.detail} icd10={item.icd10} timeZone={me.timeZone} translating={READ_ONLY_PACKET} />
      <h3 id={`${id}-narratives`}>{t("room:case.narratives")}</h3>
      {item.detail.narratives.map((n) => (
        <TranslatedTextView
          key={n.key}
          text={translatedText(
            n.originalText,
            n.translationText ? { text: n.translationText, byName: n.translatedBy, at: n.translatedAt } : null,
            n.originalLanguage,
          )}
          timeZone={me.timeZone}
        />
      ))}
      <KeyImageList caseId={item.caseId} keyImages={item.keyImages} slideRegions={item.slideRegions} timeZone={me.timeZone} />
    </section>
  );
}
