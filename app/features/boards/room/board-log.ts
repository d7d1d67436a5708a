/**
 * A live board's state as it follows from its numbered event log: the same
 * fold runs on every client, so a client that replays the log after a
 * reconnect shows exactly what the others show. Pure.
 */
import type { BoardEvent } from "~/features/boards/room/board-contracts";

export type ChatLine = { seq: number; actorName: string; language: string; body: string; createdAt: string };
export type Poll = { seq: number; agendaItemId: string; question: string; options: string[]; open: boolean; tally: number[]; votes: Record<string, number> };
export type BoardLog = {
  status: string | null;
  focusItemId: string | null;
  presenterId: string | null;
  /** Undefined until the log names one: the snapshot's word stands until then. */
  coChairId?: string | null;
  chat: Record<string, ChatLine[]>;
  polls: Poll[];
  summaries: Record<string, string>;
};

export const emptyBoardLog = (): BoardLog => ({ status: null, focusItemId: null, presenterId: null, chat: {}, polls: [], summaries: {} });

/** Merges events into a sorted, duplicate-free log: what arrives twice (a replay overlapping a broadcast) counts once. */
export function mergeEvents(known: BoardEvent[], incoming: BoardEvent[]): BoardEvent[] {
  const bySeq = new Map(known.map((e) => [e.seq, e]));
  for (const event of incoming) bySeq.set(event.seq, event);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

export function foldBoardLog(events: BoardEvent[]): BoardLog {
  const log = emptyBoardLog();
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
            language: String(p.language),
            body: String(p.body),
            createdAt: event.createdAt,
          });
        }
        break;
      case "summary":
        if (event.agendaItemId) log.summaries[event.agendaItemId] = String(p.text);
        break;
      case "poll.open":
        if (event.agendaItemId) {
          const options = (p.options as string[]) ?? [];
          log.polls.push({
            seq: event.seq,
            agendaItemId: event.agendaItemId,
            question: String(p.question),
            options,
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
    }
  }
  return log;
}
