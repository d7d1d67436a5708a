/**
 * `npm run backup -- --out <dir>`: a consistent snapshot of the database named by DATABASE_URL with the stored files it
 * refers to (STORAGE_DIR) and the audit anchors, and a manifest of hashes. Safe while the server runs.
 */
import "~/platform/check-env.server";
import path from "node:path";
import { parseArgs } from "node:util";
import { anchorFilePath } from "~/features/audit/audit-anchor.server";
import { BackupError, createBackup } from "~/platform/backup.server";
import { resolveDatabaseTarget } from "~/platform/database-url.server";
import { storageRoot } from "~/platform/storage.server";

const { values } = parseArgs({ options: { out: { type: "string" } } });
if (!values.out) {
  console.error("Usage: npm run backup -- --out <empty or new directory>");
  process.exit(2);
}
try {
  const manifest = await createBackup({ target: resolveDatabaseTarget(), storageDir: storageRoot(), anchorFile: anchorFilePath() }, path.resolve(values.out));
  console.log(
    `Backup written to ${path.resolve(values.out)}: the ${manifest.database.provider} database, ${manifest.objects} stored files, ` +
      `${manifest.slides} slides, audit events up to #${manifest.lastAuditEventId ?? 0}; ${manifest.files.length} files listed in manifest.json.`,
  );
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(`Backup failed: ${error.message}.`);
  process.exit(1);
}
