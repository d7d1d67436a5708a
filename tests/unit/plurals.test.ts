/**
 * Counts read naturally in both languages: "1 day", never "1 days"; Chinese
 * puts a space between a number and the characters around it and says what
 * the count means ("已提交 12 天", never "已开启12天").
 */
import type { TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { fixedTranslations } from "../support/translations";

let en: TFunction;
let zh: TFunction;

beforeAll(async () => {
  ({ en, zh } = await fixedTranslations());
});

describe("counted phrases", () => {
  it("use the singular for one and the plural for more in English", () => {
    expect(en("cases:list.daysOpen", { count: 1 })).toBe("1 day since submission");
    expect(en("cases:list.daysOpen", { count: 12 })).toBe("12 days since submission");
    expect(en("cases:list.daysLeft", { count: 1 })).toBe("1 day left");
    expect(en("cases:list.daysLeft", { count: 3 })).toBe("3 days left");
    expect(en("sessions:warnings.overrun", { count: 1 })).toBe("The agenda is 1 minute longer than the session.");
    expect(en("sessions:warnings.overrun", { count: 25 })).toBe("The agenda is 25 minutes longer than the session.");
    expect(en("cases:glossary.intro", { count: 1 })).toMatch(/^1 English–Chinese oncology term for/);
    expect(en("opinions:delivery.missing", { count: 1 })).toMatch(/this section still needs its/);
    expect(en("opinions:delivery.missing", { count: 2 })).toMatch(/these 2 sections still need their/);
    const series = { number: 2, modality: "CT", description: "Chest" };
    expect(en("imaging:studies.series", { ...series, count: 1 })).toBe("Series 2: CT Chest — 1 image");
    expect(en("imaging:studies.series", { ...series, count: 3 })).toBe("Series 2: CT Chest — 3 images");
    expect(en("imaging:inbox.counts", { series: 1, count: 1 })).toBe("1 series, 1 image");
    expect(en("imaging:burnedIn.reading", { count: 1 })).toMatch(/^OCR is still reading 1 image\./);
    expect(en("imaging:burnedIn.failedCount", { count: 2 })).toBe("OCR could not read 2 images.");
  });

  it("read as natural Chinese, with the number set apart", () => {
    expect(zh("cases:list.daysOpen", { count: 12 })).toBe("已提交 12 天");
    expect(zh("cases:list.daysOpen", { count: 1 })).toBe("已提交 1 天");
    expect(zh("cases:list.daysLeft", { count: 3 })).toBe("还剩 3 天");
    expect(zh("sessions:warnings.overrun", { count: 1 })).toBe("议程比会诊时长多出 1 分钟。");
    expect(zh("imaging:studies.series", { number: 2, modality: "CT", description: "胸部", count: 1 })).toBe("序列2：CT 胸部 — 1 幅图像");
    for (const key of ["cases:list.daysOpen", "cases:list.daysLeft", "sessions:warnings.overrun", "cases:glossary.intro", "imaging:burnedIn.reading"])
      expect(zh(key, { count: 12 }), key).not.toMatch(/[\u4e00-\u9fff]12|12[\u4e00-\u9fff]|已开启/);
  });
});
