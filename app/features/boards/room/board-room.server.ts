/**
 * The live board room on one socket. Joining checks the invitation and puts the
 * socket in the session's room plus one room per agenda item it may see, so a
 * presenter's view of a case only reaches those allowed to see that case. Every
 * command re-reads the user and the session, is checked against the board
 * rules, stored as the next numbered event, and only then sent to each
 * participant who, read again, may receive it. Viewer
 * state is ephemeral: the presenter's latest state goes straight to followers.
 * Scheduling changes reach the rooms through `evictFromBoard` and `boardChanged`.
 */
import {
  canJoinRoom,
  coChairCandidate,
  mayReceive,
  mayScheduleSessions,
  presenterCandidate,
  roomPlaceOf,
  sessionAbilities,
  visibleAgendaItemIds,
  visibleInvitees,
  type SessionFacts,
} from "~/features/boards/board-access";
import type { Actor } from "~/features/identity/permissions";
import { takeToken, type Bucket, type RateLimit } from "~/platform/rate-limit";
import {
  actorById,
  appendEvent,
  boardFacts,
  eventsAfter,
  participantProfiles,
  pollState,
  recordJoin,
  translationTarget,
  recordLeave,
  viewRelayFacts,
  type BoardFacts,
} from "~/features/boards/room/room-events.server";
import { recordAudit } from "~/features/audit/audit.server";
import { recordRefusal } from "~/features/audit/audit-refusals.server";
import { getDb } from "~/platform/db.server";
import { log } from "~/platform/logger.server";
import {
  BoardViewSchema,
  boardItemRoom,
  boardRoom,
  JoinBoardSchema,
  SendBoardCommandSchema,
  type BoardClientEvents,
  type BoardCommand,
  type BoardCommandReply,
  type BoardEvent,
  type BoardParticipant,
  type BoardServerEvents,
} from "./board-contracts";
import { getIo, realtimeFeature } from "~/realtime/io.server";
import { socketActor, socketMeta } from "~/realtime/socket-identity.server";
import { userRoom } from "~/realtime/contracts";
import { otherLanguage } from "~/features/translation/translated-text";
import { checkAgainstGlossary } from "~/features/glossary/translation-aids.server";
import { termText } from "~/features/glossary/glossary-check";
import { isTranslatable, sourceLanguageOf, wordsOf } from "./board-log";

/** What a socket keeps of the board rooms it has joined: who it shows as, and its attendance record. */
/** Per board joined: what presence shows of this participant, and who they are, to filter what presence shows them. */
type BoardEntry = { participant: BoardParticipant; attendanceId: string; viewer: Actor };
type BoardSocketData = { boards?: Record<string, BoardEntry> };

const LIMITS: Record<"join" | "command" | "view", RateLimit> = {
  join: { perSecond: 2, burst: 10 },
  command: { perSecond: 10, burst: 20 },
  view: { perSecond: 40, burst: 40 },
};
const VIEW_FACTS_TTL_MS = 1000;
const VIEW_RECHECK_MS = 200;

/** Which agenda item an event is about, as the room filters it: its own, or that of the poll or text it refers to. */
function eventItem(command: BoardCommand, referredItem: string | null): string | null {
  if ("agendaItemId" in command) return command.agendaItemId;
  if (command.type === "poll.vote" || command.type === "poll.close" || command.type === "translate") return referredItem;
  return null;
}

/** What a recipient who may not see the event's agenda item gets: a focus moved elsewhere, nothing else. */
function redactedFor(event: BoardEvent, visible: Set<string>): BoardEvent | null {
  if (event.agendaItemId === null || visible.has(event.agendaItemId)) return event;
  return event.type === "focus" ? { ...event, agendaItemId: null, payload: {} } : null;
}

