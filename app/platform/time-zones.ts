/** Time-zone arithmetic without a library: offsets, local dates and times, a zone's local time to UTC. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== "string" || value.length === 0) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Offset of the zone from UTC at the instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a calendar day (YYYY-MM-DD) starts in the zone, or null for a malformed or impossible day (2026-02-31). */
export function startOfDayInZone(day: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const naive = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(naive) || new Date(naive).toISOString().slice(0, 10) !== day) return null;
  const first = naive - zoneOffsetMs(new Date(naive), timeZone);
  return new Date(naive - zoneOffsetMs(new Date(first), timeZone));
}

export type LocalDateTime = { date: string; time: string };

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The date (YYYY-MM-DD) and time (HH:MM) on a clock in the zone at the instant. */
export function localDateTimeInZone(instant: Date, timeZone: string): LocalDateTime {
  const local = new Date(instant.getTime() + zoneOffsetMs(instant, timeZone));
  return { date: local.toISOString().slice(0, 10), time: local.toISOString().slice(11, 16) };
}

/**
 * The instant a wall-clock date and time in the zone stands for, or null for a
 * malformed or non-existent calendar date. Around DST changes it behaves like
 * Temporal's "compatible" disambiguation: a repeated hour (autumn) gives the
 * earlier instant, a skipped hour (spring) moves forward by the gap.
 */
export function zonedLocalToUtc(date: string, time: string, timeZone: string): Date | null {
  const d = LOCAL_DATE.exec(date);
  const t = LOCAL_TIME.exec(time);
  if (!d || !t || !isTimeZone(timeZone)) return null;
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const naive = Date.UTC(year, month - 1, day, Number(t[1]), Number(t[2]));
  const check = new Date(naive);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  const offsetBefore = zoneOffsetMs(new Date(naive - 86_400_000), timeZone);
  const offsetAfter = zoneOffsetMs(new Date(naive + 86_400_000), timeZone);
  const candidates = [...new Set([offsetBefore, offsetAfter])]
    .map((offset) => naive - offset)
    .filter((instant) => zoneOffsetMs(new Date(instant), timeZone) === naive - instant)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? naive - offsetBefore);
}

/** Minutes since local midnight on a clock in the zone at the instant. */
export function localMinuteOfDay(instant: Date, timeZone: string): number {
  const { time } = localDateTimeInZone(instant, timeZone);
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}
