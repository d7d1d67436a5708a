import { describe, expect, it } from "vitest";
import { demoSeedDue } from "~/seed/demo-seed-policy";

describe("demo seeding", () => {
  it("seeds the first start of the embedded default database", () => {
    expect(demoSeedDue({ isDefaultDatabase: true, hasUsers: false })).toBe(true);
    expect(demoSeedDue({ isDefaultDatabase: true, hasUsers: true })).toBe(false);
  });

  it("never seeds in production, or on a database the operator chose, unless SEED_DEMO=1", () => {
    expect(demoSeedDue({ nodeEnv: "production", isDefaultDatabase: true, hasUsers: false })).toBe(false);
    expect(demoSeedDue({ isDefaultDatabase: false, hasUsers: false })).toBe(false);
    expect(demoSeedDue({ seedDemo: "1", nodeEnv: "production", isDefaultDatabase: false, hasUsers: true })).toBe(true);
    expect(demoSeedDue({ seedDemo: "0", isDefaultDatabase: true, hasUsers: false })).toBe(false);
  });
});
