/**
 * The structure of the data model, described the same way from two sides so
 * they can be compared line by line: what prisma/schema.prisma declares (read
 * by Prisma's own schema parser, see prisma-dmmf.ts) and what a migrated
 * database has (read from SQLite's pragmas or PostgreSQL's catalogs).
 *
 * One line per fact: every table, primary key, unique constraint or index,
 * foreign key (with its referential actions) and each column's nullability.
 * Names of indexes and constraints are left out (hand-written migrations
 * name them freely); column order inside a key or index is kept.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { postgresPoolConfig, type DatabaseTarget } from "~/platform/database-url.server";
import type { Datamodel, DmmfModel } from "./prisma-dmmf";

/** Prisma's names for referential actions. */
type Action = "Cascade" | "Restrict" | "NoAction" | "SetNull" | "SetDefault";

const list = (columns: string[]) => `(${columns.join(", ")})`;
const describe = {
  table: (table: string) => `${table}: table`,
  primaryKey: (table: string, columns: string[]) => `${table}: primary key ${list(columns)}`,
  unique: (table: string, columns: string[]) => `${table}: unique ${list(columns)}`,
  index: (table: string, columns: string[], extra = "") => `${table}: index ${list(columns)}${extra}`,
  foreignKey: (table: string, columns: string[], refTable: string, refColumns: string[], onDelete: Action, onUpdate: Action) =>
    `${table}: foreign key ${list(columns)} -> ${refTable} ${list(refColumns)} on delete ${onDelete} on update ${onUpdate}`,
  column: (table: string, column: string, notNull: boolean) => `${table}.${column}: ${notNull ? "NOT NULL" : "NULL"}`,
};

const tableOf = (model: DmmfModel) => model.dbName ?? model.name;

