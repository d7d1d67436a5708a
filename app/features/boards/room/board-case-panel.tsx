/** The case in focus in the live room: summary in both languages, key images, shared viewer, chat, polls and the board's summary. */
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { BoardLog } from "~/features/boards/room/board-log";
import type { ViewerState } from "~/features/imaging/viewer/viewer-state";
import type { BoardCommand, BoardView } from "~/features/boards/room/board-contracts";
import { formatDateTime } from "~/ui/format";
import { BoardViewer, type BoardSeries } from "./board-viewer";
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
  series: BoardSeries[];
};

type Props = {
  item: BoardItem;
  me: { id: string; role: string; timeZone: string };
  isChair: boolean;
  isPresenter: boolean;
  live: boolean;
  log: BoardLog;
  view: (BoardView & { presenterId: string }) | null;
  send: (command: BoardCommand) => void;
  shareView: (agendaItemId: string, state: ViewerState, pointer: { x: number; y: number } | null) => void;
};

/** The case in focus: its summary with both languages side by side, key images, the shared viewer, discussion, polls and the board's summary. */
export function BoardCasePanel({ item, me, isChair, isPresenter, live, log, view, send, shareView }: Props) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [language, setLanguage] = useState(i18n.language === "zh-CN" ? "zh-CN" : "en");
  const [message, setMessage] = useState("");
  const [question, setQuestion] = useState("");
  const [options, setOptions] = useState("");
  const savedSummary = log.summaries[item.id] ?? "";
  const [summary, setSummary] = useState<string | null>(null);
  const chat = log.chat[item.id] ?? [];
  const polls = log.polls.filter((p) => p.agendaItemId === item.id);
  return (
    <article aria-labelledby={`${id}-title`} className="board-case">
      <h2 id={`${id}-title`}>{t("room:case.title", { code: item.caseCode })}</h2>
      <CaseSummary detail={item.detail} icd10={item.icd10} />
      <section aria-labelledby={`${id}-narratives`}>
        <h3 id={`${id}-narratives`}>{t("room:case.narratives")}</h3>
        {item.detail.narratives.map((n) => (
          <div key={n.key} className="side-by-side">
            <p lang={n.originalLanguage}>{n.originalText}</p>
            <p lang={n.originalLanguage === "en" ? "zh-CN" : "en"} className={n.translationText ? undefined : "muted"}>
              {n.translationText ?? t("room:case.noTranslation")}
            </p>
          </div>
        ))}
      </section>
      <KeyImageList caseId={item.caseId} keyImages={item.keyImages} slideRegions={item.slideRegions} timeZone={me.timeZone} />
      <BoardViewer agendaItemId={item.id} series={item.series} keyImages={item.keyImages} isPresenter={isPresenter && live} view={view} shareView={shareView} />

      <section aria-labelledby={`${id}-chat`} className="board-chat">
        <h3 id={`${id}-chat`}>{t("room:chat.title")}</h3>
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

      <section aria-labelledby={`${id}-polls`} className="board-polls">
        <h3 id={`${id}-polls`}>{t("room:polls.title")}</h3>
        {polls.length === 0 && <p className="muted">{t("room:polls.none")}</p>}
        {polls.map((poll) => (
          <fieldset key={poll.seq}>
            <legend>
              {poll.question} {!poll.open && <span className="muted">({t("room:polls.closed")})</span>}
            </legend>
            <ul>
              {poll.options.map((option, index) => (
                <li key={option}>
                  {live && poll.open ? (
                    <button
                      type="button"
                      aria-pressed={poll.votes[me.id] === index}
                      aria-label={t("room:polls.voteFor", { option })}
                      onClick={() => send({ type: "poll.vote", pollSeq: poll.seq, option: index })}
                    >
                      {option}
                    </button>
                  ) : (
                    option
                  )}{" "}
                  <span data-testid={`tally-${poll.seq}-${index}`}>{t("room:polls.votes", { count: poll.tally[index] })}</span>
                </li>
              ))}
            </ul>
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
              <input
                id={`${id}-options`}
                value={options}
                placeholder={t("room:polls.optionsPlaceholder")}
                onChange={(e) => setOptions(e.currentTarget.value)}
              />
            </div>
            <button type="submit">{t("room:polls.open")}</button>
          </form>
        )}
      </section>

      <section aria-labelledby={`${id}-summary`} className="board-summary">
        <h3 id={`${id}-summary`}>{t("room:summary.title")}</h3>
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
                rows={4}
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
    </article>
  );
}
