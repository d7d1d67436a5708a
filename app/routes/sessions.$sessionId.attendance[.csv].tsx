/** /sessions/<id>/attendance.csv: who was in the room and when, for coordinators and the chair. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { i18nServer } from "~/i18n/i18n.server";
import { requireSession } from "~/features/boards/board-access.server";
import { exportAttendance } from "~/features/boards/session-page.server";

/** Coordinators and the chair export who was in the room and when. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const caller = await requireSession(request, context, params.sessionId, "exportAttendance");
  const { csv, fileName } = await exportAttendance({ ...caller, t: await i18nServer.getFixedT(request) });
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
