import { describe, expect, it } from "vitest";
import * as adminIndex from "~/routes/admin._index";
import * as adminAudit from "~/routes/admin.audit";
import * as adminInstitutions from "~/routes/admin.institutions._index";
import * as adminUserNew from "~/routes/admin.users.new";
import * as board from "~/routes/board";
import * as cases from "~/routes/cases._index";
import * as queue from "~/routes/queue";
import { getDb } from "~/platform/db.server";
import { get, post, run, signIn } from "../support/remix";

const PAGES = [
  { path: "/cases", loader: cases.loader, allowed: ["physician@demo.test", "physician2@demo.test", "admin@demo.test"] },
  { path: "/queue", loader: queue.loader, allowed: ["consultant@demo.test", "consultant2@demo.test"] },
  { path: "/board", loader: board.loader, allowed: ["coordinator@demo.test"] },
  { path: "/admin", loader: adminIndex.loader, allowed: ["admin@demo.test"] },
  { path: "/admin/institutions", loader: adminInstitutions.loader, allowed: ["admin@demo.test"] },
  { path: "/admin/audit", loader: adminAudit.loader, allowed: ["admin@demo.test"] },
  { path: "/admin/users/new", loader: adminUserNew.loader, allowed: ["admin@demo.test"] },
];
const ACCOUNTS = ["physician@demo.test", "physician2@demo.test", "consultant@demo.test", "consultant2@demo.test", "coordinator@demo.test", "admin@demo.test"];

describe("role pages", () => {
  it("lets each role into its own pages and answers 403 to everyone else, auditing each denial", async () => {
    const db = getDb();
    for (const email of ACCOUNTS) {
      const cookie = await signIn(email);
      const user = await db.user.findUniqueOrThrow({ where: { email } });
      for (const page of PAGES) {
        const result = await run(page.loader, { request: get(page.path, cookie) });
        const allowed = page.allowed.includes(email);
        expect(result.status, `${email} ${page.path}`).toBe(allowed ? 200 : 403);
        if (!allowed) {
          const denial = await db.auditEvent.findFirst({ where: { action: "access.denied", actorId: user.id }, orderBy: { id: "desc" } });
          expect(denial, `${email} ${page.path} audited`).toMatchObject({ outcome: "denied", actorRole: user.role });
          expect(JSON.parse(denial!.details)).toMatchObject({ path: page.path, status: 403 });
        }
      }
    }
  });

  it("refuses admin actions to non-admins on the server, whatever the UI shows", async () => {
    const cookie = await signIn("coordinator@demo.test");
    const result = await run(adminUserNew.action, {
      request: post(
        "/admin/users/new",
        {
          email: "sneaky@demo.test",
          displayName: "Sneaky",
          role: "ADMIN",
          preferredLocale: "en",
          timeZone: "UTC",
          active: "on",
          password: "long-enough-password",
        },
        cookie,
      ),
    });
    expect(result.status).toBe(403);
    expect(await getDb().user.findUnique({ where: { email: "sneaky@demo.test" } })).toBeNull();
  });
});
