import { describe, expect, it } from "vitest";
import { can, homeOf, navigationFor, PERMISSIONS, type Actor, type Permission } from "~/features/identity/permissions";
import { ROLES, type Role } from "~/features/identity/roles";

const actor = (role: Role, active = true): Actor => ({ id: "u1", role, institutionId: null, active });

const P = "TREATING_PHYSICIAN";
const CONS = "CONSULTANT";
const CO = "COORDINATOR";
const A = "ADMIN";
const I = "INTERPRETER";

/** Who holds each permission, written out by hand: a change to the table must be made here too. */
const EXPECTED: Record<Permission, Role[]> = {
  "cases.viewInstitution": [P],
  "cases.viewAssigned": [CONS],
  "cases.viewBoard": [CO],
  "cases.viewMetadata": [A],
  "cases.create": [P],
  "imaging.inbox": [P],
  "glossary.read": [P, CONS, CO, I],
  "glossary.edit": [CO],
  "accounts.manage": [A],
  "institutions.manage": [A],
  "audit.read": [A],
  "sessions.view": [P, CONS, CO, I],
  "sessions.schedule": [CO],
  "search.use": [P, CONS, CO],
  "reports.view": [CO],
  "compliance.crossBorder": [CO, A],
  "notifications.receive": [P, CONS, CO, A, I],
};

describe("permissions", () => {
  it("lists every permission of the table here, and no other", () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  describe.each(Object.entries(EXPECTED) as [Permission, Role[]][])("%s", (permission, holders) => {
    it.each(ROLES)(`for an active %s`, (role) => {
      expect(can(actor(role), permission)).toBe(holders.includes(role));
    });

    it.each(ROLES)(`never for a disabled %s`, (role) => {
      expect(can(actor(role, false), permission)).toBe(false);
    });

    it("never without an actor, or for an unknown role", () => {
      expect(can(null, permission)).toBe(false);
      expect(can(undefined, permission)).toBe(false);
      expect(can({ ...actor(A), role: "SUPERUSER" as Role }, permission)).toBe(false);
    });
  });

  it("denies a permission the table does not hold to every role", () => {
    for (const role of ROLES) {
      expect(can(actor(role), "cases.delete" as Permission), role).toBe(false);
      expect(can(actor(role), "toString" as Permission), role).toBe(false);
      expect(can(actor(role), "__proto__" as Permission), role).toBe(false);
    }
  });

  it("keeps admin pages out of clinicians' navigation", () => {
    expect(navigationFor(actor("TREATING_PHYSICIAN")).map((i) => i.to)).toEqual(["/cases", "/sessions", "/inbox", "/search", "/glossary"]);
    expect(navigationFor(actor("CONSULTANT")).map((i) => i.to)).toEqual(["/queue", "/sessions", "/search", "/glossary"]);
    expect(navigationFor(actor("COORDINATOR")).map((i) => i.to)).toEqual([
      "/board",
      "/sessions",
      "/search",
      "/reports",
      "/glossary",
      "/compliance/cross-border",
    ]);
    expect(navigationFor(actor("ADMIN")).map((i) => i.to)).toEqual([
      "/cases",
      "/admin",
      "/admin/institutions",
      "/admin/security",
      "/admin/audit",
      "/compliance/cross-border",
    ]);
    // An interpreter sees the boards they are invited to and the glossary they translate with, nothing of the cases.
    expect(navigationFor(actor("INTERPRETER")).map((i) => i.to)).toEqual(["/sessions", "/glossary"]);
  });

  it("shows a disabled actor no navigation", () => {
    for (const role of ROLES) expect(navigationFor(actor(role, false)), role).toEqual([]);
  });
});

describe("homeOf", () => {
  it("lands each role on its own page", () => {
    expect(homeOf({ role: "TREATING_PHYSICIAN" })).toBe("/cases");
    expect(homeOf({ role: "CONSULTANT" })).toBe("/queue");
    expect(homeOf({ role: "COORDINATOR" })).toBe("/board");
    expect(homeOf({ role: "ADMIN" })).toBe("/admin");
    expect(homeOf({ role: "INTERPRETER" })).toBe("/sessions");
  });

  it("lands each role on a page its own navigation offers", () => {
    for (const role of ROLES)
      expect(
        navigationFor(actor(role)).map((i) => i.to),
        role,
      ).toContain(homeOf({ role }));
  });

  it("sends an unknown role to the site root", () => {
    expect(homeOf({ role: "SUPERUSER" })).toBe("/");
    expect(homeOf({ role: "" })).toBe("/");
    expect(homeOf({ role: "toString" })).toBe("/");
  });
});
