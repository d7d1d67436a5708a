/**
 * Keeps prepared SQLite statements for reuse. The Prisma adapter prepares
 * every query afresh, and preparing costs as much as running a simple query.
 * better-sqlite3 binds parameters to a statement for good, so callers get a
 * light stand-in that passes the parameters to each call instead.
 */
import type BetterSqlite3 from "better-sqlite3";

type Statement = BetterSqlite3.Statement<unknown[]>;

function standIn(statement: Statement, bound: unknown[] = []) {
  return {
    get reader() {
      return statement.reader;
    },
    bind: (args: unknown[]) => standIn(statement, args),
    run: (...args: unknown[]) => statement.run(...bound, ...args),
    get: (...args: unknown[]) => statement.raw(false).get(...bound, ...args),
    all: (...args: unknown[]) => statement.raw(false).all(...bound, ...args),
    columns: () => statement.columns(),
    raw: () => ({ all: (...args: unknown[]) => statement.raw(true).all(...bound, ...args) }),
  };
}

export function reusePreparedStatements(db: BetterSqlite3.Database, capacity = 500) {
  const prepare = db.prepare.bind(db) as (sql: string) => Statement;
  const cache = new Map<string, Statement>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql);
    } else {
      statement = prepare(sql);
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return standIn(statement);
  }) as unknown as BetterSqlite3.Database["prepare"];
}
