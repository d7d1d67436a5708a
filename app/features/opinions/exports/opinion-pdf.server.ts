/**
 * The bilingual PDF of a signed opinion: the case summary in the reader's
 * language, every section with its English text followed by the Chinese
 * translation, the signers and signature times on two clocks, the full content
 * hash, key images with the viewer's measurements, and follow-up addenda. Text
 * is set in Noto Sans SC (SIL OFL, from the @expo-google-fonts/noto-sans-sc
 * package), which covers Latin and Chinese, and pdfkit embeds only the glyphs
 * used.
 * The caller gathers the data and checks access; this module only draws.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createInstance, type TFunction } from "i18next";
import PDFDocument from "pdfkit";
import { detectFileType } from "~/platform/file-type";
import { LOCALE_NAMES, type Locale } from "~/i18n/locales";
import { filled, type CaseQuestion, type OpinionContent, type SectionBody, type SectionName } from "~/features/opinions/opinion-content";
import { caseSummaryText, sectionHasContent, zonedTimestamp, type CaseSummaryFacts, type SummaryLine } from "~/features/opinions/exports/opinion-pdf-text";
import type { RenderedKeyImage } from "~/features/imaging/key-images/key-image-render.server";
import type { Point } from "~/features/imaging/viewer/measurements";
import { needsTranslation } from "~/features/opinions/opinion-translation";
import { i18nOptions, resources } from "~/i18n/resources";

export type OpinionPdfSigner = { displayName: string; signedAt: Date };
export type OpinionPdfFollowUp = { question: string; askedAt: Date; answer: string | null; answeredAt: Date | null };
/** A PNG or JPEG rendition of a key image, with its caption and the measurements to draw over it. */
export type OpinionPdfKeyImage = RenderedKeyImage;
type KeyImageMeasurements = NonNullable<OpinionPdfKeyImage["measurements"]>;

export type OpinionPdfInput = {
  /** The language the case summary is written in: the reader's. */
  readerLocale: Locale;
  caseSummary: CaseSummaryFacts;
  version: number;
  /** Set when this version amends an earlier one. */
  amendment: { previousVersion: number; reason: string } | null;
  /** The physician's questions (`question.01`, …), answered in `content.answers`. */
  questions: readonly CaseQuestion[];
  /** The signed content, as frozen in `Opinion.signedContent`. */
  content: OpinionContent;
  /** The coordinator's decision to deliver sections without a Chinese translation. */
  englishOnly: boolean;
  signers: readonly OpinionPdfSigner[];
  /** Clocks the signature and follow-up times are printed on: the signer's zone and Asia/Shanghai. */
  timeZones: readonly string[];
  contentHash: string;
  followUps: readonly OpinionPdfFollowUp[];
  keyImages: readonly OpinionPdfKeyImage[];
};

const FONT_PACKAGE = "@expo-google-fonts/noto-sans-sc";
const FONT_FILES = { regular: "400Regular/NotoSansSC_400Regular.ttf", bold: "700Bold/NotoSansSC_700Bold.ttf" } as const;

const MARGIN = 56;
const FOOTER_OFFSET = 32;
const SIZE = { title: 18, heading: 12.5, body: 10, small: 8.5 } as const;
const COLOR = { text: "#1a1a1a", heading: "#1f3a5f", muted: "#5c5c5c", rule: "#b8c2cc" } as const;
const IMAGE_MAX_HEIGHT = 260;
/** The viewer's colour for measurements (`.viewer-annotations` in app/styles). */
const MEASUREMENT = { color: "#ffd400", lineWidth: 1.2, labelBackground: "#000000", labelOpacity: 0.65, labelGap: 4 } as const;

/** The Noto Sans SC font file of a weight, as installed from its npm package (the interface's web font is cut from the regular one). */
export function readChineseFont(weight: keyof typeof FONT_FILES): Buffer {
  const file = FONT_FILES[weight];
  try {
    return readFileSync(createRequire(import.meta.url).resolve(`${FONT_PACKAGE}/${file}`));
  } catch (error) {
    throw new Error(`The Chinese font is missing (${FONT_PACKAGE}/${file}); run npm install.`, { cause: error });
  }
}

let fonts: { regular: Buffer; bold: Buffer } | null = null;
function loadFonts() {
  fonts ??= { regular: readChineseFont("regular"), bold: readChineseFont("bold") };
  return fonts;
}

