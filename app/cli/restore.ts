/**
 * `npm run restore -- --from <dir>`: brings a backup made by `npm run backup` into the empty installation that
 * DATABASE_URL and STORAGE_DIR name, after checking every file against the manifest; then applies newer migrations.
 */
import "~/platform/check-env.server";
import path from "node:path";
import { parseArgs } from "node:util";
import { anchorFilePath } from "~/features/audit/audit-anchor.server";
import { BackupError, restoreBackup } from "~/platform/backup.server";
import { resolveDatabaseTarget } from "~/platform/database-url.server";
import { storageRoot } from "~/platform/storage.server";

const { values } = parseArgs({ options: { from: { type: "string" } } });
if (!values.from) {
  console.error("Usage: npm run restore -- --from <backup directory>");
  process.exit(2);
}
try {
  const manifest = await restoreBackup({ target: resolveDatabaseTarget(), storageDir: storageRoot(), anchorFile: anchorFilePath() }, path.resolve(values.from));
  console.log(
    `Restored the backup of ${manifest.createdAt}: ${manifest.objects} stored files, ${manifest.slides} slides, audit events up to #${manifest.lastAuditEventId ?? 0}. ` +
      "Run npm run audit:verify to check the audit log.",
  );
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(`Restore refused: ${error.message}. Nothing was written.`);
  process.exit(1);
}
