import { describe, expect, it } from "vitest";
import { can, navigationFor, PERMISSIONS, type Actor, type Permission } from "~/features/identity/permissions";
import { ROLES, type Role } from "~/features/identity/roles";

const actor = (role: Role, active = true): Actor => ({ id: "u1", role, institutionId: null, active });

describe("permissions", () => {
  it("grants each permission to exactly the roles in the table", () => {
    for (const [permission, roles] of Object.entries(PERMISSIONS)) {
      for (const role of ROLES) {
        expect(can(actor(role), permission as Permission), `${role} ${permission}`).toBe((roles as readonly string[]).includes(role));
      }
    }
  });

  it("denies by default: no actor, disabled actors and unknown permissions", () => {
    expect(can(null, "audit.read")).toBe(false);
    expect(can(actor("ADMIN", false), "audit.read")).toBe(false);
    expect(can(actor("ADMIN"), "cases.delete" as Permission)).toBe(false);
    expect(can({ ...actor("ADMIN"), role: "SUPERUSER" as Role }, "audit.read")).toBe(false);
  });

  it("keeps admin pages out of clinicians' navigation", () => {
    expect(navigationFor(actor("TREATING_PHYSICIAN")).map((i) => i.to)).toEqual(["/cases", "/sessions", "/inbox", "/search", "/glossary"]);
    expect(navigationFor(actor("CONSULTANT")).map((i) => i.to)).toEqual(["/queue", "/sessions", "/search", "/glossary"]);
    expect(navigationFor(actor("COORDINATOR")).map((i) => i.to)).toEqual(["/board", "/sessions", "/search", "/reports", "/glossary"]);
    expect(navigationFor(actor("ADMIN")).map((i) => i.to)).toEqual(["/cases", "/admin", "/admin/institutions", "/admin/audit"]);
  });
});
