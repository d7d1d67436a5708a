/**
 * The bilingual PDF of a signed opinion, read back with poppler (pdftotext,
 * pdffonts, pdfimages, pdfinfo) as a recipient's tools would. No database:
 * it runs once, under the SQLite project.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { emptyOpinion, type OpinionContent } from "~/features/opinions/opinion-content";
import { opinionContentHash } from "~/features/opinions/opinion-hash";
import { sectionHasContent, utcOffsetLabel, zonedTimestamp } from "~/features/opinions/exports/opinion-pdf-text";
import { renderOpinionPdf, type OpinionPdfInput } from "~/features/opinions/exports/opinion-pdf.server";

const dir = mkdtempSync(path.join(os.tmpdir(), "opinion-pdf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function save(pdf: Buffer, name: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, pdf);
  return file;
}
const poppler = (tool: string, ...args: string[]) => execFileSync(tool, args, { encoding: "utf8" });
const text = (file: string) => poppler("pdftotext", "-layout", file, "-");
const pageCount = (file: string) => Number(/^Pages:\s+(\d+)/m.exec(poppler("pdfinfo", file))![1]);

/** An 8-bit grayscale PNG: a bright disc on a gradient, like a windowed CT crop. */
function grayscalePng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8);
  const rows = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inDisc = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (height / 4) ** 2;
      rows[y * (width + 1) + 1 + x] = inDisc ? 230 : Math.round((x / width) * 120);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const questions = [
  { key: "question.01", text: "Is osimertinib appropriate first-line given the EGFR exon 19 deletion? 一线使用奥希替尼是否合适？" },
  { key: "question.02", text: "Should the brain lesion be irradiated before systemic therapy?" },
];

function signedContent(): OpinionContent {
  const content = emptyOpinion(questions);
  const reviewed = { translationStatus: "REVIEWED" as const, translatedById: "user-translator", translatedAt: "2026-03-14T08:00:00.000Z" };
  content.diagnosis = {
    en: {
      diagnosis: { agreement: "AGREE", comment: "" },
      stage: { agreement: "NEED_MORE_INFORMATION", comment: "Brain MRI is needed to confirm M1b." },
      comment: "Adenocarcinoma, EGFR exon 19 deletion.",
    },
    zh: {
      diagnosis: { agreement: "AGREE", comment: "" },
      stage: { agreement: "NEED_MORE_INFORMATION", comment: "需行脑部磁共振以确认 M1b。" },
      comment: "腺癌，EGFR 19 外显子缺失。",
    },
    ...reviewed,
  };
  content.plan = {
    en: {
      items: [
        {
          treatment: "Osimertinib",
          regimen: "Osimertinib 80 mg daily",
          intent: "PALLIATIVE",
          priority: 1,
          evidence: { system: "ESCAT", level: "I-A" },
          rationale: "FLAURA: longer overall survival than earlier EGFR inhibitors.",
        },
      ],
      summary: "Start osimertinib; reassess with CT after 8 weeks.",
    },
    zh: {
      items: [
        {
          treatment: "奥希替尼",
          regimen: "奥希替尼 80 mg 每日一次",
          intent: "PALLIATIVE",
          priority: 1,
          evidence: { system: "ESCAT", level: "I-A" },
          rationale: "FLAURA 研究：总生存期优于早期 EGFR 抑制剂。",
        },
      ],
      summary: "开始奥希替尼治疗；8 周后复查 CT。",
    },
    ...reviewed,
  };
  content.workup = { en: { items: ["Contrast-enhanced brain MRI"] }, zh: { items: ["脑部增强磁共振"] }, ...reviewed };
  content.trials = {
    en: { items: [{ description: "Osimertinib with chemotherapy, first line", registryId: "NCT04035486" }] },
    zh: { items: [{ description: "奥希替尼联合化疗一线治疗", registryId: "NCT04035486" }] },
    ...reviewed,
  };
  content.references = {
    en: { items: [{ source: "CSCO", version: "2025", section: "Non-small cell lung cancer, EGFR mutation" }] },
    zh: { items: [{ source: "CSCO", version: "2025", section: "非小细胞肺癌，EGFR 突变" }] },
    ...reviewed,
  };
  content.dissent = {
    en: { items: ["One consultant would add chemotherapy (FLAURA2)."] },
    zh: { items: ["一位会诊专家建议联合化疗（FLAURA2）。"] },
    ...reviewed,
  };
  content.answers = {
    en: {
      items: [
        { questionKey: "question.01", answer: "Yes: osimertinib is the preferred first-line treatment." },
        { questionKey: "question.02", answer: "No: osimertinib penetrates the brain; irradiate only if symptomatic." },
      ],
    },
    zh: {
      items: [
        { questionKey: "question.01", answer: "是的：奥希替尼是首选的一线治疗。" },
        { questionKey: "question.02", answer: "否：奥希替尼可透过血脑屏障；仅在有症状时放疗。" },
      ],
    },
    ...reviewed,
  };
  return content;
}

