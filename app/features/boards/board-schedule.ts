/**
 * Scheduling rules for tumor board sessions: the form, who is invited, the
 * agenda's order and timing, the time zones each side reads the schedule in,
 * and the 07:00-22:00 working-hours warning. Pure; the scheduling service and
 * the pages ask these.
 */
import { z } from "zod";
import type { InviteeKind, SessionStatus } from "./board-access";
import type { CaseStatus } from "~/features/cases/case-lifecycle";
import { UNSCHEDULED_STATUS } from "~/features/cases/case-lifecycle";
import { timeZoneInput } from "~/platform/time-zone-names";
import { MAX_MEETING_ADDRESS_LENGTH, MAX_MEETING_PASSCODE_LENGTH, readMeeting } from "./meeting";
import { isTimeZone, localDateTimeInZone, localMinuteOfDay, zonedLocalToUtc } from "~/platform/time-zones";

export const MIN_DURATION_MINUTES = 15;
export const MAX_DURATION_MINUTES = 480;
export const MIN_ITEM_MINUTES = 5;
export const MAX_ITEM_MINUTES = 120;
export const DEFAULT_ITEM_MINUTES = 15;
export const DEFAULT_DURATION_MINUTES = 60;

/** The treating side's zone; everyone else reads the schedule beside it. */
export const CHINA_TIME_ZONE = "Asia/Shanghai";
export const WORKING_DAY = { startMinute: 7 * 60, endMinute: 22 * 60 } as const;

const message = (key: string) => ({ errorMap: () => ({ message: key }) });
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export const SessionScheduleSchema = z
  .object({
    title: z.string(message("sessions:errors.titleRequired")).trim().min(1, "sessions:errors.titleRequired").max(200, "sessions:errors.tooLong"),
    date: z.string(message("sessions:errors.dateInvalid")).regex(LOCAL_DATE, "sessions:errors.dateInvalid"),
    time: z.string(message("sessions:errors.timeInvalid")).regex(LOCAL_TIME, "sessions:errors.timeInvalid"),
    timeZone: timeZoneInput("sessions:errors.timeZoneInvalid"),
    durationMinutes: z
      .number(message("sessions:errors.durationInvalid"))
      .int("sessions:errors.durationInvalid")
      .min(MIN_DURATION_MINUTES, "sessions:errors.durationInvalid")
      .max(MAX_DURATION_MINUTES, "sessions:errors.durationInvalid"),
    chairId: z.string(message("sessions:errors.chairRequired")).min(1, "sessions:errors.chairRequired"),
    consultantIds: z.array(z.string()).max(50, "sessions:errors.tooManyConsultants").default([]),
    interpreterIds: z.array(z.string()).max(10, "sessions:errors.tooManyInterpreters").default([]),
    meetingProvider: z.string().trim().max(20, "sessions:errors.meetingProviderInvalid").optional(),
    meetingAddress: z.string().trim().max(MAX_MEETING_ADDRESS_LENGTH, "sessions:errors.meetingAddressTooLong").optional(),
    meetingPasscode: z.string().trim().max(MAX_MEETING_PASSCODE_LENGTH, "sessions:errors.meetingPasscodeInvalid").optional(),
  })
  .superRefine((value, ctx) => {
    for (const problem of scheduledMeeting(value).problems) ctx.addIssue({ code: "custom", path: [problem.field], message: problem.key });
    const wellFormed = LOCAL_DATE.test(value.date) && LOCAL_TIME.test(value.time) && isTimeZone(value.timeZone);
    if (wellFormed && !zonedLocalToUtc(value.date, value.time, value.timeZone))
      ctx.addIssue({ code: "custom", path: ["date"], message: "sessions:errors.dateInvalid" });
  });
export type SessionScheduleInput = z.infer<typeof SessionScheduleSchema>;

/** The call the schedule form sets up (null: none), or what is wrong with it. */
export function scheduledMeeting(input: { meetingProvider?: string; meetingAddress?: string; meetingPasscode?: string }) {
  return readMeeting({ provider: input.meetingProvider, address: input.meetingAddress, passcode: input.meetingPasscode });
}

/** The start as an instant; the schema has already checked that it exists. */
export function startOf(input: Pick<SessionScheduleInput, "date" | "time" | "timeZone">): Date {
  return zonedLocalToUtc(input.date, input.time, input.timeZone)!;
}

