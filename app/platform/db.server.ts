/** The one Prisma client per process (SQLite or PostgreSQL driver adapter), shared across module graphs. */
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "~/generated/postgresql/client";
import { PrismaClient as SqliteClient } from "~/generated/sqlite/client";
import type BetterSqlite3 from "better-sqlite3";
import { reusePreparedStatements } from "./sqlite-statements.server";
import { postgresPoolConfig, resolveDatabaseTarget, type DatabaseTarget } from "./database-url.server";
import { env } from "./env.server";

/**
 * Both generated clients come from the same data model (see
 * app/cli/prisma-generate.ts), so the SQLite client's type describes either.
 */
export type Db = SqliteClient;

const providers = new WeakMap<Db, DatabaseTarget["provider"]>();

export function createDb(target: DatabaseTarget): Db {
  const db =
    target.provider === "postgresql"
      ? (new PostgresClient({ adapter: new PrismaPg(postgresPoolConfig(target), { schema: target.schema }) }) as unknown as Db)
      : new SqliteClient({ adapter: tunedSqlite(new PrismaBetterSqlite3({ url: target.filePath, timeout: 10_000 })) });
  providers.set(db, target.provider);
  return db;
}

/** Which database a client talks to, for the few queries written in each one's SQL. */
export function providerOf(db: Db): DatabaseTarget["provider"] {
  return providers.get(db) ?? "sqlite";
}

/**
 * The SQLite adapter's connection runs on the event loop, so a commit that
 * waited for fsync would stall every request. With the write-ahead log,
 * synchronous=NORMAL keeps the database consistent through any crash; only a
 * power cut can lose the last commits, never a file whose row exists (files
 * are flushed before their rows are written). Prepared statements are reused.
 */
function tunedSqlite(factory: PrismaBetterSqlite3) {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const client = (adapter as unknown as { client: BetterSqlite3.Database }).client;
    client.pragma("synchronous = NORMAL");
    reusePreparedStatements(client);
    return adapter;
  };
  return factory;
}

// Kept on globalThis: server.ts, the Remix build and Vite's dev SSR modules
// each get their own copy of this module but must share one connection pool.
const holder = globalThis as typeof globalThis & { __tumorboardDb?: { db: Db; url: string | undefined } };

export function getDb(): Db {
  const url = env("DATABASE_URL");
  if (!holder.__tumorboardDb || holder.__tumorboardDb.url !== url) {
    holder.__tumorboardDb = { db: createDb(resolveDatabaseTarget(url)), url };
  }
  return holder.__tumorboardDb.db;
}

export async function disconnectDb() {
  const current = holder.__tumorboardDb;
  holder.__tumorboardDb = undefined;
  await current?.db.$disconnect();
}

/** Cheap round trip used by /healthz. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.$queryRawUnsafe("SELECT 1");
}

/** A write refused by a unique key: P2002 from the query builder, or a plain statement's driver error of that kind. */
export function isUniqueViolation(error: unknown): boolean {
  const { code, meta } = error as { code?: string; meta?: { driverAdapterError?: { cause?: { kind?: string } } } };
  return code === "P2002" || (code === "P2010" && meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation");
}
