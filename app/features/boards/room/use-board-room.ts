/**
 * The browser side of a live board room: one socket that joins the room and,
 * after every reconnect, joins again from the last sequence number it has, so
 * nothing is missed; commands wait in an outbox under their client message id
 * until the server acknowledges them (a retry is stored once); the
 * presenter's viewer state goes out at most 30 times a second, latest wins.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { foldBoardLog, mergeEvents } from "~/features/boards/room/board-log";
import type { ViewerState } from "~/features/imaging/viewer/viewer-state";
import type {
  BoardClientEvents,
  BoardCommand,
  BoardCommandReply,
  BoardEvent,
  BoardParticipant,
  BoardServerEvents,
  BoardSnapshot,
  BoardView,
  GlossaryRefusal,
} from "./board-contracts";

const VIEW_INTERVAL_MS = 1000 / 30;
const ACK_TIMEOUT_MS = 5000;

type RoomSocket = Socket<BoardServerEvents, BoardClientEvents>;
export type RoomConnection = "connecting" | "live" | "reconnecting" | "denied" | "removed";
type Pending = { clientMessageId: string; command: BoardCommand };

export function useBoardRoom(sessionId: string) {
  const socket = useRef<RoomSocket | null>(null);
  const lastSeq = useRef(0);
  const outbox = useRef<Pending[]>([]);
  const [connection, setConnection] = useState<RoomConnection>("connecting");
  const [snapshot, setSnapshot] = useState<Omit<BoardSnapshot, "events"> | null>(null);
  const [events, setEvents] = useState<BoardEvent[]>([]);
  const [participants, setParticipants] = useState<BoardParticipant[]>([]);
  const [view, setView] = useState<(BoardView & { presenterId: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pendingCount, setPendingCount] = useState(0);
  /** The last translation the server refused for lacking glossary renderings: which event it translated, and the terms. */
  const [glossaryRefusal, setGlossaryRefusal] = useState<GlossaryRefusal | null>(null);
  /** Counts "the agenda or invitees changed" notices, so the page can reload what it shows of the cases. */
  const [agendaVersion, setAgendaVersion] = useState(0);
  const viewTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const nextView = useRef<BoardView | null>(null);
  const lastViewAt = useRef(0);
  const lastSentView = useRef<BoardView | null>(null);

  const receive = useCallback((incoming: BoardEvent[]) => {
    if (incoming.length === 0) return;
    lastSeq.current = Math.max(lastSeq.current, ...incoming.map((e) => e.seq));
    setEvents((known) => mergeEvents(known, incoming));
  }, []);

  const deliver = useCallback(
    async (pending: Pending) => {
      const s = socket.current;
      if (!s?.connected) return;
      let reply: BoardCommandReply;
      try {
        reply = await s.timeout(ACK_TIMEOUT_MS).emitWithAck("board:command", { sessionId, clientMessageId: pending.clientMessageId, command: pending.command });
      } catch {
        return; // No answer: it stays in the outbox and goes again after the next (re)join.
      }
      outbox.current = outbox.current.filter((p) => p.clientMessageId !== pending.clientMessageId);
      setPendingCount(outbox.current.length);
      if (!reply.ok) setError(`room:errors.${reply.error}`);
      if (!reply.ok && reply.error === "glossaryMismatch" && pending.command.type === "translate")
        setGlossaryRefusal({ eventSeq: pending.command.eventSeq, terms: reply.terms });
    },
    [sessionId],
  );

  const join = useCallback(async () => {
    const s = socket.current;
    if (!s) return;
    const reply = await s.emitWithAck("board:join", { sessionId, lastSeq: lastSeq.current });
    if (!reply.ok) {
      setConnection("denied");
      return;
    }
    const { events: missed, ...rest } = reply.snapshot;
    setSnapshot(rest);
    receive(missed);
    setConnection("live");
    for (const pending of [...outbox.current]) void deliver(pending);
  }, [deliver, receive, sessionId]);

  useEffect(() => {
    const s: RoomSocket = io({ withCredentials: true });
    socket.current = s;
    s.on("connect", () => void join());
    s.on("disconnect", () => setConnection((c) => (c === "removed" || c === "denied" ? c : "reconnecting")));
    s.on("board:event", (event) => {
      if (event.sessionId === sessionId) receive([event]);
    });
    s.on("board:presence", (p) => {
      if (p.sessionId !== sessionId) return;
      setParticipants(p.participants);
      // Someone joined or came back: the presenter's current view goes out again, so they see it before the next move.
      if (lastSentView.current) s.emit("board:view", lastSentView.current);
    });
    s.on("board:view", (v) => {
      if (v.sessionId === sessionId) setView(v);
    });
    s.on("board:changed", (p) => {
      if (p.sessionId !== sessionId) return;
      setAgendaVersion((n) => n + 1);
      void join();
    });
    s.on("board:removed", (p) => {
      if (p.sessionId === sessionId) setConnection("removed");
    });
    return () => {
      s.emit("board:leave", { sessionId });
      s.disconnect();
      socket.current = null;
      if (viewTimer.current) clearTimeout(viewTimer.current);
    };
  }, [join, receive, sessionId]);

  const send = useCallback(
    (command: BoardCommand) => {
      setError(null);
      setGlossaryRefusal(null);
      const pending = { clientMessageId: crypto.randomUUID(), command };
      outbox.current = [...outbox.current, pending];
      setPendingCount(outbox.current.length);
      void deliver(pending);
    },
    [deliver],
  );

  /** The presenter's view, sent at most 30 times a second; a newer state replaces one not yet sent. */
  const shareView = useCallback(
    (agendaItemId: string, state: ViewerState, pointer: { x: number; y: number } | null) => {
      nextView.current = { sessionId, agendaItemId, state, pointer };
      if (viewTimer.current) return;
      const wait = Math.max(0, lastViewAt.current + VIEW_INTERVAL_MS - Date.now());
      viewTimer.current = setTimeout(() => {
        viewTimer.current = null;
        lastViewAt.current = Date.now();
        if (nextView.current) socket.current?.emit("board:view", nextView.current);
        lastSentView.current = nextView.current ?? lastSentView.current;
        nextView.current = null;
      }, wait);
    },
    [sessionId],
  );

  const log = useMemo(() => foldBoardLog(events), [events]);
  return { connection, snapshot, events, log, participants, view, error, glossaryRefusal, pendingCount, agendaVersion, send, shareView };
}
