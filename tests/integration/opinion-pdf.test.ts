/**
 * The bilingual PDF of a signed opinion, read back with poppler (pdftotext,
 * pdffonts, pdfimages, pdfinfo, pdftoppm) as a recipient's tools would. No
 * database: it runs once, under the SQLite project.
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
import { renderOpinionPdf, type OpinionPdfInput, type OpinionPdfKeyImage } from "~/features/opinions/exports/opinion-pdf.server";

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
/** The text with the layout's runs of spaces and line breaks as one space. */
const flatText = (file: string) => text(file).replace(/\s+/g, " ");

/** pdffonts' rows: name, type…, encoding, embedded, subset, unicode, object, id. */
const fontRows = (file: string) =>
  poppler("pdffonts", file)
    .split("\n")
    .slice(2)
    .filter(Boolean)
    .map((line) => line.split(/\s+/));

type Rgb = [number, number, number];
/** A page as poppler's pdftoppm draws it, as rows of RGB pixels. */
function renderedPage(file: string, page: number, dpi: number) {
  const prefix = path.join(dir, `page-${page}-${path.basename(file, ".pdf")}`);
  poppler("pdftoppm", "-r", String(dpi), "-f", String(page), "-l", String(page), "-singlefile", file, prefix);
  const ppm = readFileSync(`${prefix}.ppm`);
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 32).toString("latin1"))!;
  const [width, height] = [Number(header[1]), Number(header[2])];
  const body = ppm.subarray(header[0].length);
  const at = (x: number, y: number): Rgb => {
    const i = (Math.round(y) * width + Math.round(x)) * 3;
    return [body[i], body[i + 1], body[i + 2]];
  };
  return { width, height, at };
}

/** The first page whose text has `needle`. */
function pageWith(file: string, needle: string): number {
  for (let page = 1; page <= pageCount(file); page++) if (poppler("pdftotext", "-f", String(page), "-l", String(page), file, "-").includes(needle)) return page;
  throw new Error(`${needle} is on no page`);
}

/** A bright disc on a gradient, like a windowed CT crop. */
const discOnGradient = (width: number, height: number) => (x: number, y: number) =>
  (x - width / 2) ** 2 + (y - height / 2) ** 2 < (height / 4) ** 2 ? 230 : Math.round((x / width) * 120);