/** Both languages' labels from the bundled resources (no request to detect a language from; this also runs in a worker thread). */
let translators: Promise<{ en: TFunction; zh: TFunction }> | undefined;
function loadTranslators(): Promise<{ en: TFunction; zh: TFunction }> {
  translators ??= (async () => {
    const i18n = createInstance();
    await i18n.init({ ...i18nOptions, resources, lng: "en" });
    return { en: i18n.getFixedT("en"), zh: i18n.getFixedT("zh-CN") };
  })();
  return translators;
}

/** A label in one language, or in both at once: "Case / 病例"; `reader` is the reader's language. */
type Labels = { en: TFunction; zh: TFunction; reader: TFunction; both: (key: string, values?: Record<string, unknown>) => string };

export async function renderOpinionPdf(input: OpinionPdfInput): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const { en, zh } = await loadTranslators();
  const l: Labels = { en, zh, reader: input.readerLocale === "zh-CN" ? zh : en, both: (key, values) => `${en(key, values)} / ${zh(key, values)}` };
  input.keyImages.forEach((k, i) => {
    const type = detectFileType(k.image.subarray(0, 16))?.mimeType;
    if (type !== "image/png" && type !== "image/jpeg") throw new Error(`Key image ${i + 1} is neither PNG nor JPEG.`);
  });

  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: "zh-CN",
    info: { Title: `${l.both("pdf:title")} ${input.caseSummary.code} v${input.version}`, Subject: input.caseSummary.code },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("regular", regular);
  doc.registerFont("bold", bold);

  const draw = new Drawing(doc);
  header(draw, input, l);
  answersSection(draw, input, l);
  for (const name of ["diagnosis", "plan", "workup", "trials", "references", "dissent"] as const) section(draw, name, input, l);
  signaturesSection(draw, input, l);
  keyImagesSection(draw, input.keyImages, l);
  followUpsSection(draw, input, l);
  draw.footers(`${input.caseSummary.code} · v${input.version}`);

  doc.end();
  return finished;
}

/** Flowing text with page breaks that never strand a heading or an image at the foot of a page. */
class Drawing {
  constructor(readonly doc: PDFKit.PDFDocument) {}