function commandAllowed(actor: Actor, facts: BoardFacts, command: BoardCommand): BoardCommandReply | null {
  const may = sessionAbilities(actor, facts);
  const allowed = command.type === "chat" ? may.speak : command.type === "translate" ? may.translate : command.type === "poll.vote" ? may.vote : may.chair;
  if (!allowed) return { ok: false, error: "forbidden" };
  if (command.type === "start") return facts.status === "SCHEDULED" ? null : { ok: false, error: "invalidState" };
  if (command.type === "cochair") {
    if (!may.appointCoChair) return { ok: false, error: "forbidden" };
    return facts.status === "SCHEDULED" || facts.status === "LIVE" ? null : { ok: false, error: "invalidState" };
  }
  if (facts.status !== "LIVE") return { ok: false, error: "invalidState" };
  if ("agendaItemId" in command && !visibleAgendaItemIds(actor, facts).has(command.agendaItemId)) return { ok: false, error: "notFound" };
  if (command.type === "presenter" && !facts.invitees.some((i) => i.userId === command.userId && presenterCandidate(i)))
    return { ok: false, error: "invalidPayload" };
  return null;
}

/**
 * What a translation refers to, checked: a message, vote or summary of an agenda item the translator may see (else
 * notFound), with as many options as the vote has (else invalidPayload). Answers the item and what the event records:
 * the language translated from (declared by the writer, else detected) and into. A translation that lacks a glossary
 * term's rendering is refused (glossaryMismatch, naming the terms) unless the translator accepted each.
 */
async function checkTranslation(
  actor: Actor,
  facts: BoardFacts,
  command: Extract<BoardCommand, { type: "translate" }>,
): Promise<{ refused: BoardCommandReply } | { agendaItemId: string; recorded: Record<string, unknown>; acceptedTerms: string[] }> {
  const target = await translationTarget(getDb(), facts.id, command.eventSeq);
  if (!target || !isTranslatable(target.type) || !target.agendaItemId || !mayReceive(actor, facts, target.agendaItemId))
    return { refused: { ok: false, error: "notFound" } };
  const [original, ...options] = wordsOf(target.type, target.payload);
  if ((command.options?.length ?? 0) !== options.length || original.trim() === "") return { refused: { ok: false, error: "invalidPayload" } };
  const source = sourceLanguageOf(target.type, target.payload);
  const into = otherLanguage(source.language);
  // A vote's question and options are checked as one text: a term of the question may be rendered in an option.
  const glossary = await checkAgainstGlossary(getDb(), {
    source: [original, ...options].join("\n"),
    sourceLanguage: source.language,
    target: [command.text, ...(command.options ?? [])].join("\n"),
    acceptedTermIds: command.acceptTerms ?? [],
  });
  if (glossary.unaccepted.length > 0)
    return {
      refused: {
        ok: false,
        error: "glossaryMismatch",
        terms: glossary.unaccepted.map((term) => ({ id: term.id, term: termText(term, source.language), rendering: termText(term, into) })),
      },
    };
  return {
    agendaItemId: target.agendaItemId,
    recorded: { sourceLanguage: source.language, sourceDeclared: source.declared, language: into },
    acceptedTerms: glossary.accepted.map((term) => term.en),
  };
}

/** A co-chair must be a coordinator who may manage sessions and is not invited otherwise: an observer of the room. */
async function coChairAllowed(facts: BoardFacts, userId: string | null): Promise<boolean> {
  if (userId === null) return true;
  const target = await actorById(getDb(), userId);
  return !!target && mayScheduleSessions(target) && coChairCandidate({ kind: roomPlaceOf(target, facts) ?? "" });
}

const leavesUnderWay = new Set<Promise<void>>();

/** Resolves once the room has recorded every disconnection so far (attendance, presence): shutdown waits for it before closing Redis and the database. */
export async function boardLeavesSettled(): Promise<void> {
  await Promise.all([...leavesUnderWay]);
}

