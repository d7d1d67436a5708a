/** The right-hand side of the live room: the case in focus as tabs (discussion, votes, the board's summary, the case itself). */
import { useId, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { BoardLog } from "~/features/boards/room/board-log";
import type { BoardCommand } from "~/features/boards/room/board-contracts";
import { formatDateTime } from "~/ui/format";
import type { ViewerSeries } from "~/features/imaging/viewer/workspace-state";
import { CaseSummary } from "~/features/cases/case-summary";
import { GlossaryLookup } from "~/features/glossary/glossary-lookup";
import { KeyImageList, type KeyImageItem, type SlideKeyRegionItem } from "~/features/imaging/key-images/key-image-list";

type Narrative = { key: string; originalLanguage: string; originalText: string; translationText: string | null; translationStatus: string };
export type BoardItem = {
  id: string;
  caseId: string;
  caseCode: string;
  detail: Parameters<typeof CaseSummary>[0]["detail"] & { narratives: Narrative[] };
  icd10: Parameters<typeof CaseSummary>[0]["icd10"];
  keyImages: KeyImageItem[];
  slideRegions: SlideKeyRegionItem[];
  series: ViewerSeries[];
};

type Props = {
  item: BoardItem;
  me: { id: string; role: string; timeZone: string };
  isChair: boolean;
  /** A member of the board votes; an observing coordinator does not. */
  mayVote: boolean;
  /** Members and the co-chair write in the discussion; an observer reads it. */
  maySpeak: boolean;
  live: boolean;
  log: BoardLog;
  send: (command: BoardCommand) => void;
};

const TABS = ["chat", "polls", "summary", "case"] as const;
type Tab = (typeof TABS)[number];
const TAB_LABELS: Record<Tab, string> = { chat: "room:chat.title", polls: "room:polls.title", summary: "room:summary.title", case: "room:tabs.case" };

/** The case in focus as ARIA tabs: arrow keys, Home and End move between them; each panel keeps what was typed while another is shown. */
export function BoardCaseTabs({ item, me, isChair, mayVote, maySpeak, live, log, send }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [tab, setTab] = useState<Tab>("chat");
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ chat: null, polls: null, summary: null, case: null });
  const openPolls = log.polls.filter((p) => p.agendaItemId === item.id && p.open).length;

  const select = (next: Tab) => {
    setTab(next);
    tabRefs.current[next]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = TABS.indexOf(tab);
    const moves: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: TABS.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    select(TABS[(moves[event.key] + TABS.length) % TABS.length]);
  };

  return (
    <div className="board-tabs">
      <div role="tablist" aria-label={t("room:tabs.label", { code: item.caseCode })} onKeyDown={onKeyDown}>
        {TABS.map((name) => (
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
      {TABS.map((name) => (
        <div
          key={name}
          role="tabpanel"
          id={`${id}-panel-${name}`}
          aria-labelledby={`${id}-tab-${name}`}
          hidden={tab !== name}
          tabIndex={0}
          className="board-tab-panel"
        >
          {name === "chat" && <ChatPanel item={item} me={me} live={live && maySpeak} log={log} send={send} />}
          {name === "polls" && <PollsPanel item={item} me={me} isChair={isChair} mayVote={mayVote} live={live} log={log} send={send} />}
          {name === "summary" && <SummaryPanel item={item} isChair={isChair} live={live} log={log} send={send} />}
          {name === "case" && <CasePanel item={item} me={me} />}
        </div>
      ))}
    </div>
  );
}

function ChatPanel({ item, me, live, log, send }: Omit<Props, "isChair" | "mayVote" | "maySpeak">) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [language, setLanguage] = useState(i18n.language === "zh-CN" ? "zh-CN" : "en");
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
            <p lang={line.language}>{line.body}</p>
          </li>
        ))}
      </ol>
      {live && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!message.trim()) return;
            send({ type: "chat", agendaItemId: item.id, language: language as "en" | "zh-CN", body: message.trim() });
            setMessage("");
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-language`}>{t("room:chat.languageLabel")}</label>
            <select id={`${id}-language`} value={language} onChange={(e) => setLanguage(e.currentTarget.value)}>
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

function PollsPanel({ item, me, isChair, mayVote, live, log, send }: Omit<Props, "maySpeak">) {
  const { t } = useTranslation();
  const id = useId();
  const [question, setQuestion] = useState("");
  const [options, setOptions] = useState("");
  const polls = log.polls.filter((p) => p.agendaItemId === item.id);
  return (
    <section className="board-polls">
      {polls.length === 0 && <p className="muted">{t("room:polls.none")}</p>}
      {polls.map((poll) => (
        <fieldset key={poll.seq}>
          <legend>
            {poll.question} {!poll.open && <span className="muted">({t("room:polls.closed")})</span>}
          </legend>
          <ul>
            {poll.options.map((option, index) => {
              const mine = poll.votes[me.id] === index;
              return (
                <li key={option} className={mine ? "your-choice" : undefined}>
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
          {live && poll.open && mayVote && poll.votes[me.id] !== undefined && <p className="muted small">{t("room:polls.changeHint")}</p>}
          {isChair && live && poll.open && (
            <button type="button" className="button-secondary" onClick={() => send({ type: "poll.close", pollSeq: poll.seq })}>
              {t("room:polls.close")}
            </button>
          )}
        </fieldset>
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

function SummaryPanel({ item, isChair, live, log, send }: Omit<Props, "me" | "mayVote" | "maySpeak">) {
  const { t } = useTranslation();
  const id = useId();
  const savedSummary = log.summaries[item.id] ?? "";
  const [summary, setSummary] = useState<string | null>(null);
  return (
    <section className="board-summary">
      {isChair && live ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            send({ type: "summary", agendaItemId: item.id, text: summary ?? savedSummary });
            setSummary(null);
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-summary-text`}>{t("room:summary.label")}</label>
            <textarea
              id={`${id}-summary-text`}
              rows={6}
              maxLength={20_000}
              value={summary ?? savedSummary}
              onChange={(e) => setSummary(e.currentTarget.value)}
            />
          </div>
          <button type="submit">{t("room:summary.save")}</button>
        </form>
      ) : (
        <p className={savedSummary ? undefined : "muted"}>{savedSummary || t("room:summary.none")}</p>
      )}
    </section>
  );
}

/** The case itself: its summary, the clinical text in both languages side by side, and its key images. */
function CasePanel({ item, me }: Pick<Props, "item" | "me">) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section className="board-case">
      <CaseSummary detail={item.detail} icd10={item.icd10} />
      <h3 id={`${id}-narratives`}>{t("room:case.narratives")}</h3>
      {item.detail.narratives.map((n) => (
        <div key={n.key} className="side-by-side">
          <p lang={n.originalLanguage}>{n.originalText}</p>
          <p lang={n.originalLanguage === "en" ? "zh-CN" : "en"} className={n.translationText ? undefined : "muted"}>
            {n.translationText ?? t("room:case.noTranslation")}
          </p>
        </div>
      ))}
      <KeyImageList caseId={item.caseId} keyImages={item.keyImages} slideRegions={item.slideRegions} timeZone={me.timeZone} />
    </section>
  );
}
