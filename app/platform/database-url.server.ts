/** Reads DATABASE_URL into a target: a SQLite file, or a PostgreSQL URL and schema. */
import path from "node:path";
import { DEFAULT_DATABASE_URL, env } from "./env.server";

export { DEFAULT_DATABASE_URL };

export type DatabaseTarget =
  | { provider: "sqlite"; url: string; filePath: string; isDefault: boolean }
  | { provider: "postgresql"; url: string; connectionString: string; schema: string; isDefault: false };

/** Reads DATABASE_URL (SQLite `file:` path or `postgresql://` URL, optional `?schema=`). */
export function resolveDatabaseTarget(url = env("DATABASE_URL")): DatabaseTarget {
  if (!url) return sqliteTarget(DEFAULT_DATABASE_URL, true);
  if (/^postgres(ql)?:\/\//.test(url)) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get("schema") ?? "public";
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) throw new Error(`Unsupported schema name in DATABASE_URL: ${schema}`);
    parsed.searchParams.delete("schema");
    return { provider: "postgresql", url, connectionString: parsed.toString(), schema, isDefault: false };
  }
  if (url.startsWith("file:")) return sqliteTarget(url, url === DEFAULT_DATABASE_URL);
  throw new Error("DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)");
}

function sqliteTarget(url: string, isDefault: boolean): DatabaseTarget {
  const filePath = path.resolve(url.slice("file:".length));
  return { provider: "sqlite", url, filePath, isDefault };
}

/** pg connection options that put the target schema first on the search path. */
export function postgresPoolConfig(target: Extract<DatabaseTarget, { provider: "postgresql" }>) {
  return { connectionString: target.connectionString, options: `-c search_path="${target.schema}"` };
}
