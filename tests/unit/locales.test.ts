/**
 * Every visible string must exist in both languages: the two locales have the
 * same keys, no value is blank, and every key the code names exists.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { NAMESPACES, SUPPORTED_LOCALES } from "~/i18n/locales";
import { TEXT_LANGUAGE_LABEL_KEYS } from "~/features/translation/translated-text";

const root = fileURLToPath(new URL("../../", import.meta.url));

function flatten(value: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (child && typeof child === "object") for (const [k, v] of flatten(child, full)) out.set(k, v);
    else out.set(full, String(child));
  }
  return out;
}

function localeKeys(locale: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const file of readdirSync(path.join(root, "locales", locale))) {
    const ns = file.replace(/\.json$/, "");
    for (const [k, v] of flatten(JSON.parse(readFileSync(path.join(root, "locales", locale, file), "utf8")))) keys.set(`${ns}:${k}`, v);
  }
  return keys;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (entry === "generated") continue;
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|tsx)$/.test(entry)) yield full;
  }
}

describe("locales", () => {
  const en = localeKeys("en");
  const zh = localeKeys("zh-CN");

  it("has one file per namespace in each language", () => {
    for (const locale of SUPPORTED_LOCALES) {
      expect(readdirSync(path.join(root, "locales", locale)).sort()).toEqual(NAMESPACES.map((ns) => `${ns}.json`).sort());
    }
  });

  it("has the same keys in English and Chinese", () => {
    expect(
      [...en.keys()].filter((k) => !zh.has(k)),
      "missing in zh-CN",
    ).toEqual([]);
    expect(
      [...zh.keys()].filter((k) => !en.has(k)),
      "missing in en",
    ).toEqual([]);
  });

  it("has no blank translations, and Chinese strings are actually Chinese", () => {
    for (const [key, value] of [...en, ...zh]) expect(value.trim(), key).not.toBe("");
    // Identical symbols (T, N, M, units) are fine; an English word left in the Chinese file is not.
    const untranslated = [...zh].filter(
      ([key, value]) => !/[\u4e00-\u9fff]/.test(value) && value === en.get(key) && /[A-Za-z]{4,}/.test(value.replace(/\{\{\w+\}\}/g, "")),
    );
    expect(untranslated.map(([k]) => k)).toEqual([]);
  });

  it("contains every key the code uses", () => {
    const namespaces = NAMESPACES.join("|");
    const keyPattern = new RegExp(`["'\`]((?:${namespaces}):[A-Za-z0-9_.]+)["'\`]`, "g");
    const used = new Map<string, string>();
    for (const file of sourceFiles(path.join(root, "app"))) {
      for (const match of readFileSync(file, "utf8").matchAll(keyPattern)) used.set(match[1], path.relative(root, file));
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter(([key]) => !en.has(key) || !zh.has(key)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it("uses only namespaced keys in t() calls, so the check above sees them all", () => {
    const bare: string[] = [];
    for (const file of sourceFiles(path.join(root, "app"))) {
      for (const match of readFileSync(file, "utf8").matchAll(/\bt\(\s*["'`]([^"'`]+)["'`]/g)) {
        if (!match[1].includes(":")) bare.push(`${match[1]} (${path.relative(root, file)})`);
      }
    }
    expect(bare).toEqual([]);
  });
});

describe("vocabulary labels", () => {
  it("has a label in both languages for every value of every controlled vocabulary", async () => {
    const vocab = await import("~/features/cases/clinical-vocabulary");
    const { CASE_STATUS_LABEL_KEYS } = await import("~/features/cases/case-lifecycle");
    const en = localeKeys("en");
    const zh = localeKeys("zh-CN");
    const keys = [
      ...Object.values(vocab.labelKeys("sexes", vocab.SEXES)),
      ...Object.values(vocab.labelKeys("cancerTypes", vocab.CANCER_TYPES)),
      ...Object.values(TEXT_LANGUAGE_LABEL_KEYS),
      ...Object.values(vocab.labelKeys("lugano", vocab.LUGANO_STAGES)),
      ...Object.values(vocab.labelKeys("eln", vocab.ELN2022_RISKS)),
      ...Object.values(vocab.labelKeys("ecog", ["0", "1", "2", "3", "4"])),
      ...Object.values(vocab.labelKeys("responses", vocab.RESPONSES)),
      ...Object.values(vocab.labelKeys("urgency", vocab.URGENCIES)),
      ...Object.values(vocab.labelKeys("consentForms", vocab.CONSENT_FORMS)),
      ...Object.values(vocab.labelKeys("dataCategories", vocab.CONSENT_DATA_CATEGORIES)),
      ...Object.values(vocab.labelKeys("attachmentKinds", vocab.ATTACHMENT_KINDS)),
      ...Object.values(CASE_STATUS_LABEL_KEYS),
    ];
    expect(keys.filter((k) => !en.has(k) || !zh.has(k))).toEqual([]);
  });
});