  get width() {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  ensureSpace(height: number) {
    if (this.doc.y + height > this.doc.page.height - this.doc.page.margins.bottom) this.doc.addPage();
  }

  text(value: string, options: { font?: "regular" | "bold"; size?: number; color?: string; indent?: number; gap?: number } = {}) {
    const indent = options.indent ?? 0;
    this.doc
      .font(options.font ?? "regular")
      .fontSize(options.size ?? SIZE.body)
      .fillColor(options.color ?? COLOR.text)
      .text(value, this.doc.page.margins.left + indent, this.doc.y, { width: this.width - indent, lineGap: 1.5 });
    if (options.gap) this.doc.moveDown(options.gap);
  }

  /** "Label: value" with the label in bold; Chinese text takes the full-width colon. */
  field(label: string, value: string, indent = 0, colon = ": ") {
    this.doc
      .font("bold")
      .fontSize(SIZE.body)
      .fillColor(COLOR.text)
      .text(`${label}${colon}`, this.doc.page.margins.left + indent, this.doc.y, { width: this.width - indent, continued: true, lineGap: 1.5 })
      .font("regular")
      .text(value, { lineGap: 1.5 });
  }

  note(value: string, indent = 0) {
    this.text(value, { size: SIZE.small, color: COLOR.muted, indent });
  }

  /** English and Chinese side by side: "Recommended plan  推荐治疗方案". */
  heading(l: Labels, key: string) {
    const value = `${l.en(key)}  ${l.zh(key)}`;
    this.doc.moveDown(0.8);
    this.ensureSpace(70);
    this.text(value, { font: "bold", size: SIZE.heading, color: COLOR.heading });
    const y = this.doc.y + 2;
    this.doc
      .moveTo(this.doc.page.margins.left, y)
      .lineTo(this.doc.page.margins.left + this.width, y)
      .lineWidth(0.5)
      .strokeColor(COLOR.rule)
      .stroke();
    this.doc.y = y + 6;
  }

  /** A small tag before each language's text of a section. */
  languageTag(locale: "en" | "zh-CN") {
    this.doc.moveDown(0.3);
    this.ensureSpace(40);
    this.text(LOCALE_NAMES[locale], { size: SIZE.small, color: COLOR.muted });
  }

  bullet(value: string, indent = 0) {
    this.text(`•  ${value}`, { indent: indent + 6 });
  }

  image(image: Buffer, caption: string, measurements: KeyImageMeasurements | null) {
    const opened = (this.doc as unknown as { openImage(src: Buffer): { width: number; height: number; orientation?: number } }).openImage(image);
    const rotated = (opened.orientation ?? 1) > 4;
    const [w, h] = rotated ? [opened.height, opened.width] : [opened.width, opened.height];
    const scale = Math.min((this.width * 0.75) / w, IMAGE_MAX_HEIGHT / h);
    const [fitW, fitH] = [w * scale, h * scale];
    this.doc.font("regular").fontSize(SIZE.body);
    const captionHeight = this.doc.heightOfString(caption, { width: this.width });
    this.ensureSpace(fitH + captionHeight + 12);
    const top = this.doc.y;
    const left = this.doc.page.margins.left;
    this.doc.image(opened as unknown as Buffer, left, top, { fit: [fitW, fitH] });
    if (measurements) this.measurements(measurements, { left, top, width: fitW, height: fitH });
    this.doc.y = top + fitH + 4;
    this.text(caption, { gap: 0.6 });
  }

  /**
   * The viewer's measurements over an image placed in `box`, each shape with its label beside it as the viewer puts
   * it; the label sits on a dark band so that it reads on the image and, when it runs past the image, on the page.
   */
  measurements({ frame, items }: KeyImageMeasurements, box: { left: number; top: number; width: number; height: number }) {
    const doc = this.doc;
    const at = (p: Point): [number, number] => [box.left + (p.x * box.width) / frame.width, box.top + (p.y * box.height) / frame.height];
    const gap = MEASUREMENT.labelGap;
    doc.save();
    doc.lineWidth(MEASUREMENT.lineWidth).strokeColor(MEASUREMENT.color);
    for (const { annotation: a, label } of items) {
      let anchor: [number, number];
      if (a.kind === "length") {
        const [from, to] = [at(a.start), at(a.end)];
        doc
          .moveTo(...from)
          .lineTo(...to)
          .stroke();
        anchor = [to[0] + gap, to[1]];
      } else if (a.kind === "angle") {
        const [p, vertex, q] = [at(a.a), at(a.vertex), at(a.c)];
        doc
          .moveTo(...p)
          .lineTo(...vertex)
          .lineTo(...q)
          .stroke();
        anchor = [vertex[0] + gap, vertex[1] - gap];
      } else {
        const [from, to] = [at(a.start), at(a.end)];
        doc.ellipse((from[0] + to[0]) / 2, (from[1] + to[1]) / 2, Math.abs(to[0] - from[0]) / 2, Math.abs(to[1] - from[1]) / 2).stroke();
        anchor = [Math.max(from[0], to[0]) + gap, Math.min(from[1], to[1])];
      }
      this.labelChip(label, anchor);
    }
    doc.restore();
  }

  private labelChip(label: string, [x, y]: [number, number]) {
    const doc = this.doc;
    doc.font("regular").fontSize(SIZE.small);
    const pad = 2;
    const width = doc.widthOfString(label) + 2 * pad;
    const height = doc.currentLineHeight() + pad;
    const left = Math.min(Math.max(x, doc.page.margins.left), doc.page.margins.left + this.width - width);
    const top = y - height / 2;
    doc.rect(left, top, width, height).fillOpacity(MEASUREMENT.labelOpacity).fill(MEASUREMENT.labelBackground);
    doc
      .fillOpacity(1)
      .fillColor(MEASUREMENT.color)
      .text(label, left + pad, top + pad / 2, { lineBreak: false });
  }

  /** "Case · v1        1/3" at the foot of every page. */
  footers(left: string) {
    const { count } = this.doc.bufferedPageRange();
    for (let i = 0; i < count; i++) {
      this.doc.switchToPage(i);
      const bottom = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      const y = this.doc.page.height - FOOTER_OFFSET;
      const x = this.doc.page.margins.left;
      this.doc.font("regular").fontSize(SIZE.small).fillColor(COLOR.muted);
      this.doc.text(left, x, y, { width: this.width, lineBreak: false });
      this.doc.text(`${i + 1}/${count}`, x, y, { width: this.width, align: "right", lineBreak: false });
      this.doc.page.margins.bottom = bottom;
    }
  }
}

/** The title, then the case summary in the reader's language, then the version. */
function header(draw: Drawing, input: OpinionPdfInput, l: Labels) {
  draw.text(`${l.en("pdf:title")}  ${l.zh("pdf:title")}`, { font: "bold", size: SIZE.title, color: COLOR.heading, gap: 0.4 });
  const summary = caseSummaryText(input.caseSummary, input.readerLocale, l.reader);
  const colon = l.reader("pdf:colon");
  const line = ({ label, value, original }: SummaryLine, indent = 0) => {
    draw.field(label, value, indent, colon);
    if (original) draw.note(original, indent + 14);
  };
  draw.text(summary.title, { font: "bold", color: COLOR.heading });
  summary.lines.forEach((summaryLine) => line(summaryLine));
  if (summary.biomarkers.length === 0) draw.field(summary.biomarkersLabel, l.reader("cases:summary.none"), 0, colon);
  else draw.text(`${summary.biomarkersLabel}${colon}`, { font: "bold" });
  summary.biomarkers.forEach((biomarker) => line(biomarker, 14));
  if (summary.biomarkersLeftOut > 0) draw.note(l.reader("pdf:summary.biomarkersLeftOut", { count: summary.biomarkersLeftOut }), 14);
  draw.doc.moveDown(0.4);
  draw.text(l.both("pdf:version", { version: input.version }), { font: "bold" });
  if (input.amendment) {
    draw.text(l.both("pdf:amendment", { previous: input.amendment.previousVersion }));
    draw.field(l.both("pdf:amendmentReason"), input.amendment.reason);
  }
}

/** The English text, then the Chinese translation, or a note saying why there is none. */
function bilingualBody<S extends SectionName>(
  draw: Drawing,
  name: S,
  input: OpinionPdfInput,
  l: Labels,
  drawBody: (body: SectionBody<S>, t: TFunction) => void,
) {
  const section = input.content[name] as { en: SectionBody<S>; zh: SectionBody<S> | null };
  if (!sectionHasContent(name, section.en)) {
    draw.text(l.both("pdf:none"), { color: COLOR.muted });
    return;
  }
  draw.languageTag("en");
  drawBody(section.en, l.en);
  draw.languageTag("zh-CN");
  if (section.zh) drawBody(section.zh, l.zh);
  else if (!needsTranslation(section.en)) drawBody(section.en, l.zh);
  else draw.note(l.both(input.englishOnly ? "pdf:englishOnly" : "pdf:translationMissing"));
}

function section(draw: Drawing, name: Exclude<SectionName, "answers">, input: OpinionPdfInput, l: Labels) {
  draw.heading(l, `pdf:sections.${name}`);
  switch (name) {
    case "diagnosis":
      return bilingualBody(draw, "diagnosis", input, l, (body, tr) => {
        const colon = tr("pdf:colon");
        for (const part of ["diagnosis", "stage"] as const) {
          const agreement = body[part].agreement;
          draw.field(tr(`pdf:diagnosis.${part}`), tr(agreement ? `pdf:agreement.${agreement}` : "pdf:agreement.notStated"), 0, colon);
          if (filled(body[part].comment)) draw.text(body[part].comment, { indent: 14 });
        }
        if (filled(body.comment)) draw.field(tr("pdf:diagnosis.comment"), body.comment, 0, colon);
      });
    case "plan":
      return bilingualBody(draw, "plan", input, l, (body, tr) => {
        const colon = tr("pdf:colon");
        body.items.forEach((item, i) => {
          const fields: [string, string][] = [
            [tr("pdf:plan.regimen"), item.regimen],
            [tr("pdf:plan.intent"), item.intent ? tr(`pdf:intent.${item.intent}`) : ""],
            [tr("pdf:plan.priority"), item.priority === undefined ? "" : String(item.priority)],
            [tr("pdf:plan.evidence"), item.evidence ? tr(`pdf:evidence.${item.evidence.system}`, { level: item.evidence.level }) : ""],
            [tr("pdf:plan.rationale"), item.rationale],
          ];
          const shown = fields.filter(([, value]) => filled(value));
          draw.ensureSpace(16 * (shown.length + 1));
          draw.field(`${i + 1}. ${tr("pdf:plan.treatment")}`, item.treatment, 0, colon);
          for (const [label, value] of shown) draw.field(label, value, 14, colon);
          draw.doc.moveDown(0.3);
        });
        if (filled(body.summary)) draw.field(tr("pdf:plan.summary"), body.summary, 0, colon);
      });
    case "workup":
    case "dissent":
      return bilingualBody(draw, name, input, l, (body) => {
        for (const item of body.items.filter(filled)) draw.bullet(item);
      });
    case "trials":
      return bilingualBody(draw, "trials", input, l, (body, tr) => {
        for (const trial of body.items) {
          draw.bullet(trial.description || trial.registryId);
          if (filled(trial.registryId)) draw.field(tr("pdf:trials.registryId"), trial.registryId, 20, tr("pdf:colon"));
        }
      });
    case "references":
      return bilingualBody(draw, "references", input, l, (body, tr) => {
        for (const ref of body.items) {
          const colon = tr("pdf:colon");
          draw.bullet(
            `${ref.source} — ${tr("pdf:references.version")}${colon}${ref.version || "—"} · ${tr("pdf:references.section")}${colon}${ref.section || "—"}`,
          );
        }
      });
  }
}

/** Each question, then its answer in English and in Chinese. */
function answersSection(draw: Drawing, input: OpinionPdfInput, l: Labels) {
  draw.heading(l, "pdf:sections.answers");
  const { en, zh } = input.content.answers;
  const known = new Set(input.questions.map((q) => q.key));
  const asked = [...input.questions, ...en.items.filter((a) => !known.has(a.questionKey)).map((a) => ({ key: a.questionKey, text: a.questionKey }))];
  if (asked.length === 0) {
    draw.text(l.both("pdf:none"), { color: COLOR.muted });
    return;
  }
  asked.forEach((question, i) => {
    draw.doc.moveDown(0.4);
    draw.ensureSpace(60);
    draw.text(l.both("pdf:answers.question", { number: i + 1 }), { font: "bold" });
    draw.text(question.text, { gap: 0.2 });
    const answerEn = en.items.find((a) => a.questionKey === question.key)?.answer ?? "";
    const answerZh = zh?.items.find((a) => a.questionKey === question.key)?.answer ?? "";
    draw.languageTag("en");
    if (filled(answerEn)) draw.text(answerEn);
    else draw.note(l.en("pdf:answers.noAnswer"));
    draw.languageTag("zh-CN");
    if (filled(answerZh)) draw.text(answerZh);
    else if (!filled(answerEn)) draw.note(l.zh("pdf:answers.noAnswer"));
    else draw.note(l.both(input.englishOnly ? "pdf:englishOnly" : "pdf:translationMissing"));
  });
}

function signaturesSection(draw: Drawing, input: OpinionPdfInput, l: Labels) {
  draw.heading(l, "pdf:sections.signatures");
  const zones = [...new Set(input.timeZones)];
  for (const signer of input.signers) {
    draw.ensureSpace(30 + 14 * zones.length);
    draw.field(l.both("pdf:signatures.signedBy"), signer.displayName);
    draw.text(`${l.both("pdf:signatures.signedAt")}:`, { font: "bold" });
    for (const zone of zones) draw.text(zonedTimestamp(signer.signedAt, zone), { indent: 14 });
    draw.doc.moveDown(0.4);
  }
  draw.ensureSpace(32);
  draw.text(`${l.both("pdf:signatures.contentHash")}:`, { font: "bold" });
  draw.text(input.contentHash, { size: SIZE.small });
}

function keyImagesSection(draw: Drawing, images: readonly OpinionPdfKeyImage[], l: Labels) {
  if (images.length === 0) return;
  draw.heading(l, "pdf:sections.keyImages");
  images.forEach((k, i) => draw.image(k.image, `${l.both("pdf:keyImages.figure", { number: i + 1 })}: ${k.caption}`, k.measurements));
}

function followUpsSection(draw: Drawing, input: OpinionPdfInput, l: Labels) {
  if (input.followUps.length === 0) return;
  draw.heading(l, "pdf:sections.followUps");
  const zones = [...new Set(input.timeZones)];
  const times = (instant: Date) => zones.map((zone) => zonedTimestamp(instant, zone)).join(" · ");
  for (const followUp of input.followUps) {
    draw.ensureSpace(60);
    draw.field(l.both("pdf:followUps.question"), followUp.question);
    draw.note(`${l.both("pdf:followUps.asked")}: ${times(followUp.askedAt)}`, 14);
    if (followUp.answer !== null && filled(followUp.answer)) {
      draw.field(l.both("pdf:followUps.answer"), followUp.answer);
      if (followUp.answeredAt) draw.note(`${l.both("pdf:followUps.answered")}: ${times(followUp.answeredAt)}`, 14);
    } else draw.note(l.both("pdf:followUps.awaiting"));
    draw.doc.moveDown(0.5);
  }
}
