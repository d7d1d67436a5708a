/**
 * Text pieces of the opinion PDF that need no drawing: how an instant is
 * printed on a given clock, and whether a section has anything to print.
 * No I/O.
 */
import { filled, type SectionBody, type SectionName } from "~/features/opinions/opinion-content";
import { localDateTimeInZone, zoneOffsetMs } from "~/platform/time-zones";

/** "UTC+08:00", "UTC-07:00", "UTC+05:45". */
export function utcOffsetLabel(instant: Date, timeZone: string): string {
  const minutes = Math.round(zoneOffsetMs(instant, timeZone) / 60_000);
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** "2026-03-14 09:30 America/Los_Angeles (UTC-07:00)": the same in both languages, and unambiguous. */
export function zonedTimestamp(instant: Date, timeZone: string): string {
  const { date, time } = localDateTimeInZone(instant, timeZone);
  return `${date} ${time} ${timeZone} (${utcOffsetLabel(instant, timeZone)})`;
}

/** Whether a section body says anything at all; an empty optional section prints as "None". */
export function sectionHasContent<S extends SectionName>(name: S, body: SectionBody<S>): boolean {
  switch (name) {
    case "diagnosis": {
      const b = body as SectionBody<"diagnosis">;
      return Boolean(b.diagnosis.agreement || b.stage.agreement) || [b.diagnosis.comment, b.stage.comment, b.comment].some(filled);
    }
    case "plan": {
      const b = body as SectionBody<"plan">;
      return b.items.length > 0 || filled(b.summary);
    }
    case "workup":
    case "dissent":
      return (body as SectionBody<"workup" | "dissent">).items.some(filled);
    case "trials":
      return (body as SectionBody<"trials">).items.some((t) => filled(t.description) || filled(t.registryId));
    case "references":
      return (body as SectionBody<"references">).items.length > 0;
    case "answers":
      return (body as SectionBody<"answers">).items.some((a) => filled(a.answer));
    default:
      return false;
  }
}
