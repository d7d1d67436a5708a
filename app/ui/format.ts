/** Dates, times and numbers formatted for the reader's language and clock. */
import { zoneLabel } from "~/features/boards/board-schedule";

export function formatDateTime(value: Date | string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(value));
}

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

export function formatDate(value: Date | string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(new Date(value));
}

/** "Wednesday, November 25, 2026 16:00": the weekday matters when the two sides of a board are a day apart. */
export function formatZonedDateTime(value: Date | string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: "long",
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(new Date(value));
}

export function formatClock(value: Date | string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(new Date(value));
}

/** A session's start on each of the given clocks, e.g. "Wednesday, November 25, 2026 16:00 Los Angeles · Thursday, … 08:00 Beijing". */
export function formatStartOnClocks(
  translate: (key: string, values?: Record<string, string>) => string,
  value: Date | string,
  locale: string,
  zones: readonly string[],
): string {
  return [...new Set(zones)]
    .map((zone) => translate("sessions:time.zoned", { time: formatZonedDateTime(value, locale, zone), zone: zoneLabel(translate, zone) }))
    .join(" · ");
}
