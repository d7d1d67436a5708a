/** Institution kinds, and which kind an account of each role must belong to. */
import { ROLES, type Role } from "./roles";

export const INSTITUTION_KINDS = ["TREATING", "CONSULTING"] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export const INSTITUTION_KIND_LABEL_KEYS: Record<InstitutionKind, string> = {
  TREATING: "admin:institutionKinds.TREATING",
  CONSULTING: "admin:institutionKinds.CONSULTING",
};

/**
 * Which kind of institution an account of each role must belong to; null
 * means the role may have an institution of either kind, or none.
 */
export const REQUIRED_INSTITUTION_KIND: Record<Role, InstitutionKind | null> = {
  TREATING_PHYSICIAN: "TREATING",
  CONSULTANT: "CONSULTING",
  COORDINATOR: null,
  ADMIN: null,
  INTERPRETER: null,
};

/** The roles whose accounts need an institution of one kind: an institution with such members keeps its kind. */
export const ROLES_BOUND_TO_KIND: readonly Role[] = ROLES.filter((role) => REQUIRED_INSTITUTION_KIND[role] !== null);

/** Returns an i18n error key when the role and institution do not fit together. */
export function institutionMismatch(role: Role, institution: { kind: string } | null): string | null {
  const required = REQUIRED_INSTITUTION_KIND[role];
  if (!required) return null;
  if (!institution) return "admin:errors.institutionRequired";
  return institution.kind === required ? null : `admin:errors.institutionKind${required === "TREATING" ? "Treating" : "Consulting"}`;
}