export function endOf(session: { startsAt: Date; durationMinutes: number }): Date {
  return new Date(session.startsAt.getTime() + session.durationMinutes * 60_000);
}

/** The schedule and agenda change only before the session starts. */
export function scheduleEditable(status: SessionStatus): boolean {
  return status === "SCHEDULED";
}

/**
 * The zone shown beside the viewer's own: Beijing time for everyone outside
 * it; for a viewer on Beijing time, the consulting side's zone (chair first).
 * Null when every zone involved is Beijing's.
 */
export function counterpartZone(viewerZone: string, consultingZones: readonly string[]): string | null {
  if (viewerZone !== CHINA_TIME_ZONE) return CHINA_TIME_ZONE;
  return consultingZones.find((zone) => zone !== CHINA_TIME_ZONE) ?? null;
}

export type ZonedInvitee = { name: string; timeZone: string };
/** Who the working-hours check looks after: the consulting side (chair and consultants), and the treating side. */
export type WorkingHoursAudience = {
  consulting: readonly ZonedInvitee[];
  /** The treating physicians of the agenda's cases. */
  physicians: readonly ZonedInvitee[];
  /** The treating hospitals' zones, standing in for their physicians while the agenda has no case yet. */
  treatingHospitalZones: readonly string[];
};
/** `treatingHospitals`: the zone is the treating hospitals' too, before any of their physicians is invited. */
export type OutOfHours = { timeZone: string; names: string[]; treatingHospitals: boolean; start: string; end: string };

/**
 * Zones in which the session starts or ends outside 07:00-22:00 on the local
 * clock (or runs past local midnight), with the invitees who live there. Until
 * a case is on the agenda the treating side is its hospitals (Beijing time when
 * none is known), so a board at midnight in Beijing is flagged while it is
 * being scheduled.
 */
export function outOfHours(session: { startsAt: Date; durationMinutes: number }, audience: WorkingHoursAudience): OutOfHours[] {
  const end = endOf(session);
  const byZone = new Map<string, { names: string[]; treatingHospitals: boolean }>();
  const groupOf = (timeZone: string) => {
    let group = byZone.get(timeZone);
    if (!group) byZone.set(timeZone, (group = { names: [], treatingHospitals: false }));
    return group;
  };
  for (const invitee of [...audience.consulting, ...audience.physicians]) groupOf(invitee.timeZone).names.push(invitee.name);
  if (audience.physicians.length === 0) {
    const hospitalZones = audience.treatingHospitalZones.map((hospitalZone) => (isTimeZone(hospitalZone) ? hospitalZone : CHINA_TIME_ZONE));
    for (const timeZone of hospitalZones.length > 0 ? hospitalZones : [CHINA_TIME_ZONE]) groupOf(timeZone).treatingHospitals = true;
  }
  const warnings: OutOfHours[] = [];
  for (const [timeZone, who] of byZone) {
    if (!isTimeZone(timeZone)) continue;
    const startLocal = localDateTimeInZone(session.startsAt, timeZone);
    const endLocal = localDateTimeInZone(end, timeZone);
    const startMinute = localMinuteOfDay(session.startsAt, timeZone);
    const endMinute = localMinuteOfDay(end, timeZone);
    const inside = startLocal.date === endLocal.date && startMinute >= WORKING_DAY.startMinute && endMinute <= WORKING_DAY.endMinute;
    if (!inside) warnings.push({ timeZone, ...who, start: startLocal.time, end: endLocal.time });
  }
  return warnings;
}

/** Who is invited, and as what: the chair, the invited consultants and interpreters, and each agenda case's treating physician. */
export function desiredInvitees(input: {
  chairId: string;
  consultantIds: readonly string[];
  interpreterIds: readonly string[];
  physicianIds: readonly string[];
}): Map<string, InviteeKind> {
  const invitees = new Map<string, InviteeKind>();
  for (const id of input.interpreterIds) invitees.set(id, "INTERPRETER");
  for (const id of input.physicianIds) invitees.set(id, "PHYSICIAN");
  for (const id of input.consultantIds) invitees.set(id, "CONSULTANT");
  invitees.set(input.chairId, "CHAIR");
  return invitees;
}

