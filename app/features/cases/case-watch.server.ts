/**
 * The live case discussion on a socket: watching a case is checked like the
 * case page (a refusal is audited), and each new comment goes to the sockets
 * watching its case.
 */
import { recordRefusal } from "~/features/audit/audit-refusals.server";
import { getDb } from "~/platform/db.server";
import { getIo, realtimeFeature } from "~/realtime/io.server";
import { socketActor, socketMeta } from "~/realtime/socket-identity.server";
import { caseAbilities } from "./case-access";
import { caseRoom, WatchCaseSchema, type CaseClientEvents, type CaseServerEvents, type LiveCaseComment } from "./case-contracts";
import { getCaseFacts } from "./case-store.server";

export const registerCaseWatch = realtimeFeature<CaseClientEvents, CaseServerEvents>((_io, socket) => {
  socket.on("case:watch", async (payload, ack) => {
    if (typeof ack !== "function") return;
    const parsed = WatchCaseSchema.safeParse(payload);
    if (!parsed.success) return ack({ ok: false });
    const [actor, facts] = await Promise.all([socketActor(socket), getCaseFacts(getDb(), parsed.data.caseId)]);
    if (!actor || !facts || !caseAbilities(actor, facts).view) {
      await recordRefusal(getDb(), {
        actor: actor ? { id: actor.id, role: actor.role } : null,
        action: "socket.watchCase",
        outcome: "denied",
        entityType: "Case",
        entityId: parsed.data.caseId,
        meta: socketMeta(socket),
      });
      return ack({ ok: false });
    }
    await socket.join(caseRoom(facts.id));
    ack({ ok: true });
  });
});

/**
 * A new comment, to each socket watching its case that may still see it: access is checked again per recipient (session,
 * account, institution, assignment and board invitations as they are now), and a socket that lost it leaves the room.
 */
export async function notifyCaseComment(caseId: string, comment: LiveCaseComment, db = getDb()) {
  const io = getIo<CaseServerEvents>();
  if (!io) return;
  const room = caseRoom(caseId);
  const [sockets, facts] = await Promise.all([io.in(room).fetchSockets(), getCaseFacts(db, caseId)]);
  await Promise.all(
    sockets.map(async (socket) => {
      const actor = await socketActor(socket);
      if (actor && facts && caseAbilities(actor, facts).view) socket.emit("case:comment", { ...comment, caseId });
      else socket.leave(room);
    }),
  );
}
