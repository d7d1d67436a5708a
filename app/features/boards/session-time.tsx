/** A session's start and end on the reader's clock, with the other side's clock beside it. */
import { useTranslation } from "react-i18next";
import { zoneLabel } from "~/features/boards/board-schedule";
import { formatClock, formatZonedDateTime } from "~/ui/format";

/** A session's start and end on the viewer's clock, with the other side's clock beside it. */
export function SessionTime({
  startsAt,
  durationMinutes,
  viewerZone,
  otherZone,
}: {
  startsAt: string | Date;
  durationMinutes: number;
  viewerZone: string;
  otherZone: string | null;
}) {
  const { t, i18n } = useTranslation();
  const start = new Date(startsAt);
  const end = new Date(start.getTime() + durationMinutes * 60_000);
  const on = (zone: string) =>
    t("sessions:time.zoned", {
      time: t("sessions:time.range", { start: formatZonedDateTime(start, i18n.language, zone), end: formatClock(end, i18n.language, zone) }),
      zone: zoneLabel(t, zone),
    });
  return (
    <span className="session-time">
      <time dateTime={start.toISOString()}>{on(viewerZone)}</time>
      {otherZone && otherZone !== viewerZone && <span className="session-time-other"> · {on(otherZone)}</span>}
    </span>
  );
}
