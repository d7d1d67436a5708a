/**
 * A live board's state as it follows from its numbered event log: the same
 * fold runs on every client, so a client that replays the log after a
 * reconnect shows exactly what the others show. Pure.
 */
import type { BoardEvent } from "~/features/boards/room/board-contracts";
import { detectLanguage, isTextLanguage, type TextLanguage, type Translation } from "~/features/translation/translated-text";

export type ChatLine = { seq: number; actorName: string; language: TextLanguage; body: string; createdAt: string; translation: Translation | null };
/** A vote's translation: its question and each of its options, in order. */
export type PollTranslation = Translation & { options: string[] };
export type Poll = {
  seq: number;
  agendaItemId: string;
  question: string;
  options: string[];
  language: TextLanguage;
  translation: PollTranslation | null;
  open: boolean;
  tally: number[];
  votes: Record<string, number>;
};
/** The board's summary of a case as last saved; a translation belongs to that very text and goes when the summary changes. */
export type Summary = { seq: number; text: string; language: TextLanguage; translation: Translation | null };
export type BoardLog = {
  status: string | null;
  focusItemId: string | null;
  presenterId: string | null;
  /** Undefined until the log names one: the snapshot's word stands until then. */
  coChairId?: string | null;
  chat: Record<string, ChatLine[]>;
  polls: Poll[];
  summaries: Record<string, Summary>;
};

export const emptyBoardLog = (): BoardLog => ({ status: null, focusItemId: null, presenterId: null, chat: {}, polls: [], summaries: {} });

/** Merges events into a sorted, duplicate-free log: what arrives twice (a replay overlapping a broadcast) counts once. */
export function mergeEvents(known: BoardEvent[], incoming: BoardEvent[]): BoardEvent[] {
  const bySeq = new Map(known.map((e) => [e.seq, e]));
  for (const event of incoming) bySeq.set(event.seq, event);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** The events a room translation may translate. */
export const TRANSLATABLE_EVENT_TYPES = ["chat", "poll.open", "summary"] as const;
export type TranslatableEventType = (typeof TRANSLATABLE_EVENT_TYPES)[number];
export const isTranslatable = (type: string): type is TranslatableEventType => (TRANSLATABLE_EVENT_TYPES as readonly string[]).includes(type);

/** The words of a room text: a message's body, a summary's text, a vote's question and options. */
export function wordsOf(type: TranslatableEventType, payload: Record<string, unknown>): string[] {
  const words =
    type === "chat" ? [payload.body] : type === "summary" ? [payload.text] : [payload.question, ...(Array.isArray(payload.options) ? payload.options : [])];
  return words.map((w) => (typeof w === "string" ? w : ""));
}

/** The language of a room text: as its writer declared it (a chat message), else as detected from its words. */
export function sourceLanguageOf(type: TranslatableEventType, payload: Record<string, unknown>): { language: TextLanguage; declared: boolean } {
  if (type === "chat" && isTextLanguage(payload.language)) return { language: payload.language, declared: true };
  return { language: detectLanguage(wordsOf(type, payload).join("\n")), declared: false };
}

/** A summary as stored with its agenda item, for a reader whose room log does not hold it: untranslated. */
export function storedSummary(text: string): Summary {
  return { seq: 0, text, language: sourceLanguageOf("summary", { text }).language, translation: null };
}

export function foldBoardLog(events: BoardEvent[]): BoardLog {
  const log = emptyBoardLog();
  const summaryTexts = new Map<number, string>();
  for (const event of events) {
    const p = event.payload as Record<string, unknown>;
    switch (event.type) {
      case "start":
        log.status = "LIVE";
        break;
      case "end":
        log.status = "ENDED";
        break;
      case "focus":
        log.focusItemId = event.agendaItemId;
        break;
      case "presenter":
        log.presenterId = String(p.userId);
        break;
      case "cochair":
        log.coChairId = typeof p.userId === "string" ? p.userId : null;
        break;
      case "chat":
        if (event.agendaItemId) {
          (log.chat[event.agendaItemId] ??= []).push({
            seq: event.seq,
            actorName: event.actorName,
            language: sourceLanguageOf("chat", p).language,
            body: String(p.body),
            createdAt: event.createdAt,
            translation: null,
          });
        }
        break;
      case "summary":
        if (event.agendaItemId) {
          const text = String(p.text);
          summaryTexts.set(event.seq, text);
          const previous = log.summaries[event.agendaItemId];
          // Saving the same words again keeps their translation.
          const translation = previous && previous.text === text ? previous.translation : null;
          log.summaries[event.agendaItemId] = { seq: event.seq, text, language: sourceLanguageOf("summary", p).language, translation };
        }
        break;
      case "poll.open":
        if (event.agendaItemId) {
          const options = (p.options as string[]) ?? [];
          log.polls.push({
            seq: event.seq,
            agendaItemId: event.agendaItemId,
            question: String(p.question),
            options,
            language: sourceLanguageOf("poll.open", p).language,
            translation: null,
            open: true,
            tally: options.map(() => 0),
            votes: {},
          });
        }
        break;
      case "poll.vote": {
        const poll = log.polls.find((x) => x.seq === p.pollSeq);
        if (poll?.open) {
          poll.votes[event.actorId] = Number(p.option);
          poll.tally = poll.options.map((_, i) => Object.values(poll.votes).filter((v) => v === i).length);
        }
        break;
      }
      case "poll.close": {
        const poll = log.polls.find((x) => x.seq === p.pollSeq);
        if (poll) poll.open = false;
        break;
      }
      case "translate":
        applyTranslation(log, event, summaryTexts);
        break;
    }
  }
  return log;
}

/** A translation reaches the text it names, if the log still shows that text; a later translation replaces an earlier one. */
function applyTranslation(log: BoardLog, event: BoardEvent, summaryTexts: ReadonlyMap<number, string>) {
  const p = event.payload as { eventSeq?: unknown; text?: unknown; options?: unknown };
  if (!event.agendaItemId || typeof p.text !== "string") return;
  const translation: Translation = { text: p.text, byName: event.actorName, at: event.createdAt };
  const line = log.chat[event.agendaItemId]?.find((l) => l.seq === p.eventSeq);
  if (line) line.translation = translation;
  const poll = log.polls.find((x) => x.seq === p.eventSeq && x.agendaItemId === event.agendaItemId);
  if (poll && Array.isArray(p.options) && p.options.length === poll.options.length) poll.translation = { ...translation, options: p.options.map(String) };
  const summary = log.summaries[event.agendaItemId];
  if (summary && typeof p.eventSeq === "number" && summaryTexts.get(p.eventSeq) === summary.text) summary.translation = translation;
}
