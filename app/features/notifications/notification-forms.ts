/** The notification page's forms (mark one or all read; the kinds to receive by email) as the zod schemas both the browser (conform) and the action parse. */
import { z } from "zod";
import { EMAILED_KIND_NAMES, type StoredNotificationKind } from "./notifications";

const isEmailedKind = (kind: string) => (EMAILED_KIND_NAMES as readonly string[]).includes(kind);

const MarkAllRead = z.object({ intent: z.literal("markAllRead") });
/** An id that names none of the user's own notifications marks nothing. */
const MarkRead = z.object({ intent: z.literal("markRead"), id: z.string().max(40).optional() });
export const MarkReadForm = z.discriminatedUnion("intent", [MarkAllRead, MarkRead]);

/** The kinds ticked are emailed; a kind left unticked is not (the in-app list always has every kind). */
export const EmailChoicesForm = z.object({
  intent: z.literal("emailChoices"),
  /** An unknown kind (a stale page, a crafted post) is reported on the list as a whole, where the form shows it. */
  emailed: z
    .array(z.string().max(40))
    .max(EMAILED_KIND_NAMES.length, { message: "common:notifications.email.invalid" })
    .refine((kinds): kinds is StoredNotificationKind[] => kinds.every(isEmailedKind), { message: "common:notifications.email.invalid" })
    .optional(),
});

export const NotificationsPageForm = z.discriminatedUnion("intent", [MarkAllRead, MarkRead, EmailChoicesForm]);