function opinionInput(overrides: Partial<OpinionPdfInput> = {}): OpinionPdfInput {
  const content = overrides.content ?? signedContent();
  return {
    caseCode: "TB-2026-0042",
    diagnosis: { en: "Lung cancer · C34.1 adenocarcinoma, right upper lobe, EGFR exon 19 deletion", zh: "肺癌 · C34.1 右肺上叶腺癌，EGFR 19 外显子缺失" },
    version: 2,
    amendment: { previousVersion: 1, reason: "Stage comment corrected after the brain MRI report." },
    questions,
    content,
    englishOnly: false,
    // 16:30 UTC: 09:30 in Los Angeles (daylight time) and already the next day, 00:30, in Shanghai.
    signers: [{ displayName: "Dr. Sarah Miller", signedAt: new Date("2026-03-14T16:30:00Z") }],
    timeZones: ["America/Los_Angeles", "Asia/Shanghai"],
    contentHash: opinionContentHash(content),
    followUps: [
      {
        question: "可以在当地医院做脑部磁共振吗？",
        askedAt: new Date("2026-03-16T02:00:00Z"),
        answer: "Yes, any 1.5 T or 3 T scanner with contrast will do.",
        answeredAt: new Date("2026-03-16T18:15:00Z"),
      },
    ],
    keyImages: [{ image: grayscalePng(96, 64), caption: "Spiculated nodule, right upper lobe / 右肺上叶毛刺状结节" }],
    ...overrides,
  };
}

