import { describe, expect, it } from "vitest";
import { MigrationMismatchError, planMigrations, type Migration } from "~/platform/migrate.server";

const m = (name: string, checksum = `sum-${name}`): Migration => ({ name, sql: "", checksum });

describe("migration plan", () => {
  it("applies what is missing, in order", () => {
    expect(planMigrations([m("0001"), m("0002"), m("0003")], [{ name: "0001", checksum: "sum-0001" }]).map((x) => x.name)).toEqual(["0002", "0003"]);
  });

  it("refuses when an applied migration's file changed", () => {
    expect(() => planMigrations([m("0001", "edited")], [{ name: "0001", checksum: "sum-0001" }])).toThrow(MigrationMismatchError);
  });

  it("refuses when an applied migration's file is gone", () => {
    expect(() => planMigrations([m("0002")], [{ name: "0001", checksum: "sum-0001" }])).toThrow(/missing/);
  });
});
