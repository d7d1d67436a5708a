/**
 * Demo data goes in on the first start of the embedded default database, and
 * whenever SEED_DEMO=1; never in production unless SEED_DEMO=1 says so.
 */
export function demoSeedDue({
  seedDemo,
  nodeEnv,
  isDefaultDatabase,
  hasUsers,
}: {
  seedDemo?: string;
  nodeEnv?: string;
  isDefaultDatabase: boolean;
  hasUsers: boolean;
}): boolean {
  if (seedDemo === "1") return true;
  if (seedDemo === "0" || nodeEnv === "production" || !isDefaultDatabase) return false;
  return !hasUsers;
}