/** What the Prisma schema declares, as the lines `catalogOf` gives for a database that matches it. */
export function expectedStructure(datamodel: Datamodel): string[] {
  const models = new Map(datamodel.models.map((m) => [m.name, m]));
  const columnOf = (model: DmmfModel, field: string) => {
    const f = model.fields.find((candidate) => candidate.name === field);
    if (!f) throw new Error(`${model.name} has no field ${field}`);
    return f.dbName ?? f.name;
  };
  const lines: string[] = [];
  for (const model of datamodel.models) {
    const table = tableOf(model);
    lines.push(describe.table(table));
    for (const field of model.fields) {
      if (field.kind === "scalar" || field.kind === "enum") lines.push(describe.column(table, field.dbName ?? field.name, field.isRequired));
      if (field.kind !== "object" || !field.relationFromFields?.length) continue;
      const target = models.get(field.type)!;
      // Prisma's defaults when the schema names no action: Restrict (SetNull for an optional relation) on delete, Cascade on update.
      const onDelete = (field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull")) as Action;
      const onUpdate = (field.relationOnUpdate ?? "Cascade") as Action;
      lines.push(
        describe.foreignKey(
          table,
          field.relationFromFields.map((f) => columnOf(model, f)),
          tableOf(target),
          (field.relationToFields ?? []).map((f) => columnOf(target, f)),
          onDelete,
          onUpdate,
        ),
      );
    }
  }
  for (const index of datamodel.indexes) {
    const model = models.get(index.model)!;
    const table = tableOf(model);
    const columns = index.fields.map((f) => columnOf(model, f.name) + (f.sortOrder === "desc" ? " DESC" : ""));
    if (index.type === "id") lines.push(describe.primaryKey(table, columns));
    else if (index.type === "unique") lines.push(describe.unique(table, columns));
    else if (index.type === "normal") lines.push(describe.index(table, columns));
    else lines.push(describe.index(table, columns, ` (${index.type})`));
  }
  return lines.sort();
}

const SQLITE_ACTIONS: Record<string, Action> = {
  CASCADE: "Cascade",
  RESTRICT: "Restrict",
  "NO ACTION": "NoAction",
  "SET NULL": "SetNull",
  "SET DEFAULT": "SetDefault",
};
const POSTGRES_ACTIONS: Record<string, Action> = { c: "Cascade", r: "Restrict", a: "NoAction", n: "SetNull", d: "SetDefault" };

/** What a migrated database has, in the lines of `expectedStructure`; tables that only the migration runner or the database engine keep are left out. */
export async function catalogOf(target: DatabaseTarget): Promise<string[]> {
  return (target.provider === "sqlite" ? sqliteCatalog(target.filePath) : await postgresCatalog(target)).sort();
}

function sqliteCatalog(filePath: string): string[] {
  const db = new Database(filePath, { readonly: true });
  try {
    const lines: string[] = [];
    const tables = db
      .prepare(
        `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_tumorboard_migrations' ORDER BY name`,
      )
      .all() as { name: string }[];
    for (const { name: table } of tables) {
      lines.push(describe.table(table));
      const columns = db.prepare(`SELECT name, "notnull", pk FROM pragma_table_info(?)`).all(table) as { name: string; notnull: number; pk: number }[];
      for (const c of columns) lines.push(describe.column(table, c.name, c.notnull === 1));
      const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
      if (pk.length)
        lines.push(
          describe.primaryKey(
            table,
            pk.map((c) => c.name),
          ),
        );
      const indexes = db.prepare(`SELECT name, "unique", origin, partial FROM pragma_index_list(?)`).all(table) as {
        name: string;
        unique: number;
        origin: string;
        partial: number;
      }[];
      for (const index of indexes) {
        if (index.origin === "pk") continue; // the primary key, described above
        const keyColumns = (
          db.prepare(`SELECT name, "desc", cid FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`).all(index.name) as {
            name: string | null;
            desc: number;
            cid: number;
          }[]
        ).map((c) => (c.name ?? (c.cid === -2 ? "<expression>" : "<rowid>")) + (c.desc ? " DESC" : ""));
        const partial = index.partial ? " (partial)" : "";
        lines.push(index.unique ? describe.unique(table, keyColumns) + partial : describe.index(table, keyColumns, partial));
      }
      const keys = db.prepare(`SELECT id, seq, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`).all(table) as {
        id: number;
        seq: number;
        table: string;
        from: string;
        to: string | null;
        on_update: string;
        on_delete: string;
      }[];
      for (const id of new Set(keys.map((k) => k.id))) {
        const parts = keys.filter((k) => k.id === id);
        lines.push(
          describe.foreignKey(
            table,
            parts.map((k) => k.from),
            parts[0].table,
            parts.map((k) => k.to ?? "<primary key>"),
            SQLITE_ACTIONS[parts[0].on_delete],
            SQLITE_ACTIONS[parts[0].on_update],
          ),
        );
      }
    }
    return lines;
  } finally {
    db.close();
  }
}

async function postgresCatalog(target: Extract<DatabaseTarget, { provider: "postgresql" }>): Promise<string[]> {
  const client = new pg.Client(postgresPoolConfig(target));
  await client.connect();
  try {
    const schema = target.schema;
    const lines: string[] = [];
    const tables = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> '_tumorboard_migrations'`,
      [schema],
    );
    for (const { table_name } of tables.rows) lines.push(describe.table(table_name));
    const columns = await client.query<{ table_name: string; column_name: string; is_nullable: string }>(
      `SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = $1 AND table_name <> '_tumorboard_migrations'`,
      [schema],
    );
    for (const c of columns.rows) lines.push(describe.column(c.table_name, c.column_name, c.is_nullable === "NO"));
    const indexes = await client.query<{
      table: string;
      unique: boolean;
      primary: boolean;
      partial: boolean;
      method: string;
      columns: (string | null)[];
      desc: boolean[];
    }>(
      `SELECT t.relname AS "table", ix.indisunique AS "unique", ix.indisprimary AS "primary", ix.indpred IS NOT NULL AS "partial", am.amname AS "method",
              array(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
                    LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.n) AS "columns",
              array(SELECT (o & 1) = 1 FROM unnest(ix.indoption::int2[]) WITH ORDINALITY AS k(o, n) ORDER BY k.n) AS "desc"
         FROM pg_index ix
         JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_class i ON i.oid = ix.indexrelid
         JOIN pg_am am ON am.oid = i.relam
         JOIN pg_namespace ns ON ns.oid = t.relnamespace
        WHERE ns.nspname = $1 AND t.relname <> '_tumorboard_migrations'`,
      [schema],
    );
    for (const ix of indexes.rows) {
      const keyColumns = ix.columns.map((c, i) => (c ?? "<expression>") + (ix.desc[i] ? " DESC" : ""));
      const extra = (ix.method === "btree" ? "" : ` using ${ix.method}`) + (ix.partial ? " (partial)" : "");
      if (ix.primary) lines.push(describe.primaryKey(ix.table, keyColumns) + extra);
      else if (ix.unique) lines.push(describe.unique(ix.table, keyColumns) + extra);
      else lines.push(describe.index(ix.table, keyColumns, extra));
    }
    const keys = await client.query<{ table: string; columns: string[]; ref_table: string; ref_columns: string[]; on_delete: string; on_update: string }>(
      `SELECT t.relname AS "table", ft.relname AS "ref_table", c.confdeltype AS "on_delete", c.confupdtype AS "on_update",
              array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n) AS "columns",
              array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.n) AS "ref_columns"
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_class ft ON ft.oid = c.confrelid
         JOIN pg_namespace ns ON ns.oid = t.relnamespace
        WHERE c.contype = 'f' AND ns.nspname = $1`,
      [schema],
    );
    for (const k of keys.rows)
      lines.push(describe.foreignKey(k.table, k.columns, k.ref_table, k.ref_columns, POSTGRES_ACTIONS[k.on_delete], POSTGRES_ACTIONS[k.on_update]));
    return lines;
  } finally {
    await client.end();
  }
}

/**
 * Lines in `expected` but not in `actual` (missing from the database) and the
 * other way round (not in the schema), counted as multisets so that a
 * duplicated index shows too.
 */
export function difference(expected: string[], actual: string[]): { missing: string[]; unexpected: string[] } {
  const minus = (a: string[], b: string[]) => {
    const left = new Map<string, number>();
    for (const line of b) left.set(line, (left.get(line) ?? 0) + 1);
    return a.filter((line) => {
      const n = left.get(line) ?? 0;
      left.set(line, n - 1);
      return n <= 0;
    });
  };
  return { missing: minus(expected, actual), unexpected: minus(actual, expected) };
}