describe("opinion PDF", () => {
  it("shows the English and the Chinese plan, the case code, the full hash and the signature time on both clocks", async () => {
    const input = opinionInput();
    const file = save(await renderOpinionPdf(input), "signed.pdf");
    const out = text(file);
    expect(out).toContain("Osimertinib 80 mg daily");
    expect(out).toContain("奥希替尼 80 mg 每日一次");
    expect(out).toContain("TB-2026-0042");
    expect(out).toContain(input.contentHash);
    expect(out).toContain("2026-03-14 09:30 America/Los_Angeles (UTC-07:00)");
    expect(out).toContain("2026-03-15 00:30 Asia/Shanghai (UTC+08:00)");
    // Labels from both locales, vocabulary in each language, answers, trials and the amendment.
    expect(out).toContain("Recommended plan");
    expect(out).toContain("推荐治疗方案");
    expect(out).toContain("Palliative");
    expect(out).toContain("治疗目的：姑息性");
    expect(out).toContain("ESCAT tier I-A");
    expect(out).toContain("是的：奥希替尼是首选的一线治疗。");
    expect(out).toContain("NCT04035486");
    expect(out).toContain("Stage comment corrected after the brain MRI report.");
    expect(out).toContain("可以在当地医院做脑部磁共振吗？");
    expect(out).toContain("右肺上叶毛刺状结节");
    expect(out).toMatch(/^\s*TB-2026-0042 · v2\s+1\/\d+\s*$/m);
  });

  it("embeds a subset of the Chinese font and the key image", async () => {
    const file = save(await renderOpinionPdf(opinionInput()), "fonts.pdf");
    const fonts = poppler("pdffonts", file)
      .split("\n")
      .slice(2)
      .filter(Boolean)
      .map((line) => line.split(/\s+/));
    expect(fonts.length).toBeGreaterThan(0);
    // name, type…, encoding, emb, sub, uni: every font is an embedded subset of Noto Sans SC.
    for (const f of fonts) {
      expect(f[0]).toMatch(/^[A-Z]{6}\+NotoSansSC-(Regular|Bold)$/);
      expect(f.slice(-5, -2)).toEqual(["yes", "yes", "yes"]);
    }
    const images = poppler("pdfimages", "-list", file).split("\n").slice(2).filter(Boolean);
    expect(images).toHaveLength(1);
    expect(images[0].trim().split(/\s+/).slice(3, 5)).toEqual(["96", "64"]);
    expect(readFileSync(file).length).toBeLessThan(200_000);
  });

  it("takes a JPEG key image as well, and refuses anything else", async () => {
    const png = save(grayscalePng(120, 80), "key.png");
    const jpeg = path.join(dir, "key.jpg");
    execFileSync("vips", ["copy", png, jpeg]);
    const file = save(await renderOpinionPdf(opinionInput({ keyImages: [{ image: readFileSync(jpeg), caption: "CT, lung window" }] })), "jpeg.pdf");
    expect(poppler("pdfimages", "-list", file)).toMatch(/\bjpeg\b/);
    await expect(renderOpinionPdf(opinionInput({ keyImages: [{ image: Buffer.from("GIF89a not an image"), caption: "x" }] }))).rejects.toThrow(
      /neither PNG nor JPEG/,
    );
  });

  it("renders an opinion whose optional sections are empty, and marks English-only sections", async () => {
    const content = emptyOpinion([]);
    content.plan.en.items = [
      {
        treatment: "Osimertinib",
        regimen: "Osimertinib 80 mg daily",
        intent: "PALLIATIVE",
        priority: 1,
        evidence: { system: "NCCN", level: "1" },
        rationale: "",
      },
    ];
    const input = opinionInput({
      content,
      questions: [],
      englishOnly: true,
      amendment: null,
      version: 1,
      followUps: [],
      keyImages: [],
      diagnosis: { en: "Lung cancer", zh: null },
      contentHash: opinionContentHash(content),
    });
    const out = text(save(await renderOpinionPdf(input), "empty.pdf"));
    expect(out).toContain("Osimertinib 80 mg daily");
    expect(out).toContain("NCCN category 1");
    expect(out).toContain("Delivered in English only. / 本部分仅以英文提供。");
    expect(out).toContain("None / 无");
    expect(out).not.toContain("Amends version");
    expect(out).not.toContain("Key images");
    expect(out).toContain(input.contentHash);
  });

  it("prints a section of choices only (no free text) in both languages, not as an untranslated section", async () => {
    const content = emptyOpinion([]);
    content.diagnosis.en.diagnosis.agreement = "AGREE";
    content.diagnosis.en.stage.agreement = "AGREE";
    const input = opinionInput({
      content,
      questions: [],
      englishOnly: false,
      amendment: null,
      followUps: [],
      keyImages: [],
      contentHash: opinionContentHash(content),
    });
    const out = text(save(await renderOpinionPdf(input), "choices-only.pdf"));
    expect(out).toContain("Agree");
    expect(out).toContain("同意");
    expect(out).not.toContain("无中文翻译");
  });

  it("lets a very long answer run over several pages, numbered n/total", async () => {
    const content = signedContent();
    const sentences = Array.from(
      { length: 120 },
      (_, i) => `Consideration ${i + 1}: the response should be assessed with RECIST 1.1 on a contrast-enhanced CT at comparable slice thickness.`,
    );
    content.answers.en.items[0].answer = sentences.join(" ");
    content.answers.zh!.items[0].answer = Array.from({ length: 120 }, (_, i) => `第 ${i + 1} 点：应采用 RECIST 1.1 标准，以层厚相当的增强 CT 评估疗效。`).join(
      "",
    );
    const file = save(await renderOpinionPdf(opinionInput({ content, contentHash: opinionContentHash(content) })), "long.pdf");
    const pages = pageCount(file);
    expect(pages).toBeGreaterThanOrEqual(3);
    const out = text(file);
    expect(out).toContain("Consideration 120:");
    expect(out).toContain("第 120 点");
    for (let page = 1; page <= pages; page++) expect(out).toMatch(new RegExp(`^\\s*TB-2026-0042 · v2\\s+${page}/${pages}\\s*$`, "m"));
    // Nothing was pushed off the end: the last sections still come after the long answer.
    expect(out.indexOf("Consideration 120:")).toBeLessThan(out.indexOf("奥希替尼 80 mg 每日一次"));
  });

  it("prints an instant on each clock with its offset, and knows an empty section", () => {
    const instant = new Date("2026-01-10T23:15:00Z");
    expect(zonedTimestamp(instant, "Asia/Shanghai")).toBe("2026-01-11 07:15 Asia/Shanghai (UTC+08:00)");
    expect(zonedTimestamp(instant, "America/New_York")).toBe("2026-01-10 18:15 America/New_York (UTC-05:00)");
    expect(utcOffsetLabel(instant, "Asia/Kathmandu")).toBe("UTC+05:45");
    const empty = emptyOpinion(questions);
    expect(sectionHasContent("answers", empty.answers.en)).toBe(false);
    expect(sectionHasContent("trials", { items: [{ description: "", registryId: "NCT04035486" }] })).toBe(true);
    expect(sectionHasContent("diagnosis", { ...empty.diagnosis.en, stage: { agreement: "AGREE", comment: "" } })).toBe(true);
  });
});