export const registerBoardRoom = realtimeFeature<BoardClientEvents, BoardServerEvents, BoardSocketData>((io, socket) => {
  const buckets = new Map<string, Bucket>();
  const viewFacts = new Map<string, { facts: SessionFacts | null; at: number }>();
  const limited = (kind: keyof typeof LIMITS) => {
    const taken = takeToken(buckets.get(kind), LIMITS[kind], Date.now());
    buckets.set(kind, taken.bucket);
    return !taken.allowed;
  };
  const data = socket.data;
  const deny = async (actor: Actor | null, action: string, sessionId: string) =>
    recordRefusal(getDb(), {
      actor: actor ? { id: actor.id, role: actor.role } : null,
      action,
      outcome: "denied",
      entityType: "BoardSession",
      entityId: sessionId,
      meta: socketMeta(socket),
    });

  /** Who is in the room, to each of its sockets: a treating physician is not shown another hospital's physician (visibleInvitees). */
  async function broadcastPresence(sessionId: string) {
    const sockets = await io.in(boardRoom(sessionId)).fetchSockets();
    const byUser = new Map<string, BoardParticipant & { institutionId: string | null }>();
    for (const s of sockets) {
      const entry = s.data.boards?.[sessionId];
      if (entry) byUser.set(entry.participant.userId, { ...entry.participant, institutionId: entry.viewer.institutionId });
    }
    const everyone = [...byUser.values()];
    for (const s of sockets) {
      const viewer = s.data.boards?.[sessionId]?.viewer;
      if (!viewer) continue;
      const participants = visibleInvitees(viewer, everyone).map(({ institutionId: _institutionId, ...participant }) => participant);
      s.emit("board:presence", { sessionId, participants });
    }
  }

  async function leave(sessionId: string) {
    const entry = data.boards?.[sessionId];
    if (!entry) return;
    delete data.boards![sessionId];
    for (const room of socket.rooms) if (room === boardRoom(sessionId) || room.startsWith(`${boardRoom(sessionId)}:`)) await socket.leave(room);
    await recordLeave(getDb(), entry.attendanceId);
    await broadcastPresence(sessionId);
  }

  socket.on("board:join", async (payload, ack) => {
    if (typeof ack !== "function") return;
    if (limited("join")) return ack({ ok: false, error: "rateLimited" });
    const parsed = JoinBoardSchema.safeParse(payload);
    if (!parsed.success) return ack({ ok: false, error: "invalidPayload" });
    const db = getDb();
    const { sessionId, lastSeq } = parsed.data;
    const [actor, facts] = await Promise.all([socketActor(socket), boardFacts(db, sessionId)]);
    if (!actor || !facts || !sessionAbilities(actor, facts).joinRoom) {
      await deny(actor, "board.join", sessionId);
      return ack({ ok: false, error: "notFound" });
    }
    const visible = visibleAgendaItemIds(actor, facts);
    // Joining again (after a change) recomputes the item rooms from scratch.
    for (const room of socket.rooms)
      if (room.startsWith(`${boardRoom(sessionId)}:item:`) && !visible.has(room.slice(`${boardRoom(sessionId)}:item:`.length))) await socket.leave(room);
    await socket.join([boardRoom(sessionId), ...[...visible].map((id) => boardItemRoom(sessionId, id))]);
    if (!data.boards?.[sessionId]) {
      const [profile] = await participantProfiles(db, [actor.id]);
      data.boards = {
        ...data.boards,
        [sessionId]: {
          attendanceId: await recordJoin(db, sessionId, actor.id),
          viewer: actor,
          participant: {
            userId: actor.id,
            name: profile?.displayName ?? "",
            role: actor.role,
            kind: roomPlaceOf(actor, facts) ?? "",
            timeZone: profile?.timeZone ?? "UTC",
          },
        },
      };
      await recordAudit(db, {
        actor: { id: actor.id, role: actor.role },
        action: "board.join",
        outcome: "success",
        entityType: "BoardSession",
        entityId: sessionId,
        meta: socketMeta(socket),
      });
    }
    const events = (await eventsAfter(db, sessionId, lastSeq)).map((e) => redactedFor(e, visible)).filter((e): e is BoardEvent => e !== null);
    ack({
      ok: true,
      snapshot: {
        sessionId,
        title: facts.title,
        status: facts.status,
        chairId: facts.chairId,
        presenterId: facts.presenterId ?? facts.chairId,
        coChairId: facts.coChairId,
        focusItemId: facts.focusItemId && visible.has(facts.focusItemId) ? facts.focusItemId : null,
        agenda: facts.agendaDetails.filter((item) => visible.has(item.id)),
        events,
        lastSeq: facts.lastSeq,
      },
    });
    await broadcastPresence(sessionId);
  });

  /** Leaves a board in the background; shutdown waits for it (see boardLeavesSettled). */
  function leaveTracked(sessionId: string) {
    const leaving: Promise<void> = leave(sessionId)
      .catch((error) => log("warn", "board leave failed", { error: String(error) }))
      .finally(() => leavesUnderWay.delete(leaving));
    leavesUnderWay.add(leaving);
  }

  socket.on("board:leave", (payload) => {
    if (typeof payload?.sessionId === "string") leaveTracked(payload.sessionId);
  });

  socket.on("board:command", async (payload, ack) => {
    if (typeof ack !== "function") return;
    if (limited("command")) return ack({ ok: false, error: "rateLimited" });
    const parsed = SendBoardCommandSchema.safeParse(payload);
    if (!parsed.success) return ack({ ok: false, error: "invalidPayload" });
    const db = getDb();
    const { sessionId, clientMessageId, command } = parsed.data;
    const [actor, facts] = await Promise.all([socketActor(socket), boardFacts(db, sessionId)]);
    if (!actor || !facts || !sessionAbilities(actor, facts).joinRoom || !data.boards?.[sessionId]) {
      await deny(actor, "board.command", sessionId);
      return ack({ ok: false, error: "notFound" });
    }
    const refused = commandAllowed(actor, facts, command);
    if (refused) {
      if (!refused.ok && refused.error === "forbidden") await deny(actor, `board.${command.type}`, sessionId);
      return ack(refused);
    }
    if (command.type === "cochair" && !(await coChairAllowed(facts, command.userId))) {
      // Naming a consultant, a physician or anyone else but an observing coordinator is refused, and the attempt audited.
      await deny(actor, "board.cochair", sessionId);
      return ack({ ok: false, error: "invalidPayload" });
    }
    let referredItem: string | null = null;
    let recorded: Record<string, unknown> | undefined;
    let acceptedTerms: string[] = [];
    if (command.type === "poll.vote" || command.type === "poll.close") {
      const poll = await pollState(db, sessionId, command.pollSeq);
      if (!poll || !poll.agendaItemId || !mayReceive(actor, facts, poll.agendaItemId)) return ack({ ok: false, error: "notFound" });
      if (!poll.open || (command.type === "poll.vote" && command.option >= poll.options.length)) return ack({ ok: false, error: "invalidState" });
      referredItem = poll.agendaItemId;
    }
    if (command.type === "translate") {
      const checked = await checkTranslation(actor, facts, command);
      if ("refused" in checked) return ack(checked.refused);
      ({ agendaItemId: referredItem, recorded, acceptedTerms } = checked);
    }
    const { event, duplicate, moved } = await appendEvent(db, facts, {
      actorId: actor.id,
      clientMessageId,
      command,
      agendaItemId: eventItem(command, referredItem),
      recorded,
    });
    if (!duplicate) {
      await recordAudit(db, {
        actor: { id: actor.id, role: actor.role },
        action: `board.${command.type}`,
        outcome: "success",
        entityType: "BoardSession",
        entityId: sessionId,
        details: {
          seq: event.seq,
          agendaItemId: event.agendaItemId,
          ...(command.type === "translate" ? { translates: command.eventSeq, ...(acceptedTerms.length > 0 ? { acceptedTerms } : {}) } : {}),
        },
        meta: socketMeta(socket),
      });
    }
    for (const change of moved) {
      await recordAudit(db, {
        actor: { id: actor.id, role: actor.role },
        action: "case.boardEnded",
        outcome: "success",
        entityType: "Case",
        entityId: change.caseId,
        details: { sessionId, from: change.from, to: change.to },
        meta: socketMeta(socket),
      });
    }
    ack({ ok: true, seq: event.seq, duplicate });
    if (!duplicate) await broadcastEvent(sessionId, event);
  });

  /**
   * Sends a stored event to each socket in the board's room whose user, read again with the session, may still
   * receive it (a focus on a case they may not see as "focus elsewhere"); a socket that may no longer join leaves.
   */
  async function broadcastEvent(sessionId: string, event: BoardEvent) {
    const [sockets, facts] = await Promise.all([io.in(boardRoom(sessionId)).fetchSockets(), boardFacts(getDb(), sessionId)]);
    await Promise.all(
      sockets.map(async (recipient) => {
        const actor = await socketActor(recipient);
        if (!actor || !facts || !canJoinRoom(actor, facts)) {
          for (const room of recipient.rooms) if (room === boardRoom(sessionId) || room.startsWith(`${boardRoom(sessionId)}:`)) recipient.leave(room);
          return;
        }
        const shown = redactedFor(event, visibleAgendaItemIds(actor, facts));
        if (shown) recipient.emit("board:event", { ...shown, sessionId });
      }),
    );
  }

  // Views are handled one after another, so a slow permission check never lets an older view overtake a newer one.
  let viewQueue = Promise.resolve();
  socket.on("board:view", (payload) => {
    viewQueue = viewQueue.then(() => relayView(payload)).catch((error) => log("warn", "board view relay failed", { error: String(error) }));
  });

  async function relayView(payload: unknown) {
    if (limited("view")) return;
    const parsed = BoardViewSchema.safeParse(payload);
    if (!parsed.success) return;
    const { sessionId, agendaItemId } = parsed.data;
    if (!data.boards?.[sessionId]) return;
    const actor: Actor = { id: data.userId, role: data.role as Actor["role"], institutionId: null, active: true };
    const allowed = (facts: SessionFacts | null) =>
      !!facts && facts.status === "LIVE" && sessionAbilities(actor, facts).present && facts.agenda.some((item) => item.id === agendaItemId);
    // Views are relayed on a recent answer to "may this socket present?"; a refusal is re-checked at once (at most every 200 ms), an allowance refreshed in the background every second.
    const now = Date.now();
    let entry = viewFacts.get(sessionId);
    if (!entry || (!allowed(entry.facts) && now - entry.at > VIEW_RECHECK_MS)) {
      entry = { facts: await viewRelayFacts(getDb(), sessionId, data.userId), at: now };
      viewFacts.set(sessionId, entry);
    } else if (now - entry.at > VIEW_FACTS_TTL_MS) {
      entry.at = now;
      void viewRelayFacts(getDb(), sessionId, data.userId).then(
        (facts) => viewFacts.set(sessionId, { facts, at: Date.now() }),
        (error) => log("warn", "board view check failed", { error: String(error) }),
      );
    }
    if (!allowed(entry.facts)) return;
    socket.to(boardItemRoom(sessionId, agendaItemId)).emit("board:view", { ...parsed.data, presenterId: actor.id });
  }

  socket.on("disconnect", () => {
    for (const sessionId of Object.keys(data.boards ?? {})) leaveTracked(sessionId);
  });
});

/** Takes a user out of a board's room at once (uninvited, or the session was cancelled); their clients are told to leave. */
export function evictFromBoard(sessionId: string, userId: string, agendaItemIds: string[]) {
  const io = getIo<BoardServerEvents>();
  if (!io) return;
  io.to(userRoom(userId)).emit("board:removed", { sessionId });
  io.in(userRoom(userId)).socketsLeave([boardRoom(sessionId), ...agendaItemIds.map((id) => boardItemRoom(sessionId, id))]);
}

/** The agenda or the invitees changed: clients in the room join again, which recomputes what each may see. */
export function boardChanged(sessionId: string) {
  getIo<BoardServerEvents>()?.to(boardRoom(sessionId)).emit("board:changed", { sessionId });
}
