/** The notification page's forms (mark one or all read; the kinds to receive by email) as the zod schemas both the browser (conform) and the action parse. */
import { z } from "zod";
import { EMAILED_KIND_NAMES } from "./notifications";

const MarkAllRead = z.object({ intent: z.literal("markAllRead") });
/** An id that names none of the user's own notifications marks nothing. */
const MarkRead = z.object({ intent: z.literal("markRead"), id: z.string().max(40).optional() });
export const MarkReadForm = z.discriminatedUnion("intent", [MarkAllRead, MarkRead]);

/** The kinds ticked are emailed; a kind left unticked is not (the in-app list always has every kind). */
export const EmailChoicesForm = z.object({
  intent: z.literal("emailChoices"),
  emailed: z
    .array(z.enum(EMAILED_KIND_NAMES, { message: "common:notifications.email.invalid" }))
    .max(EMAILED_KIND_NAMES.length)
    .optional(),
});

export const NotificationsPageForm = z.discriminatedUnion("intent", [MarkAllRead, MarkRead, EmailChoicesForm]);
