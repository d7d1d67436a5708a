/** The roles and their labels. An interpreter is invited to a board to read and translate in its room, and does nothing else. */
export const ROLES = ["TREATING_PHYSICIAN", "CONSULTANT", "COORDINATOR", "ADMIN", "INTERPRETER"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export const ROLE_LABEL_KEYS: Record<Role, string> = {
  TREATING_PHYSICIAN: "common:roles.TREATING_PHYSICIAN",
  CONSULTANT: "common:roles.CONSULTANT",
  COORDINATOR: "common:roles.COORDINATOR",
  ADMIN: "common:roles.ADMIN",
  INTERPRETER: "common:roles.INTERPRETER",
};
