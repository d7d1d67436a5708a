import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { storeObjectSync } from "~/platform/storage-sync.server";

describe("the worker's durable store", () => {
  const root = () => mkdtempSync(path.join(os.tmpdir(), "tb-storage-sync-"));

  it("puts the bytes under their name and leaves no temporary file", () => {
    const dir = root();
    const target = path.join(dir, "objects", "ab", "cd", "abcd");
    storeObjectSync(new Uint8Array([1, 2, 3]), path.join(dir, "tmp", "one.part"), target);
    expect([...readFileSync(target)]).toEqual([1, 2, 3]);
    expect(readdirSync(path.join(dir, "tmp"))).toEqual([]);
  });

  it("does not write content already stored under its hash again", () => {
    const dir = root();
    const target = path.join(dir, "objects", "ab", "cd", "abcd");
    storeObjectSync(new Uint8Array([1, 2, 3]), path.join(dir, "tmp", "one.part"), target);
    const written = statSync(target).mtimeMs;
    storeObjectSync(new Uint8Array([9, 9, 9]), path.join(dir, "tmp", "two.part"), target);
    expect([...readFileSync(target)]).toEqual([1, 2, 3]);
    expect(statSync(target).mtimeMs).toBe(written);
    expect(readdirSync(path.join(dir, "tmp"))).toEqual([]);
  });

  it("fails without leaving a temporary file when the object cannot be placed", () => {
    const dir = root();
    // A file where the object's directory must go: the rename cannot happen.
    writeFileSync(path.join(dir, "objects"), "not a directory");
    expect(() => storeObjectSync(new Uint8Array([1]), path.join(dir, "tmp", "one.part"), path.join(dir, "objects", "ab", "abcd"))).toThrow();
    expect(readdirSync(path.join(dir, "tmp"))).toEqual([]);
  });
});
