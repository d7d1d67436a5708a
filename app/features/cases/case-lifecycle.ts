/**
 * The case lifecycle as one table: which action moves a case from which
 * states to which, and who may take it. The UI asks `availableActions`
 * instead of re-deciding; every action route asks `checkTransition`.
 */
import type { Role } from "~/features/identity/roles";

export const CASE_STATUSES = [
  "DRAFT",
  "SUBMITTED",
  "RETURNED",
  "TRIAGED",
  "IN_REVIEW",
  "SCHEDULED",
  "DISCUSSED",
  "OPINION_SIGNED",
  "DELIVERED",
  "ACKNOWLEDGED",
  "ARCHIVED",
  "WITHDRAWN",
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_STATUS_LABEL_KEYS: Record<CaseStatus, string> = {
  DRAFT: "cases:status.DRAFT",
  SUBMITTED: "cases:status.SUBMITTED",
  RETURNED: "cases:status.RETURNED",
  TRIAGED: "cases:status.TRIAGED",
  IN_REVIEW: "cases:status.IN_REVIEW",
  SCHEDULED: "cases:status.SCHEDULED",
  DISCUSSED: "cases:status.DISCUSSED",
  OPINION_SIGNED: "cases:status.OPINION_SIGNED",
  DELIVERED: "cases:status.DELIVERED",
  ACKNOWLEDGED: "cases:status.ACKNOWLEDGED",
  ARCHIVED: "cases:status.ARCHIVED",
  WITHDRAWN: "cases:status.WITHDRAWN",
};

/** How the actor relates to the case: the table's conditions beyond the role. */
export type CaseRelation = { ownInstitution: boolean; assigned: boolean };

type TransitionRule = {
  from: readonly CaseStatus[];
  to: CaseStatus;
  roles: readonly Role[];
  needsReason: boolean;
  relation?: keyof CaseRelation;
  /** Taken through the opinion workflow (which checks more than the case), never as a bare case action. */
  throughOpinion?: true;
};

export const TRANSITIONS = {
  submit: { from: ["DRAFT", "RETURNED"], to: "SUBMITTED", roles: ["TREATING_PHYSICIAN"], needsReason: false, relation: "ownInstitution" },
  return: { from: ["SUBMITTED", "TRIAGED"], to: "RETURNED", roles: ["COORDINATOR"], needsReason: true },
  triage: { from: ["SUBMITTED"], to: "TRIAGED", roles: ["COORDINATOR"], needsReason: false },
  startReview: { from: ["TRIAGED"], to: "IN_REVIEW", roles: ["CONSULTANT"], needsReason: false, relation: "assigned" },
  /** Signing the opinion (or an amendment of a delivered one). */
  sign: {
    from: ["IN_REVIEW", "DISCUSSED", "DELIVERED", "ACKNOWLEDGED"],
    to: "OPINION_SIGNED",
    roles: ["CONSULTANT"],
    needsReason: false,
    throughOpinion: true,
  },
  deliver: { from: ["OPINION_SIGNED"], to: "DELIVERED", roles: ["COORDINATOR"], needsReason: false, throughOpinion: true },
  acknowledge: { from: ["DELIVERED"], to: "ACKNOWLEDGED", roles: ["TREATING_PHYSICIAN"], needsReason: false, relation: "ownInstitution", throughOpinion: true },
  archive: { from: ["DELIVERED", "ACKNOWLEDGED"], to: "ARCHIVED", roles: ["COORDINATOR"], needsReason: false, throughOpinion: true },
  withdraw: {
    from: ["DRAFT", "SUBMITTED", "RETURNED", "TRIAGED", "IN_REVIEW", "SCHEDULED"],
    to: "WITHDRAWN",
    roles: ["TREATING_PHYSICIAN"],
    needsReason: true,
    relation: "ownInstitution",
  },
} as const satisfies Record<string, TransitionRule>;

export type CaseAction = keyof typeof TRANSITIONS;
export const CASE_ACTIONS = Object.keys(TRANSITIONS) as CaseAction[];

export function isCaseAction(value: unknown): value is CaseAction {
  return typeof value === "string" && value in TRANSITIONS;
}

export type TransitionCheck = { ok: true; to: CaseStatus } | { ok: false; errorKey: string };

export function checkTransition(action: CaseAction, status: CaseStatus, role: Role, relation: CaseRelation, reason?: string | null): TransitionCheck {
  const rule: TransitionRule = TRANSITIONS[action];
  if (!rule.roles.includes(role) || (rule.relation && !relation[rule.relation])) return { ok: false, errorKey: "cases:errors.actionNotAllowed" };
  if (!rule.from.includes(status)) return { ok: false, errorKey: "cases:errors.wrongStatus" };
  if (rule.needsReason && !reason?.trim()) return { ok: false, errorKey: "cases:errors.reasonRequired" };
  return { ok: true, to: rule.to };
}

/** A case action a user may take from the case page's buttons (submit and triage have their own forms, opinion steps their own pages). */
export type DirectCaseAction = Exclude<CaseAction, "submit" | "triage" | "sign" | "deliver" | "acknowledge" | "archive">;
export function isDirectCaseAction(value: unknown): value is DirectCaseAction {
  return isCaseAction(value) && value !== "submit" && value !== "triage" && !("throughOpinion" in TRANSITIONS[value]);
}

export function availableActions(status: CaseStatus, role: Role, relation: CaseRelation): CaseAction[] {
  return CASE_ACTIONS.filter((action) => {
    if ("throughOpinion" in TRANSITIONS[action]) return false;
    const check = checkTransition(action, status, role, relation, "reason");
    return check.ok;
  });
}

/** Only the treating side edits the packet, and only while it is theirs to change. */
export function packetEditable(status: CaseStatus): boolean {
  return status === "DRAFT" || status === "RETURNED";
}

export const OPEN_STATUSES: readonly CaseStatus[] = ["SUBMITTED", "RETURNED", "TRIAGED", "IN_REVIEW", "SCHEDULED", "DISCUSSED", "OPINION_SIGNED"];

/** Where consultants may draft an opinion: after review began, until the case is archived or withdrawn. */
export const OPINION_DRAFTABLE_STATUSES: readonly CaseStatus[] = ["IN_REVIEW", "SCHEDULED", "DISCUSSED", "DELIVERED", "ACKNOWLEDGED"];

/** Cases a coordinator may put on a board's agenda; putting one there makes it SCHEDULED. */
export const SCHEDULABLE_STATUSES: readonly CaseStatus[] = ["TRIAGED", "IN_REVIEW"];
/** A case taken off an agenda before it was discussed goes back to review. */
export const UNSCHEDULED_STATUS: CaseStatus = "IN_REVIEW";
