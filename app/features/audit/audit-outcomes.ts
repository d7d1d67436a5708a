export const AUDIT_OUTCOMES = ["success", "denied", "failure", "error"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