/** An 8-bit grayscale PNG, each pixel's value from `shade`. */
function grayscalePng(width: number, height: number, shade = discOnGradient(width, height)): Buffer {
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
    for (let x = 0; x < width; x++) rows[y * (width + 1) + 1 + x] = shade(x, y);
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

/** A lung case entered in Chinese, its histology in English; titles of the codes as the reference lists give them. */
const caseSummary: OpinionPdfInput["caseSummary"] = {
  code: "TB-2026-0042",
  ageAtSubmission: 58,
  sex: "MALE",
  cancerType: "SOLID",
  staging: JSON.stringify({ system: "AJCC8", prefix: "c", t: "T2a", n: "N2", m: "M1b", group: "IVA" }),
  primarySite: "右肺上叶",
  histology: "Adenocarcinoma, acinar predominant",
  siteCode: { code: "C34.1", en: "Malignant neoplasm of upper lobe, bronchus or lung", zh: "上叶，支气管或肺恶性肿瘤" },
  icdO3: { code: "8140/3", en: "Adenocarcinoma, NOS", zh: "腺癌，非特指" },
  biomarkerCount: 2,
  biomarkers: [
    { gene: "EGFR", alteration: "exon 19 deletion", method: "NGS", result: "阳性", vaf: 23.5 },
    { gene: "PD-L1", alteration: null, method: "IHC", result: "TPS 60%", vaf: null },
  ],
};

function opinionInput(overrides: Partial<OpinionPdfInput> = {}): OpinionPdfInput {
  const content = overrides.content ?? signedContent();
  return {
    readerLocale: "en",
    caseSummary,
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
    keyImages: [{ image: grayscalePng(96, 64), caption: "Spiculated nodule, right upper lobe / 右肺上叶毛刺状结节", measurements: null }],
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
    const fonts = fontRows(file);
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

  it("opens with the case summary in the reader's English, free text written in Chinese beside it as the original", async () => {
    const out = flatText(save(await renderOpinionPdf(opinionInput({ readerLocale: "en" })), "summary-en.pdf"));
    const start = out.indexOf("Clinical summary");
    expect(start).toBeGreaterThan(out.indexOf("Second opinion"));
    const summary = out.slice(start, out.indexOf("Version 2 / 第 2 版"));
    expect(out.indexOf("Version 2 / 第 2 版")).toBeLessThan(out.indexOf("Questions and answers"));
    for (const line of [
      "Case: TB-2026-0042",
      "Age at submission: 58 years",
      "Sex: Male",
      "Cancer type: Solid tumour",
      "Staging: AJCC 8 cT2a N2 M1b · stage IVA",
      "Primary site: C34.1 Malignant neoplasm of upper lobe, bronchus or lung Original (Chinese): 右肺上叶",
      "Histology: 8140/3 Adenocarcinoma, NOS · Adenocarcinoma, acinar predominant Biomarkers:",
      "EGFR: exon 19 deletion · NGS · VAF 23.5% Original (Chinese): 阳性",
      "PD-L1: TPS 60% · IHC",
    ])
      expect(summary).toContain(line);
    expect(summary).not.toMatch(/男|实体瘤|腺癌，非特指|原文/);
  });

  it("opens with the case summary in the reader's Chinese, free text written in English beside it as the original, in the embedded Chinese font", async () => {
    const file = save(await renderOpinionPdf(opinionInput({ readerLocale: "zh-CN", caseSummary: { ...caseSummary, biomarkerCount: 14 } })), "summary-zh.pdf");
    const out = flatText(file);
    const start = out.indexOf("临床摘要");
    expect(start).toBeGreaterThan(out.indexOf("第二诊疗意见"));
    const summary = out.slice(start, out.indexOf("Version 2 / 第 2 版"));
    for (const line of [
      "病例：TB-2026-0042",
      "提交时年龄：58 岁",
      "性别：男",
      "肿瘤类型：实体瘤",
      "分期：AJCC第8版 cT2a N2 M1b · 分期 IVA",
      "原发部位：C34.1 上叶，支气管或肺恶性肿瘤 · 右肺上叶",
      "组织学类型：8140/3 腺癌，非特指 原文（英文）：Adenocarcinoma, acinar predominant",
      "EGFR：阳性 · NGS · 突变丰度 23.5% 原文（英文）：exon 19 deletion",
      "PD-L1：TPS 60% · IHC",
      "另有 12 项见病例资料",
    ])
      expect(summary).toContain(line);
    expect(summary).not.toMatch(/Male|Solid tumour|Malignant neoplasm|Original/);
    const fonts = fontRows(file);
    expect(fonts.map((f) => f[0])).toContainEqual(expect.stringMatching(/^[A-Z]{6}\+NotoSansSC-Regular$/));
    for (const f of fonts) expect(f.slice(-5, -2)).toEqual(["yes", "yes", "yes"]);
  });

  it("draws the viewer's measurements over the key image where they lie on it, each with its label", async () => {
    const gray = 150;
    const frame = { width: 200, height: 100 };
    const measured: OpinionPdfKeyImage = {
      image: grayscalePng(frame.width, frame.height, () => gray),
      caption: "CT 2 · slice 3 — Nodule",
      measurements: {
        frame,
        items: [
          { annotation: { kind: "length", slice: 2, start: { x: 20, y: 70 }, end: { x: 120, y: 70 } }, label: "81.1 mm" },
          { annotation: { kind: "angle", slice: 2, a: { x: 150, y: 20 }, vertex: { x: 170, y: 50 }, c: { x: 190, y: 20 } }, label: "67.4°" },
          { annotation: { kind: "ellipse", slice: 2, start: { x: 30, y: 10 }, end: { x: 90, y: 40 } }, label: "1196.3 mm² · mean 38.2 HU ± 4.1" },
        ],
      },
    };
    const file = save(await renderOpinionPdf(opinionInput({ keyImages: [measured] })), "measured.pdf");
    const out = flatText(file);
    for (const label of ["81.1 mm", "67.4°", "1196.3 mm² · mean 38.2 HU ± 4.1"]) expect(out).toContain(label);

    const page = renderedPage(file, pageWith(file, "Nodule"), 144);
    // The image is where rows hold a long run of its flat gray: no text or line drawing makes one.
    const isImage = ([r, g, b]: Rgb) => r === g && g === b && Math.abs(r - gray) <= 1;
    const isMeasurement = ([r, g, b]: Rgb) => r > 200 && g > 170 && b < 90;
    const runs: { y: number; left: number; right: number }[] = [];
    for (let y = 0; y < page.height; y++) {
      let x = 0;
      while (x < page.width) {
        const left = x;
        while (x < page.width && isImage(page.at(x, y))) x++;
        if (x - left >= 100) runs.push({ y, left, right: x - 1 });
        x = Math.max(x, left + 1);
      }
    }
    const box = {
      left: Math.min(...runs.map((r) => r.left)),
      right: Math.max(...runs.map((r) => r.right)),
      top: runs[0].y,
      bottom: runs.at(-1)!.y,
    };
    const scale = (box.right - box.left + 1) / frame.width;
    expect(Math.abs((box.bottom - box.top + 1) / frame.height - scale)).toBeLessThan(0.1);
    const onPage = (x: number, y: number) => page.at(box.left + x * scale, box.top + y * scale);

    // The length's line along y = 70 from x = 20 to 120 (ends left out, where the line's caps and anti-aliasing fall).
    const lineRows = [-2, -1, 0, 1, 2].filter((dy) => {
      for (let x = 25; x <= 115; x += 0.5) if (!isMeasurement(page.at(box.left + x * scale, box.top + 70 * scale + dy))) return false;
      return true;
    });
    expect(lineRows.length).toBeGreaterThan(0);
    // Nothing drawn on the clear band below it, nor left of its start.
    for (let x = 1; x < 199; x += 0.5) expect(isMeasurement(onPage(x, 88))).toBe(false);
    for (let x = 1; x < 16; x += 0.5) expect(isMeasurement(onPage(x, 70))).toBe(false);
    // The ellipse's right end and the angle's vertex.
    const near = (x: number, y: number) =>
      [-2, -1, 0, 1, 2].some((dx) => [-2, -1, 0, 1, 2].some((dy) => isMeasurement(page.at(box.left + x * scale + dx, box.top + y * scale + dy))));
    expect(near(90, 25)).toBe(true);
    expect(near(170, 50)).toBe(true);
    expect(near(60, 25)).toBe(false);

    const plain = save(await renderOpinionPdf(opinionInput({ keyImages: [{ ...measured, measurements: null }] })), "unmeasured.pdf");
    const unmeasured = renderedPage(plain, pageWith(plain, "Nodule"), 144);
    let drawn = 0;
    for (let y = 0; y < unmeasured.height; y += 2) for (let x = 0; x < unmeasured.width; x += 2) if (isMeasurement(unmeasured.at(x, y))) drawn++;
    expect(drawn).toBe(0);
    expect(flatText(plain)).not.toContain("81.1 mm");
  });

  it("takes a JPEG key image as well, and refuses anything else", async () => {
    const png = save(grayscalePng(120, 80), "key.png");
    const jpeg = path.join(dir, "key.jpg");
    execFileSync("vips", ["copy", png, jpeg]);
    const file = save(
      await renderOpinionPdf(opinionInput({ keyImages: [{ image: readFileSync(jpeg), caption: "CT, lung window", measurements: null }] })),
      "jpeg.pdf",
    );
    expect(poppler("pdfimages", "-list", file)).toMatch(/\bjpeg\b/);
    await expect(
      renderOpinionPdf(opinionInput({ keyImages: [{ image: Buffer.from("GIF89a not an image"), caption: "x", measurements: null }] })),
    ).rejects.toThrow(/neither PNG nor JPEG/);
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
      caseSummary: { ...caseSummary, primarySite: null, histology: null, siteCode: null, icdO3: null, staging: "{}", biomarkerCount: 0, biomarkers: [] },
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
