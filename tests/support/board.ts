/** Helpers for live board room tests: a scheduled session on the demo cases, and socket clients that collect what they receive. */
import { randomUUID } from "node:crypto";
import { io as connect, type Socket } from "socket.io-client";
import type { BoardCommand, BoardCommandReply, BoardEvent, BoardJoinReply } from "~/features/boards/room/board-contracts";
import type { Db } from "~/platform/db.server";

/** A board a day ahead on Beijing time whose one invitee is its chair, with `caseIds` on its agenda in that order. */
export function boardChairedBy(
  db: Db,
  { title, chairId, createdById, caseIds = [] }: { title: string; chairId: string; createdById: string; caseIds?: string[] },
) {
  return db.boardSession.create({
    data: {
      title,
      startsAt: new Date(Date.now() + 86_400_000),
      durationMinutes: 60,
      timeZone: "Asia/Shanghai",
      chairId,
      createdById,
      invitees: { create: [{ userId: chairId, kind: "CHAIR" }] },
      agenda: { create: caseIds.map((caseId, position) => ({ caseId, position })) },
    },
  });
}

/**
 * A session chaired by consultant@demo.test with consultant2@demo.test (and
 * with `interpreter`, interpreter@demo.test), on one Wuhan and (unless
 * `wuhanOnly`) one Hangzhou case, each institution's treating physician
 * invited for their own case.
 */
export async function scheduledBoard(db: Db, { wuhanOnly = false, interpreter = false } = {}) {
  const user = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email } })).id;
  const [chair, consultant2, physician, physician2, coordinator, interpreterId] = await Promise.all(
    ["consultant@demo.test", "consultant2@demo.test", "physician@demo.test", "physician2@demo.test", "coordinator@demo.test", "interpreter@demo.test"].map(
      user,
    ),
  );
  const wuhan = await db.case.findFirstOrThrow({ where: { institutionId: "demo-wuhan", status: { not: "DRAFT" } }, orderBy: { createdAt: "asc" } });
  const hangzhou = await db.case.findFirstOrThrow({ where: { institutionId: "demo-hangzhou", status: { not: "DRAFT" } }, orderBy: { createdAt: "asc" } });
  await db.case.updateMany({ where: { id: { in: wuhanOnly ? [wuhan.id] : [wuhan.id, hangzhou.id] } }, data: { status: "SCHEDULED" } });
  const session = await db.boardSession.create({
    data: {
      title: "Thoracic board",
      startsAt: new Date(Date.now() + 60_000),
      durationMinutes: 60,
      timeZone: "Asia/Shanghai",
      meetingProvider: "JITSI",
      videoUrl: "https://meet.jit.si/tumorboard-thoracic",
      chairId: chair,
      createdById: coordinator,
      invitees: {
        create: [
          { userId: chair, kind: "CHAIR" },
          { userId: consultant2, kind: "CONSULTANT" },
          { userId: physician, kind: "PHYSICIAN" },
          ...(wuhanOnly ? [] : [{ userId: physician2, kind: "PHYSICIAN" }]),
          ...(interpreter ? [{ userId: interpreterId, kind: "INTERPRETER" }] : []),
        ],
      },
      agenda: { create: [{ caseId: wuhan.id, position: 0 }, ...(wuhanOnly ? [] : [{ caseId: hangzhou.id, position: 1 }])] },
    },
    include: { agenda: { orderBy: { position: "asc" } } },
  });
  return {
    session,
    wuhanItem: session.agenda[0],
    hangzhouItem: session.agenda[1],
    wuhan,
    hangzhou,
    ids: { chair, consultant2, physician, physician2, interpreter: interpreterId },
  };
}

export type BoardClient = {
  socket: Socket;
  events: (BoardEvent & { sessionId: string })[];
  views: unknown[];
  presence: { userId: string }[][];
  removed: string[];
  lastSeq: number;
  join: (sessionId: string, lastSeq?: number) => Promise<BoardJoinReply>;
  send: (sessionId: string, command: BoardCommand, clientMessageId?: string) => Promise<BoardCommandReply>;
  close: () => void;
};

export function boardClient(base: string, cookie: string, options: { reconnection?: boolean } = {}): Promise<BoardClient> {
  const socket = connect(base, { transports: ["websocket"], reconnection: options.reconnection ?? false, reconnectionDelay: 100, extraHeaders: { cookie } });
  const client: BoardClient = {
    socket,
    events: [],
    views: [],
    presence: [],
    removed: [],
    lastSeq: 0,
    join: async (sessionId, lastSeq = client.lastSeq) => {
      const reply = (await socket.emitWithAck("board:join", { sessionId, lastSeq })) as BoardJoinReply;
      if (reply.ok) for (const event of reply.snapshot.events) record({ ...event, sessionId });
      return reply;
    },
    send: (sessionId, command, clientMessageId = randomUUID()) =>
      socket.emitWithAck("board:command", { sessionId, clientMessageId, command }) as Promise<BoardCommandReply>,
    close: () => socket.close(),
  };
  const record = (event: BoardEvent & { sessionId: string }) => {
    if (client.events.some((e) => e.seq === event.seq)) return;
    client.events.push(event);
    client.events.sort((a, b) => a.seq - b.seq);
    client.lastSeq = Math.max(client.lastSeq, event.seq);
  };
  socket.on("board:event", record);
  socket.on("board:view", (view) => client.views.push(view));
  socket.on("board:presence", (p: { participants: { userId: string }[] }) => client.presence.push(p.participants));
  socket.on("board:removed", (p: { sessionId: string }) => client.removed.push(p.sessionId));
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(client));
    socket.once("connect_error", reject);
  });
}

/** Waits until `check` passes, for what arrives over a socket. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
