/**
 * The live case discussion's Socket.IO events and room, shared by the browser
 * and the server: a page watches one case and receives its new comments. Every
 * payload a client sends is validated on the server with these schemas.
 */
import { z } from "zod";

export const CaseCommentSchema = z.object({ id: z.string(), author: z.string(), language: z.string(), body: z.string(), createdAt: z.string() });
export type LiveCaseComment = z.infer<typeof CaseCommentSchema>;
export const WatchCaseSchema = z.object({ caseId: z.string().min(1).max(40) });

export type CaseServerEvents = {
  "case:comment": (comment: LiveCaseComment & { caseId: string }) => void;
};

export type CaseClientEvents = {
  /** Live updates of one case's discussion; the server checks the case may be seen. */
  "case:watch": (payload: z.infer<typeof WatchCaseSchema>, ack: (reply: { ok: boolean }) => void) => void;
};

export const caseRoom = (caseId: string) => `case:${caseId}`;
