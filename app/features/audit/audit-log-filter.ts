/** The audit log page's filters, read from its URL: actor email, action, outcome and calendar days in the reader's time zone. */
import { z } from "zod";
import { filterChoice, filterText, pageNumber } from "~/platform/query-params";
import { startOfDayInZone } from "~/platform/time-zones";
import { AUDIT_OUTCOMES } from "./audit-outcomes";

export const AUDIT_LOG_PAGE_SIZE = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The actions the filter offers; any other action prefix in the URL filters too. */
export const AUDIT_ACTION_FILTERS = [
  "auth.login",
  "auth.logout",
  "mfa.verify",
  "mfa.enrol",
  "mfa.reset",
  "mfa.passkeyAdded",
  "mfa.passkeyRemoved",
  "access.denied",
  "socket.connect",
  "user.create",
  "user.update",
  "institution.create",
  "institution.update",
  "audit.read",
];

/** A day that is not a real calendar day is no filter; `to` includes its whole day. */
export function auditLogQuery(timeZone: string) {
  const day = z
    .string()
    .optional()
    .transform((value) => startOfDayInZone(value ?? "", timeZone) ?? undefined);
  return z.object({
    page: pageNumber,
    actor: filterText.transform((value) => value || undefined),
    action: z
      .string()
      .optional()
      .transform((value) => value || undefined),
    outcome: filterChoice(AUDIT_OUTCOMES),
    from: day,
    to: day.transform((start) => (start ? new Date(start.getTime() + DAY_MS) : undefined)),
  });
}
