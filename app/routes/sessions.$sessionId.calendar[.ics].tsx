import type { LoaderFunctionArgs } from "@remix-run/node";
import { endOf } from "~/features/boards/board-schedule";
import { buildIcs } from "~/features/boards/ics";
import { sessionPath } from "~/features/notifications/notifications";
import { i18nServer } from "~/i18n/i18n.server";
import { auditSession, requireSession } from "~/features/boards/board-scheduling.server";
import { getDb } from "~/platform/db.server";
import { publicUrl } from "~/features/notifications/notifications.server";
import { requestMeta } from "~/platform/request-meta.server";

/** The session as an iCalendar file: title, times, links; never a case or anything clinical. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, session } = await requireSession(request, context, params.sessionId);
  const t = await i18nServer.getFixedT(request);
  const link = publicUrl() + sessionPath(session.id);
  const ics = buildIcs({
    uid: `${session.id}@tumorboard`,
    sequence: session.icsSequence,
    stampedAt: new Date(),
    startsAt: session.startsAt,
    endsAt: endOf(session),
    summary: session.title,
    description: [t("sessions:ics.description", { url: link }), ...(session.videoUrl ? [t("sessions:ics.video", { url: session.videoUrl })] : [])].join("\n"),
    location: session.videoUrl ?? link,
    url: link,
    cancelled: session.status === "CANCELLED",
  });
  await auditSession(getDb(), user, "session.calendar", session.id, requestMeta(request, context));
  return new Response(ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8; method=PUBLISH",
      "Content-Disposition": `attachment; filename="tumor-board-${session.startsAt.toISOString().slice(0, 10)}.ics"`,
      "Cache-Control": "private, no-store",
    },
  });
}
