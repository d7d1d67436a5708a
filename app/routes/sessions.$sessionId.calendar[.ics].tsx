/** /sessions/<id>/calendar.ics: the session as a calendar file, without clinical content. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { i18nServer } from "~/i18n/i18n.server";
import { requireSession } from "~/features/boards/board-access.server";
import { sessionCalendar } from "~/features/boards/session-page.server";

/** The session as an iCalendar file: title, times, links; never a case or anything clinical. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const caller = await requireSession(request, context, params.sessionId);
  const { ics, fileName } = await sessionCalendar({ ...caller, t: await i18nServer.getFixedT(request) });
  return new Response(ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8; method=PUBLISH",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
