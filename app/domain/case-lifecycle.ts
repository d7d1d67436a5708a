/**
 * The case lifecycle as one table: which action moves a case from which
 * states to which, and who may take it. The UI asks `availableActions`
 * instead of re-deciding; every action route asks `checkTransition`.
 */
import type { Role } from "./roles";

export const CASE_STATUSES = ["DRAFT", "SUBMITTED", "RETURNED", "TRIAGED", "IN_REVIEW", "SCHEDULED", "DISCUSSED", "WITHDRAWN"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_STATUS_LABEL_KEYS: Record<CaseStatus, string> = {
  DRAFT: "cases:status.DRAFT",
  SUBMITTED: "cases:status.SUBMITTED",
  RETURNED: "cases:status.RETURNED",
  TRIAGED: "cases:status.TRIAGED",
  IN_REVIEW: "cases:status.IN_REVIEW",
  SCHEDULED: "cases:status.SCHEDULED",
  DISCUSSED: "cases:status.DISCUSSED",
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
};

export const TRANSITIONS = {
  submit: { from: ["DRAFT", "RETURNED"], to: "SUBMITTED", roles: ["TREATING_PHYSICIAN"], needsReason: false, relation: "ownInstitution" },
  return: { from: ["SUBMITTED", "TRIAGED"], to: "RETURNED", roles: ["COORDINATOR"], needsReason: true },
  triage: { from: ["SUBMITTED"], to: "TRIAGED", roles: ["COORDINATOR"], needsReason: false },
  startReview: { from: ["TRIAGED"], to: "IN_REVIEW", roles: ["CONSULTANT"], needsReason: false, relation: "assigned" },
  withdraw: { from: ["DRAFT", "SUBMITTED", "RETURNED", "TRIAGED", "IN_REVIEW", "SCHEDULED"], to: "WITHDRAWN", roles: ["TREATING_PHYSICIAN"], needsReason: true, relation: "ownInstitution" },
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

export function availableActions(status: CaseStatus, role: Role, relation: CaseRelation): CaseAction[] {
  return CASE_ACTIONS.filter((action) => {
    const check = checkTransition(action, status, role, relation, "reason");
    return check.ok;
  });
}

/** Only the treating side edits the packet, and only while it is theirs to change. */
export function packetEditable(status: CaseStatus): boolean {
  return status === "DRAFT" || status === "RETURNED";
}

export const OPEN_STATUSES: readonly CaseStatus[] = ["SUBMITTED", "RETURNED", "TRIAGED", "IN_REVIEW", "SCHEDULED", "DISCUSSED"];

/** Cases a coordinator may put on a board's agenda; putting one there makes it SCHEDULED. */
export const SCHEDULABLE_STATUSES: readonly CaseStatus[] = ["TRIAGED", "IN_REVIEW"];
/** A case taken off an agenda before it was discussed goes back to review. */
export const UNSCHEDULED_STATUS: CaseStatus = "IN_REVIEW";
