import type { LoaderFunctionArgs } from "@remix-run/node";
import { attendanceRows } from "~/features/boards/attendance";
import type { SessionFacts } from "~/features/boards/board-access";
import { toCsv } from "~/platform/csv";
import type { Actor } from "~/features/identity/permissions";
import { i18nServer } from "~/i18n/i18n.server";
import { auditSession, requireSession } from "~/features/boards/board-scheduling.server";
import { getDb } from "~/platform/db.server";
import { requestMeta } from "~/platform/request-meta.server";

/** Coordinators and the chair export who was in the room and when. */
const mayExport = (actor: Actor, facts: SessionFacts) => actor.active && (actor.role === "COORDINATOR" || facts.chairId === actor.id);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, session } = await requireSession(request, context, params.sessionId, mayExport);
  const db = getDb();
  const t = await i18nServer.getFixedT(request);
  const stays = await db.attendance.findMany({ where: { sessionId: session.id }, select: { userId: true, joinedAt: true, leftAt: true } });
  const people = await db.user.findMany({ where: { id: { in: [...new Set(stays.map((s) => s.userId))] } }, select: { id: true, displayName: true, email: true, role: true } });
  const byId = new Map(people.map((p) => [p.id, p]));
  const ended = await db.boardSession.findUnique({ where: { id: session.id }, select: { endedAt: true } });
  const headers = ["name", "email", "role", "joined", "left", "minutes"].map((h) => t(`room:attendance.${h}`));
  const rows = attendanceRows(
    stays.map((s) => {
      const person = byId.get(s.userId);
      return { name: person?.displayName ?? "", email: person?.email ?? "", role: person ? t(`common:roles.${person.role}`) : "", joinedAt: s.joinedAt, leftAt: s.leftAt };
    }),
    ended?.endedAt ?? null,
    headers,
  );
  await auditSession(db, user, "session.attendanceExport", session.id, requestMeta(request, context));
  return new Response("\uFEFF" + toCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="attendance-${session.startsAt.toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
