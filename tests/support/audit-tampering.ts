/** What the audit tests do as an attacker with database access, and how they run `npm run audit:verify`. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { resolveDatabaseTarget } from "~/platform/database-url.server";
import { getDb } from "~/platform/db.server";

const exec = promisify(execFile);

/** Switches the append-only guard triggers off first, as an attacker would, then runs `sql`. */
export async function withoutAppendOnlyGuard(sql: string) {
  const db = getDb();
  if (resolveDatabaseTarget().provider === "postgresql") {
    await db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
    await db.$executeRawUnsafe(sql);
    await db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
  } else {
    await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS "AuditEvent_no_update"`);
    await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS "AuditEvent_no_delete"`);
    await db.$executeRawUnsafe(sql);
  }
}

export function auditVerifyCli() {
  return exec(process.execPath, ["node_modules/tsx/dist/cli.mjs", "app/cli/audit-verify.ts"], { env: { ...process.env }, cwd: process.cwd() }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}