/** The consultants invited besides the chair, as the schedule form lists them. */
export function invitedConsultantIds(invitees: readonly { userId: string; kind: string }[]): string[] {
  return invitees.filter((i) => i.kind === "CONSULTANT").map((i) => i.userId);
}

/** The interpreters invited, as the schedule form lists them. */
export function invitedInterpreterIds(invitees: readonly { userId: string; kind: string }[]): string[] {
  return invitees.filter((i) => i.kind === "INTERPRETER").map((i) => i.userId);
}

export type InviteeChanges = { added: { userId: string; kind: InviteeKind }[]; removed: string[]; changed: { userId: string; kind: InviteeKind }[] };

export function inviteeChanges(current: readonly { userId: string; kind: string }[], desired: ReadonlyMap<string, InviteeKind>): InviteeChanges {
  const existing = new Map(current.map((i) => [i.userId, i.kind]));
  const changes: InviteeChanges = { added: [], removed: [], changed: [] };
  for (const [userId, kind] of desired) {
    const had = existing.get(userId);
    if (had === undefined) changes.added.push({ userId, kind });
    else if (had !== kind) changes.changed.push({ userId, kind });
  }
  for (const userId of existing.keys()) if (!desired.has(userId)) changes.removed.push(userId);
  return changes;
}

export type MoveDirection = "up" | "down";

/** The agenda order after moving one item a place up or down; unchanged at either end. */
export function moveInOrder(ids: readonly string[], id: string, direction: MoveDirection): string[] {
  const order = [...ids];
  const from = order.indexOf(id);
  const to = direction === "up" ? from - 1 : from + 1;
  if (from < 0 || to < 0 || to >= order.length) return order;
  [order[from], order[to]] = [order[to], order[from]];
  return order;
}

/** A proposed order (from a drag) must name each current item exactly once. */
export function isReordering(current: readonly string[], proposed: readonly string[]): boolean {
  return proposed.length === current.length && new Set(proposed).size === proposed.length && proposed.every((id) => current.includes(id));
}

/** When each agenda item is planned to start, one after the other from the session's start. */
export function plannedStarts(startsAt: Date, items: readonly { id: string; minutes: number }[]): Map<string, Date> {
  const starts = new Map<string, Date>();
  let offset = 0;
  for (const item of items) {
    starts.set(item.id, new Date(startsAt.getTime() + offset * 60_000));
    offset += item.minutes;
  }
  return starts;
}

export function agendaOverrunMinutes(durationMinutes: number, items: readonly { minutes: number }[]): number {
  return Math.max(0, items.reduce((sum, item) => sum + item.minutes, 0) - durationMinutes);
}

/** At the end of a board, a case the board discussed (focused or summarised) is DISCUSSED; the others go back to review. */
export function caseStatusAfterBoard(item: { discussedAt: Date | null; boardSummary: string }): CaseStatus {
  return item.discussedAt !== null || item.boardSummary.trim() !== "" ? "DISCUSSED" : UNSCHEDULED_STATUS;
}

const ZONE_LABEL_KEYS: Record<string, string> = {
  "Asia/Shanghai": "sessions:zones.shanghai",
  "America/Los_Angeles": "sessions:zones.losAngeles",
  "America/New_York": "sessions:zones.newYork",
  "America/Chicago": "sessions:zones.chicago",
  "Europe/London": "sessions:zones.london",
  UTC: "sessions:zones.utc",
};

/** A zone's name for people: translated for the common ones, else its city ("America/Sao_Paulo" → "Sao Paulo"). */
export function zoneLabel(translate: (key: string) => string, timeZone: string): string {
  const key = ZONE_LABEL_KEYS[timeZone];
  return key ? translate(key) : (timeZone.split("/").pop() ?? timeZone).replace(/_/g, " ");
}

export const SESSION_STATUS_LABEL_KEYS: Record<SessionStatus, string> = {
  SCHEDULED: "sessions:status.SCHEDULED",
  LIVE: "sessions:status.LIVE",
  ENDED: "sessions:status.ENDED",
  CANCELLED: "sessions:status.CANCELLED",
};

export const INVITEE_KIND_LABEL_KEYS: Record<InviteeKind, string> = {
  CHAIR: "sessions:kinds.CHAIR",
  CONSULTANT: "sessions:kinds.CONSULTANT",
  PHYSICIAN: "sessions:kinds.PHYSICIAN",
  INTERPRETER: "sessions:kinds.INTERPRETER",
};
