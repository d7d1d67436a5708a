/** The opinion page's form intents, each handed to its step in the opinion workflow with the fields it takes. */
import { parseJsonOrNull } from "~/platform/json";
import type { CaseCaller } from "~/features/cases/case-access.server";
import { getDb } from "~/platform/db.server";
import {
  acknowledge,
  answerQuestion,
  archive,
  askQuestion,
  decideEnglishOnly,
  deliver,
  reportOutcome,
  saveSection,
  signDraft,
  startAmendment,
  startOpinion,
  type OpinionStepResult,
} from "./opinion-workflow.server";

function reviewedVersions(text: string): Record<string, number> {
  const parsed = parseJsonOrNull(text);
  if (!parsed || typeof parsed !== "object") return {};
  return Object.fromEntries(Object.entries(parsed).filter(([, v]) => Number.isInteger(v))) as Record<string, number>;
}

export async function runOpinionIntent({ user, facts, meta, db = getDb() }: CaseCaller, intent: string, form: FormData): Promise<OpinionStepResult> {
  const field = (name: string) => String(form.get(name) ?? "");
  const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  switch (intent) {
    case "start":
      return startOpinion(db, user, facts, field("origin") === "BOARD" ? "BOARD" : "SCRATCH", meta);
    case "amend":
      return startAmendment(db, user, facts, field("reason"), meta);
    case "saveSection":
    case "translate":
      return saveSection(db, user, facts, fields, meta);
    case "sign":
      return signDraft(db, user, facts, { opinionId: field("opinionId"), password: field("password"), reviewedVersions: reviewedVersions(field("reviewedVersions")) }, meta);
    case "englishOnly":
      return decideEnglishOnly(db, user, facts, { opinionId: field("opinionId"), englishOnly: field("englishOnly") === "true" }, meta);
    case "deliver":
      return deliver(db, user, facts, { opinionId: field("opinionId"), recipients: form.getAll("recipient").map(String) }, meta);
    case "acknowledge":
      return acknowledge(db, user, facts, field("opinionId"), meta);
    case "ask":
      return askQuestion(db, user, facts, { opinionId: field("opinionId"), question: field("question") }, meta);
    case "answer":
      return answerQuestion(db, user, facts, { opinionId: field("opinionId"), followUpId: field("followUpId"), answer: field("answer") }, meta);
    case "outcome":
      return reportOutcome(db, user, facts, fields, meta);
    case "archive":
      return archive(db, user, facts, meta);
    default:
      return { ok: false, status: 400, formError: "cases:errors.actionNotAllowed" };
  }
}
