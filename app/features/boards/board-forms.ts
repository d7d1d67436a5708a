/** The session page's agenda forms and the cancel form as the zod schemas both the browser (conform) and the actions parse. */
import type { SubmissionResult } from "@conform-to/react";
import { z } from "zod";
import { MAX_ITEM_MINUTES, MIN_ITEM_MINUTES } from "./board-schedule";

const itemId = z.string({ required_error: "sessions:errors.itemNotFound" }).min(1, "sessions:errors.itemNotFound");
const minutesInvalid = "sessions:errors.minutesInvalid";

export const AddCaseForm = z.object({
  intent: z.literal("addCase"),
  caseId: z.string({ required_error: "sessions:errors.caseNotSchedulable" }).min(1, "sessions:errors.caseNotSchedulable"),
});

export const RemoveItemForm = z.object({ intent: z.literal("removeItem"), itemId });

/** One place up or down, from the row's buttons (keyboard and screen readers). */
export const MoveItemForm = z.object({ intent: z.enum(["moveUp", "moveDown"]), itemId });

/** The whole order after a drag: every item's id, first to last. */
export const ReorderForm = z.object({ intent: z.literal("reorder"), order: z.array(z.string()).default([]) });

export const ItemMinutesForm = z.object({
  intent: z.literal("setMinutes"),
  itemId,
  minutes: z
    .number({ required_error: minutesInvalid, invalid_type_error: minutesInvalid })
    .int(minutesInvalid)
    .min(MIN_ITEM_MINUTES, minutesInvalid)
    .max(MAX_ITEM_MINUTES, minutesInvalid),
});

/** Every change the agenda editor posts, told apart by its intent. */
export const AgendaChangeForm = z.discriminatedUnion("intent", [AddCaseForm, RemoveItemForm, MoveItemForm, ReorderForm, ItemMinutesForm]);
export type AgendaChange = z.infer<typeof AgendaChangeForm>;
export const AGENDA_INTENTS = ["addCase", "removeItem", "moveUp", "moveDown", "reorder", "setMinutes"] as const satisfies readonly AgendaChange["intent"][];
export const isAgendaIntent = (value: unknown): value is AgendaChange["intent"] =>
  typeof value === "string" && (AGENDA_INTENTS as readonly string[]).includes(value);

export const CancelSessionForm = z.object({ intent: z.literal("cancelSession") });

/** What the session page's action answers an agenda change with: the editor shows `error`, conform reads `result`. */
export type AgendaReply = { intent: string; itemId: string | null; error: string | null; result?: SubmissionResult<string[]> };
