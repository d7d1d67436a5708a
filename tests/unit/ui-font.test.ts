import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { gb2312Level1, uiFontCodePoints, uiFontUnicodeRange } from "~/ui/ui-font";

const root = fileURLToPath(new URL("../../", import.meta.url));
const css = readFileSync(path.join(root, "app/styles/app.css"), "utf8");
const fontFaces = [...css.matchAll(/@font-face\s*{([^}]*)}/g)].map((match) => match[1]);
const rootFontStack = /:root\s*{[^}]*?font-family:([^;]*);/
  .exec(css)![1]
  .split(",")
  .map((family) => family.trim().replace(/"/g, ""));

describe("the interface's Chinese web font", () => {
  it("carries GB2312 level 1 and every Chinese character of the interface's texts (npm run font:subset --check)", () => {
    execFileSync("npx", ["tsx", "app/cli/subset-ui-font.ts", "--check"], { stdio: "pipe" });
  });

  it("takes GB2312 level 1 from its 3,755 codes, and only the served blocks of the texts", () => {
    const level1 = gb2312Level1();
    expect(level1).toHaveLength(3755);
    expect([level1[0], level1.at(-1)]).toEqual(["啊", "座"]);
    const codePoints = uiFontCodePoints(["北京 Beijing（洛杉矶）"]);
    expect(codePoints).toEqual(expect.arrayContaining([..."北京洛杉矶（）"].map((c) => c.codePointAt(0))));
    expect(codePoints).not.toContain("B".codePointAt(0));
  });

  it("is declared, regular and bold, for the blocks it serves, as the last source after the systems' own Chinese fonts", () => {
    expect(fontFaces.map((face) => /font-weight:\s*(\d+)/.exec(face)![1])).toEqual(["400", "700"]);
    expect(existsSync(path.join(root, "app/styles/fonts/noto-sans-sc-ui.woff2"))).toBe(true);
    for (const face of fontFaces) {
      expect(/font-family:\s*"([^"]+)"/.exec(face)![1]).toBe("Chinese UI");
      expect(face).toContain(`unicode-range: ${uiFontUnicodeRange()};`);
      const sources = /src:([^;]*);/
        .exec(face)![1]
        .split(/,\s*(?=local|url)/)
        .map((source) => source.trim());
      expect(sources.at(-1)).toBe('url("./fonts/noto-sans-sc-ui.woff2") format("woff2")');
      expect(sources.slice(0, -1).every((source) => source.startsWith("local("))).toBe(true);
      expect(sources.some((source) => source.includes("NotoSansCJKsc-"))).toBe(true);
    }
  });

  it("comes first in the stack, where it serves only Chinese, so Latin text keeps the system font", () => {
    expect(rootFontStack.slice(0, 2)).toEqual(["Chinese UI", "system-ui"]);
    expect(rootFontStack.at(-1)).toBe("sans-serif");
  });
});
