/** The notification list's forms (mark one or all read) as the zod schema both the browser (conform) and the action parse. */
import { z } from "zod";

export const MarkReadForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("markAllRead") }),
  /** An id that names none of the user's own notifications marks nothing. */
  z.object({ intent: z.literal("markRead"), id: z.string().optional() }),
]);
