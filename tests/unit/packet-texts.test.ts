/**
 * The packet's short free texts: the subject each translation is kept under, which texts a packet holds, what each
 * reader is shown first (their language, the original a click away, or an "untranslated" mark), and where
 * translations go when biomarkers and treatment lines are written anew.
 */
import { describe, expect, it } from "vitest";
import { drugsValue, histologyValue, siteValue } from "~/features/cases/clinical-codes";
import { shownLabel, shownTo } from "~/features/cases/clinical-value";
import { carriedRowTranslations, packetTextOf, packetTexts, packetTextSubject, packetTranslation } from "~/features/cases/packet-texts";
import { subjectKey, TextTranslationForm } from "~/features/translation/translated-text";

const CASE_ID = "cmcase0000000000000000001";
const BIOMARKER_ID = "cmbiomarker00000000000001";
const LINE_ID = "cmline0000000000000000001";
const byLi = { text: "22C3 antibody", byName: "Dr. Sarah Miller", at: "2026-10-02T08:00:00.000Z" };

describe("a packet text's subject", () => {
  it("names the row and the field, and reads back only fields the packet has", () => {
    const subject = packetTextSubject(BIOMARKER_ID, "note");
    expect(subject).toEqual({ type: "PACKET_FIELD", id: `${BIOMARKER_ID}.note` });
    expect(packetTextOf(subject.id)).toEqual({ rowId: BIOMARKER_ID, field: "note" });
    for (const id of [`${CASE_ID}.clinicalHistory`, `${CASE_ID}.constructor`, "note", `.note`, CASE_ID]) expect(packetTextOf(id), id).toBeNull();
  });

  it("fits the translation form, whose subject id is bounded", () => {
    const longest = packetTextSubject(LINE_ID, "reasonStopped");
    const form = { intent: "translateText", subjectType: longest.type, subjectId: longest.id, text: "New liver metastases" };
    expect(TextTranslationForm.safeParse(form).success).toBe(true);
    expect(TextTranslationForm.safeParse({ ...form, subjectId: "x".repeat(81) }).success).toBe(false);
  });

  it("is given for every short text a packet holds, and for none left empty", () => {
    const texts = packetTexts({
      id: CASE_ID,
      primarySite: "右肺上叶",
      histology: null,
      urgencyReason: "  ",
      biomarkers: [{ id: BIOMARKER_ID, specimen: "右肺穿刺组织", note: "22C3抗体" }],
      treatmentLines: [{ id: LINE_ID, regimen: "", reasonStopped: "新发肝转移" }],
    });
    expect(texts.map(({ subject, text }) => [subject.id, text])).toEqual([
      [`${CASE_ID}.primarySite`, "右肺上叶"],
      [`${BIOMARKER_ID}.specimen`, "右肺穿刺组织"],
      [`${BIOMARKER_ID}.note`, "22C3抗体"],
      [`${LINE_ID}.reasonStopped`, "新发肝转移"],
    ]);
    const found = { [subjectKey(packetTextSubject(BIOMARKER_ID, "note"))]: byLi };
    expect(packetTranslation(found, BIOMARKER_ID, "note")).toBe(byLi);
    expect(packetTranslation(found, BIOMARKER_ID, "specimen")).toBeNull();
  });
});

describe("a packet text as each reader sees it", () => {
  it("gives the English reader a translated note first, with who translated it and the Chinese original a click away", () => {
    expect(shownLabel(null, "22C3抗体", "en", byLi)).toEqual({
      first: "22C3 antibody",
      firstLanguage: "en",
      untranslated: false,
      translatedBy: byLi,
      original: { text: "22C3抗体", language: "zh-CN", entered: true, translation: null },
    });
    // The Chinese reader reads the original; an uncoded histology goes the same way.
    expect(shownLabel(null, "22C3抗体", "zh-CN", byLi)).toMatchObject({ first: "22C3抗体", translatedBy: null, untranslated: false, original: null });
    expect(shownTo(histologyValue(null, "浸润性腺癌", { ...byLi, text: "Invasive adenocarcinoma" }), "en")).toMatchObject({
      first: "Invasive adenocarcinoma",
      translatedBy: { byName: "Dr. Sarah Miller" },
    });
  });

  it("keeps the untranslated mark while nobody has translated the text", () => {
    expect(shownLabel(null, "22C3抗体", "en", null)).toMatchObject({ first: "22C3抗体", untranslated: true, translatedBy: null });
  });

  it("puts a translation beside what was entered where codes come first", () => {
    const regimen = drugsValue('["osimertinib"]', "80 mg 每日一次", { ...byLi, text: "80 mg once daily" });
    expect(shownTo(regimen, "en")).toEqual({
      first: "osimertinib",
      firstLanguage: "en",
      untranslated: false,
      translatedBy: null,
      original: { text: "80 mg 每日一次", language: "zh-CN", entered: true, translation: { ...byLi, text: "80 mg once daily" } },
    });
    expect(shownTo(regimen, "zh-CN")?.original).toEqual({ text: "80 mg 每日一次", language: "zh-CN", entered: true, translation: null });
    expect(shownLabel("Disease progression", "新发肝转移", "en", { ...byLi, text: "New liver metastases" })?.original?.translation?.text).toBe(
      "New liver metastases",
    );
  });

  it("has no translation for a value with no text", () => {
    expect(siteValue("C34.1", "  ", byLi)).toEqual({ terms: [expect.objectContaining({ code: "C34.1" })], text: null, translation: null });
  });
});

describe("translations of biomarkers' and lines' texts when the packet is saved again", () => {
  const translation = (id: string, rowId: string, field: string, originalSha256: string) => ({ id, subjectId: `${rowId}.${field}`, originalSha256 });
  const text = (rowId: string, position: number, field: "note" | "specimen" | "reasonStopped", sha256: string) => ({ rowId, position, field, sha256 });

  it("follows its original to the new row, the one at the same place first", () => {
    const carried = carriedRowTranslations(
      [translation("t1", "old-a", "note", "sha-same"), translation("t2", "old-b", "note", "sha-same")],
      [
        { rowId: "old-a", position: 0 },
        { rowId: "old-b", position: 1 },
      ],
      [text("new-b", 1, "note", "sha-same"), text("new-a", 0, "note", "sha-same")],
    );
    expect(carried).toEqual({
      moved: [
        { id: "t1", subjectId: "new-a.note" },
        { id: "t2", subjectId: "new-b.note" },
      ],
      dropped: [],
    });
  });

  it("follows a row that moved, and goes when its original changed or its row is gone", () => {
    const carried = carriedRowTranslations(
      [
        translation("moved", "old-a", "note", "sha-a"),
        translation("changed", "old-b", "note", "sha-b"),
        translation("gone", "old-c", "reasonStopped", "sha-c"),
        translation("wrong-field", "old-d", "specimen", "sha-a"),
      ],
      [
        { rowId: "old-a", position: 0 },
        { rowId: "old-b", position: 1 },
        { rowId: "old-c", position: 1 },
        { rowId: "old-d", position: 2 },
      ],
      [text("new-x", 0, "note", "sha-b2"), text("new-y", 1, "note", "sha-a")],
    );
    expect(carried).toEqual({ moved: [{ id: "moved", subjectId: "new-y.note" }], dropped: ["changed", "gone", "wrong-field"] });
  });

  it("leaves the case's own texts where they are: they count again once the text is back", () => {
    expect(carriedRowTranslations([translation("site", CASE_ID, "primarySite", "sha-old")], [], [])).toEqual({ moved: [], dropped: [] });
  });
});
