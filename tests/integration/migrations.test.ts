import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { postgresPoolConfig, resolveDatabaseTarget, type DatabaseTarget } from "~/platform/database-url.server";
import { loadMigrations, migrate, MigrationMismatchError } from "~/platform/migrate.server";
import { getDatamodel } from "../support/prisma-dmmf";
import { catalogOf, difference, expectedStructure } from "../support/schema-drift";
import { freshDatabaseUrl } from "../support/test-database";

const migrationsRoot = fileURLToPath(new URL("../../prisma/migrations/", import.meta.url));

async function columnsOf(target: DatabaseTarget, table: string): Promise<string[]> {
  if (target.provider === "sqlite") {
    const db = new Database(target.filePath, { readonly: true });
    try {
      return (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client(postgresPoolConfig(target));
  await client.connect();
  try {
    const { rows } = await client.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2",
      [target.schema, table],
    );
    return rows.map((r) => r.column_name);
  } finally {
    await client.end();
  }
}

/** Model name -> scalar field names, read from the schema that generates the clients. */
function scalarColumnsBySchemaModel(): Map<string, string[]> {
  const schema = readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8");
  const scalar = /^(String|Int|BigInt|Float|Decimal|Boolean|DateTime|Json|Bytes)\??$/;
  const models = new Map<string, string[]>();
  for (const [, name, body] of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const fields = body
      .split("\n")
      .map((line) => line.trim().split(/\s+/))
      .filter(([field, type]) => field && !field.startsWith("@@") && !field.startsWith("//") && type && scalar.test(type))
      .map(([field]) => field);
    models.set(name, fields);
  }
  return models;
}

/** Columns a database keeps beside the data model only for its own indexes; the application never reads or writes them. */
const INDEX_ONLY_COLUMNS: Record<string, Record<string, string[]>> = { postgresql: { SearchDocument: ["tokensTsv"] } };

/**
 * What a migrated database keeps beyond the Prisma data model, on purpose:
 * the full-text search structures of 0014_search_index, which the application
 * reaches only through raw SQL. These are not drift; every other difference
 * between the schema and a migrated database fails the drift test below.
 * Each line must exist (an entry that no longer matches anything fails too).
 */
const DATABASE_ONLY: Record<DatabaseTarget["provider"], { lines: string[]; tablePrefixes: string[] }> = {
  sqlite: {
    lines: [
      // The FTS5 table over SearchDocument.tokens.
      "SearchDocumentFts: table",
      "SearchDocumentFts.tokens: NULL",
      // A stable integer rowid per document for the FTS5 table.
      "SearchDocumentFtsRow: table",
      "SearchDocumentFtsRow.rowid: NULL",
      "SearchDocumentFtsRow.docId: NOT NULL",
      "SearchDocumentFtsRow: primary key (rowid)",
      "SearchDocumentFtsRow: unique (docId)",
    ],
    // FTS5's shadow tables (_config, _data, _docsize, _idx), made and shaped by SQLite itself.
    tablePrefixes: ["SearchDocumentFts_"],
  },
  postgresql: {
    lines: [
      // The stored tsvector of SearchDocument.tokens and its GIN index.
      "SearchDocument.tokensTsv: NULL",
      "SearchDocument: index (tokensTsv) using gin",
    ],
    tablePrefixes: [],
  },
};

describe("migration runner", () => {
  it("creates every table and column of the Prisma data model", async () => {
    const target = resolveDatabaseTarget();
    const models = scalarColumnsBySchemaModel();
    expect(models.size).toBeGreaterThanOrEqual(6);
    for (const [model, expected] of models) {
      const indexOnly = INDEX_ONLY_COLUMNS[target.provider]?.[model] ?? [];
      expect((await columnsOf(target, model)).sort(), model).toEqual([...expected, ...indexOnly].sort());
    }
  });

  it("matches the Prisma schema's primary keys, unique constraints, indexes, foreign keys and nullability", async () => {
    const target = resolveDatabaseTarget();
    const datamodel = getDatamodel(fileURLToPath(new URL("../../prisma/schema.prisma", import.meta.url)));
    expect(datamodel.models.length).toBeGreaterThanOrEqual(30);
    const expected = expectedStructure(datamodel);
    const actual = await catalogOf(target);
    const { lines, tablePrefixes } = DATABASE_ONLY[target.provider];
    const databaseOnly = (line: string) => lines.includes(line) || tablePrefixes.some((prefix) => line.startsWith(prefix));
    const { missing, unexpected } = difference(expected, actual);
    expect({ missing, unexpected: unexpected.filter((line) => !databaseOnly(line)) }, "drift between prisma/schema.prisma and the migrations").toEqual({
      missing: [],
      unexpected: [],
    });
    expect(
      lines.filter((line) => !actual.includes(line)),
      "allowed database-only lines that no longer exist",
    ).toEqual([]);
    for (const prefix of tablePrefixes)
      expect(
        actual.some((line) => line.startsWith(prefix)),
        prefix,
      ).toBe(true);
  });

  it("is idempotent", async () => {
    expect(await migrate(resolveDatabaseTarget())).toEqual([]);
  });

  it("lets two servers start at once without applying anything twice", async () => {
    const target = resolveDatabaseTarget(freshDatabaseUrl());
    const [a, b] = await Promise.all([migrate(target), migrate(target)]);
    expect([...a, ...b].sort()).toEqual(loadMigrations(target.provider).map((m) => m.name));
  });

  it("refuses to start when an applied migration's file has changed", async () => {
    const target = resolveDatabaseTarget(freshDatabaseUrl());
    const copy = mkdtempSync(path.join(os.tmpdir(), "tb-migrations-"));
    cpSync(migrationsRoot, copy, { recursive: true });
    await migrate(target, loadMigrations(target.provider, copy));
    const file = path.join(copy, target.provider, "0001_foundation", "migration.sql");
    writeFileSync(file, "-- edited after release\n", { flag: "a" });
    await expect(migrate(target, loadMigrations(target.provider, copy))).rejects.toThrow(MigrationMismatchError);
  });

  it("rolls back a migration that fails half-way", async () => {
    const target = resolveDatabaseTarget(freshDatabaseUrl());
    const good = loadMigrations(target.provider);
    const broken = { name: "9999_broken", sql: 'CREATE TABLE "Half" ("id" INTEGER);\nTHIS IS NOT SQL;', checksum: "x" };
    await expect(migrate(target, [...good, broken])).rejects.toThrow();
    expect(await columnsOf(target, "Half")).toEqual([]);
    expect(await migrate(target, good)).toEqual([]);
  });
});

/** Raw SQL on the target, foreign keys not enforced (the rows stand alone). */
async function execute(target: DatabaseTarget, sql: string, params: (string | null)[] = []): Promise<Record<string, unknown>[]> {
  if (target.provider === "sqlite") {
    const db = new Database(target.filePath);
    try {
      db.pragma("foreign_keys = OFF");
      const statement = db.prepare(sql.replace(/\$\d+/g, "?"));
      return statement.reader ? (statement.all(...params) as Record<string, unknown>[]) : (statement.run(...params), []);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client(postgresPoolConfig(target));
  await client.connect();
  try {
    await client.query("SET session_replication_role = replica");
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe("upgrading to due notices", () => {
  it("counts cases already overdue as told, so the first sweep after the upgrade sends no storm of stale notices", async () => {
    const target = resolveDatabaseTarget(freshDatabaseUrl());
    const all = loadMigrations(target.provider);
    const upTo = all.findIndex((m) => m.name.endsWith("_due_notices_from_now"));
    expect(upTo).toBeGreaterThan(0);
    await migrate(target, all.slice(0, upTo));
    const stamp = (d: Date) => (target.provider === "sqlite" ? d.toISOString().replace("Z", "+00:00") : d.toISOString());
    const now = Date.now();
    const insert = `INSERT INTO "Case" ("id", "code", "institutionId", "createdById", "status", "updatedAt", "dueAt") VALUES ($1, $2, 'i', 'u', 'IN_REVIEW', $3, $4)`;
    await execute(target, insert, ["long-overdue", "C-1", stamp(new Date(now)), stamp(new Date(now - 90 * 86_400_000))]);
    await execute(target, insert, ["due-later", "C-2", stamp(new Date(now)), stamp(new Date(now + 86_400_000))]);
    await migrate(target, all);
    const rows = await execute(target, `SELECT "id", "overdueNoticeAt", "dueSoonNoticeAt" FROM "Case" ORDER BY "id"`);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get("long-overdue")?.overdueNoticeAt).not.toBeNull();
    expect(byId.get("long-overdue")?.dueSoonNoticeAt).not.toBeNull();
    // A case not yet due still hears "due soon" and "overdue" when its time comes.
    expect(byId.get("due-later")).toMatchObject({ overdueNoticeAt: null, dueSoonNoticeAt: null });
  });
});

describe("upgrading to coded clinical values", () => {
  it("codes what names exactly one code, keeps every typed value beside it, and leaves the rest as typed", async () => {
    const target = resolveDatabaseTarget(freshDatabaseUrl());
    const all = loadMigrations(target.provider);
    const upTo = all.findIndex((m) => m.name.endsWith("_coded_clinical_values"));
    expect(upTo).toBeGreaterThan(0);
    await migrate(target, all.slice(0, upTo));
    const now = target.provider === "sqlite" ? new Date().toISOString().replace("Z", "+00:00") : new Date().toISOString();
    // PostgreSQL checks the foreign keys of a row the migration updates twice, so the case's hospital and author exist.
    await execute(
      target,
      `INSERT INTO "Institution" ("id", "nameEn", "nameZh", "country", "timeZone", "kind", "updatedAt") VALUES ('i', 'H', '医院', 'CN', 'Asia/Shanghai', 'TREATING', $1)`,
      [now],
    );
    await execute(
      target,
      `INSERT INTO "User" ("id", "email", "displayName", "passwordHash", "role", "timeZone", "updatedAt") VALUES ('u', 'u@example.org', 'U', 'x', 'TREATING_PHYSICIAN', 'Asia/Shanghai', $1)`,
      [now],
    );
    const insertCase = `INSERT INTO "Case" ("id", "code", "institutionId", "createdById", "status", "updatedAt", "primarySite", "histology", "icdO3Code") VALUES ($1, $2, 'i', 'u', 'SUBMITTED', $3, $4, $5, $6)`;
    await execute(target, insertCase, ["lung", "C-1", now, "右肺上叶", "腺癌", null]);
    await execute(target, insertCase, ["english", "C-2", now, "Upper lobe, lung", "Adenocarcinoma, NOS", null]);
    await execute(target, insertCase, ["two-sites", "C-3", now, "左颈部淋巴结、胃", "弥漫大B细胞淋巴瘤，非生发中心型", null]);
    // A morphology chosen before the upgrade is kept, whatever the histology text says.
    await execute(target, insertCase, ["chosen", "C-4", now, "胃", "腺癌", "8490/3"]);
    const insertLine = `INSERT INTO "TreatmentLine" ("id", "caseId", "lineNumber", "regimen", "reasonStopped") VALUES ($1, 'lung', $2, $3, $4)`;
    await execute(target, insertLine, ["doublet", "1", "培美曲塞+卡铂", null]);
    await execute(target, insertLine, ["dosed", "2", "奥希替尼 80 mg qd", "疾病进展（肺内病灶增大，新发肝转移）"]);
    await execute(target, insertLine, ["english-drug", "3", "Osimertinib", "toxicity"]);
    await execute(target, insertLine, ["unknown-drug", "4", "奥希替尼联合某试验药", "医生建议"]);
    await execute(target, insertLine, ["radiotherapy", "5", "胸部放疗 60 Gy/30次", null]);
    const insertMarker = `INSERT INTO "Biomarker" ("id", "caseId", "position", "gene", "alteration", "result") VALUES ($1, 'lung', $2, $3, $4, $5)`;
    await execute(target, insertMarker, ["coded-marker", "0", "MET", "exon 14 skipping", "阳性"]);
    await execute(target, insertMarker, ["free-marker", "1", "EGFR", "L858R", "60%（22C3）"]);
    await execute(target, insertMarker, ["half-marker", "2", "ALK", "融合", "见报告"]);
    await migrate(target, all);

    const cases = new Map((await execute(target, `SELECT "id", "primarySiteCode", "primarySite", "icdO3Code", "histology" FROM "Case"`)).map((r) => [r.id, r]));
    expect(cases.get("lung")).toMatchObject({ primarySiteCode: "C34.1", primarySite: "右肺上叶", icdO3Code: "8140/3", histology: "腺癌" });
    expect(cases.get("english")).toMatchObject({ primarySiteCode: "C34.1", icdO3Code: "8140/3" });
    expect(cases.get("two-sites")).toMatchObject({
      primarySiteCode: null,
      primarySite: "左颈部淋巴结、胃",
      icdO3Code: null,
      histology: "弥漫大B细胞淋巴瘤，非生发中心型",
    });
    expect(cases.get("chosen")).toMatchObject({ primarySiteCode: "C16.9", icdO3Code: "8490/3", histology: "腺癌" });

    const lines = new Map((await execute(target, `SELECT "id", "drugs", "regimen", "stopReason", "reasonStopped" FROM "TreatmentLine"`)).map((r) => [r.id, r]));
    const drugs = (id: string) => JSON.parse(String(lines.get(id)?.drugs));
    expect(drugs("doublet")).toEqual(["pemetrexed", "carboplatin"]);
    expect(drugs("dosed")).toEqual(["osimertinib"]);
    expect(drugs("english-drug")).toEqual(["osimertinib"]);
    expect(drugs("unknown-drug")).toEqual([]);
    expect(drugs("radiotherapy")).toEqual([]);
    expect(lines.get("dosed")).toMatchObject({
      regimen: "奥希替尼 80 mg qd",
      stopReason: "PROGRESSION",
      reasonStopped: "疾病进展（肺内病灶增大，新发肝转移）",
    });
    expect(lines.get("english-drug")).toMatchObject({ stopReason: "TOXICITY" });
    expect(lines.get("unknown-drug")).toMatchObject({ regimen: "奥希替尼联合某试验药", stopReason: null, reasonStopped: "医生建议" });

    const markers = new Map((await execute(target, `SELECT "id", "alterationType", "hgvs", "resultCode", "note" FROM "Biomarker"`)).map((r) => [r.id, r]));
    expect(markers.get("coded-marker")).toMatchObject({ alterationType: "EXON14_SKIPPING", resultCode: "POSITIVE", note: null });
    expect(markers.get("free-marker")).toMatchObject({ alterationType: null, hgvs: null, resultCode: null, note: "L858R; 60%（22C3）" });
    expect(markers.get("half-marker")).toMatchObject({ alterationType: "FUSION", resultCode: null, note: "见报告" });
    expect(await columnsOf(target, "Biomarker")).not.toContain("alteration");
  });
});

describe("upgrading to meeting providers", () => {
  it("gives each stored video link the meeting tool whose hosts it is on, by the host alone, and other links OTHER", async () => {
    const target = resolveDatabaseTarget(freshDatabaseUrl());
    const all = loadMigrations(target.provider);
    const upTo = all.findIndex((m) => m.name.endsWith("_meeting_provider"));
    expect(upTo).toBeGreaterThan(0);
    await migrate(target, all.slice(0, upTo));
    const now = target.provider === "sqlite" ? new Date().toISOString().replace("Z", "+00:00") : new Date().toISOString();
    await execute(
      target,
      `INSERT INTO "User" ("id", "email", "displayName", "passwordHash", "role", "timeZone", "updatedAt") VALUES ('u', 'u@example.org', 'U', 'x', 'COORDINATOR', 'Asia/Shanghai', $1)`,
      [now],
    );
    const insert = `INSERT INTO "BoardSession" ("id", "title", "startsAt", "durationMinutes", "timeZone", "chairId", "createdById", "updatedAt", "videoUrl") VALUES ($1, 'Board', $2, 60, 'Asia/Shanghai', 'u', 'u', $3, $4)`;
    const links: Record<string, string | null> = {
      zoom: "https://us02web.zoom.us/j/87654321012?pwd=abc",
      teams: "https://teams.microsoft.com/l/meetup-join/19%3ameeting/0",
      tencent: "https://meeting.tencent.com/dm/AbCdEf12",
      jitsi: "https://meet.jit.si/thoracic",
      ported: "https://meet.jit.si:443/thoracic",
      lookalike: "https://evil.example/zoom.us/j/1",
      subdomainTrick: "https://zoom.us.evil.example/j/1",
      own: "https://jitsi.hospital.example.cn/board",
      none: null,
    };
    for (const [id, link] of Object.entries(links)) await execute(target, insert, [id, now, now, link]);
    await migrate(target, all);
    const rows = await execute(target, `SELECT "id", "meetingProvider", "videoUrl", "meetingId", "meetingPasscode" FROM "BoardSession"`);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.meetingProvider]))).toEqual({
      zoom: "ZOOM",
      teams: "TEAMS",
      tencent: "TENCENT",
      jitsi: "JITSI",
      ported: "JITSI",
      lookalike: "OTHER",
      subdomainTrick: "OTHER",
      own: "OTHER",
      none: null,
    });
    for (const row of rows) expect(row).toMatchObject({ videoUrl: links[String(row.id)], meetingId: null, meetingPasscode: null });
  });
});
