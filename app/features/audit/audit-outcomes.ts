/** The outcomes an audit event records (success, denied, failure, error) and their labels. */
export const AUDIT_OUTCOMES = ["success", "denied", "failure", "error"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const AUDIT_OUTCOME_LABEL_KEYS: Record<AuditOutcome, string> = {
  success: "admin:audit.outcomes.success",
  denied: "admin:audit.outcomes.denied",
  failure: "admin:audit.outcomes.failure",
  error: "admin:audit.outcomes.error",
};

export function isAuditOutcome(value: unknown): value is AuditOutcome {
  return typeof value === "string" && (AUDIT_OUTCOMES as readonly string[]).includes(value);
}
