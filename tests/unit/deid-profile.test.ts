/** The de-identification profile: generated from the standard, read with the platform's options, and its defaults for what the table does not name. */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DEID_TABLE, DEID_TABLE_EDITION } from "~/features/imaging/dicom/deid-table.generated";
import { dictionaryVr, profileEntry, resolveAction } from "~/features/imaging/dicom/deid-profile";
import { cleanText, deidentificationSeal, deidentify, remapUid } from "~/features/imaging/dicom/deidentify";
import { encodeString, tagOf, trimmedString, type Dataset, type Element } from "~/features/imaging/dicom/part10";
import { sequence, text } from "../support/dicom-images";

const tag = (hex: string) => Number.parseInt(hex, 16) >>> 0;
const action = (hex: string) => profileEntry(tag(hex)).action;
const ctx = { caseCode: "TB-2026-0007", uidSecret: "secret-7", dateShiftDays: -100 };
const TS_EXPLICIT = "1.2.840.10008.1.2.1";

function run(dataset: Dataset): Dataset {
  const meta = [text("00020010", "UI", TS_EXPLICIT)];
  return deidentify({ meta, dataset: [...dataset].sort((a, b) => a.tag - b.tag), transferSyntax: TS_EXPLICIT }, ctx).file.dataset;
}
const valueOf = (dataset: Dataset, hex: string) => {
  const found = dataset.find((e) => e.tag === tag(hex));
  return found?.value ? trimmedString(found.value) : found ? "" : undefined;
};
const raw = (hex: string, vr: string, bytes: number[]): Element => ({ tag: tag(hex), vr, value: Uint8Array.from(bytes) });

describe("the generated table", () => {
  it("is what the standard's Table E.1-1 and the data dictionary give today (npm run deid:generate --check)", () => {
    execFileSync("npx", ["tsx", "app/cli/generate-deid-table.ts", "--check"], { stdio: "pipe" });
    expect(DEID_TABLE).toHaveLength(621);
    expect(DEID_TABLE_EDITION).toMatch(/PS3\.15 Table E\.1-1 .*7f4749d/);
  });

  it("reads every row with the Basic Profile and the Modified Dates and Clean Descriptors options, as their columns say", () => {
    expect(action("00401102")).toBe("X"); // Person's Address
    expect(action("00401103")).toBe("X"); // Person's Telephone Numbers
    expect(action("00102297")).toBe("X"); // Responsible Person
    expect(action("0040050A")).toBe("X"); // Specimen Accession Number
    expect(action("00080055")).toBe("X"); // Station AE Title
    expect(action("00080050")).toBe("Z"); // Accession Number
    expect(action("00100010")).toBe("Z"); // Patient's Name (then set to the case code)
    expect(action("00080020")).toBe("C"); // Study Date: Modified Dates
    expect(action("00084000")).toBe("C"); // Identifying Comments: Clean Descriptors
    expect(action("00081030")).toBe("C"); // Study Description
    expect(action("00402400")).toBe("C"); // Imaging Service Request Comments
    expect(action("00080018")).toBe("U"); // SOP Instance UID
    expect(action("00083010")).toBe("U"); // Irradiation Event UID
    for (const row of DEID_TABLE) expect(["X", "Z", "D", "U", "K", "C"], row.name).toContain(resolveAction(row));
  });

  it("resolves combined actions so every IOD stays valid and nothing is kept", () => {
    expect(resolveAction({ vr: "DA", basic: "X/Z" })).toBe("Z");
    expect(resolveAction({ vr: "LO", basic: "X/Z/D" })).toBe("D");
    expect(resolveAction({ vr: "PN", basic: "Z/D" })).toBe("D");
    expect(action("00080082")).toBe("Z"); // Institution Code Sequence, X/Z/D: emptied, not kept with its items
    expect(action("00081072")).toBe("X"); // Operator Identification Sequence, X/D
    expect(action("00082112")).toBe("U"); // Source Image Sequence, X/Z/U*: kept, its UIDs remapped
    expect(action("0016002B")).toBe("X"); // Maker Note: Clean Descriptors cannot clean binary, so the Basic Profile applies
    expect(action("00340007")).toBe("D"); // Frame Origin Timestamp (OB): likewise
  });

  it("has a default for everything the table does not name", () => {
    expect(action("00091010")).toBe("X"); // private
    expect(action("60023000")).toBe("X"); // overlay data in any overlay group
    expect(action("60024000")).toBe("X"); // overlay comments
    expect(action("60020010")).toBe("X"); // the rest of an overlay plane
    expect(action("50000010")).toBe("X"); // curves
    expect(action("00080000")).toBe("X"); // group lengths
    expect(profileEntry(tag("0040A075")).action).toBe("D"); // Verifying Observer Name is in the table
    expect(profileEntry(tag("00700084")).action).toBe("D"); // Content Creator's Name
    expect(profileEntry(tag("00181140"), "PN")).toMatchObject({ action: "X", fromTable: false }); // any unnamed PN
    expect(profileEntry(tag("0020000D"))).toMatchObject({ action: "U" });
    expect(profileEntry(tag("00081150"))).toMatchObject({ action: "K" }); // Referenced SOP Class UID: a registry UID
    expect(profileEntry(tag("00080016"))).toMatchObject({ action: "K" });
    expect(profileEntry(tag("0008010C"))).toMatchObject({ action: "K" }); // Coding Scheme UID
    expect(profileEntry(tag("00181030")).action).toBe("C"); // Protocol Name
    expect(profileEntry(tag("00189999"), "UN").action).toBe("C");
    expect(dictionaryVr(tag("00100010"))).toBe("PN");
    expect(dictionaryVr(tag("7FE00010"))).toBe("OW");
  });
});

describe("de-identifying with the profile", () => {
  const patient = [text("00100010", "PN", "Doe^John"), text("00100020", "LO", "PID12345"), text("00100030", "DA", "19600203")];

  it("removes private attributes, unnamed person names, overlays and curves, and keeps the image", () => {
    const out = run([
      ...patient,
      text("00091010", "LO", "Doe^John private"),
      text("00091001", "LO", "creator"),
      text("00181140", "PN", "Smith^Anna"), // not named by the table
      raw("60000010", "US", [2, 0]),
      raw("60003000", "OW", [1, 2, 3, 4]),
      text("60004000", "LT", "burned note"),
      raw("50000005", "US", [1, 0]),
      raw("00280010", "US", [2, 0]),
    ]);
    expect(out.filter((e) => e.tag >>> 16 === 0x0009 || e.tag >>> 16 === 0x6000 || e.tag >>> 16 === 0x5000)).toEqual([]);
    expect(valueOf(out, "00181140")).toBeUndefined();
    expect(out.find((e) => e.tag === tag("00280010"))?.value).toEqual(Uint8Array.from([2, 0]));
  });

  it("remaps every UID except registry ones, in attributes the table names and those it does not", () => {
    const out = run([
      ...patient,
      text("0020000D", "UI", "1.2.3.4.5"),
      text("00189999", "UI", "1.2.3.4.6"), // unnamed UI
      text("00081150", "UI", "1.2.840.10008.5.1.4.1.1.2"),
      text("00089999", "UI", "1.2.840.10008.1.2.1"),
      sequence("00082112", [text("00081150", "UI", "1.2.840.10008.5.1.4.1.1.2"), text("00081155", "UI", "1.2.3.4.7")]),
    ]);
    expect(valueOf(out, "0020000D")).toBe(remapUid("1.2.3.4.5", ctx.uidSecret));
    expect(valueOf(out, "00189999")).toBe(remapUid("1.2.3.4.6", ctx.uidSecret));
    expect(valueOf(out, "00081150")).toBe("1.2.840.10008.5.1.4.1.1.2");
    expect(valueOf(out, "00089999")).toBe("1.2.840.10008.1.2.1");
    const item = out.find((e) => e.tag === tag("00082112"))!.items![0];
    expect(valueOf(item, "00081155")).toBe(remapUid("1.2.3.4.7", ctx.uidSecret));
    expect(valueOf(item, "00081150")).toBe("1.2.840.10008.5.1.4.1.1.2");
  });

  it("cleans kept text of every person name and identifier found anywhere in the file, not only the patient's", () => {
    const out = run([
      ...patient,
      text("00081070", "PN", "Wong^Mei"), // Operators' Name, removed; the name still appears below
      text("00080050", "SH", "ACC-778899"),
      text("00081030", "LO", "CT chest Doe ACC-778899"),
      text("0008103E", "LO", "Operator WONG recon of PID12345"),
      text("00204000", "LT", "Born 19600203; Dominic reviewed; doe-ray phantom"),
      sequence("0040A730", [text("0040A160", "UT", "Mei Wong saw John Doe")]),
    ]);
    expect(valueOf(out, "00081030")).toBe("CT chest");
    expect(valueOf(out, "0008103E")).toBe("Operator recon of");
    // Whole words only: "Dominic" and "doe-ray" stay; the birth date goes.
    expect(valueOf(out, "00204000")).toBe("Born ; Dominic reviewed; -ray phantom");
    expect(valueOf(out.find((e) => e.tag === tag("0040A730"))!.items![0], "0040A160")).toBe("saw");
    expect(valueOf(out, "00081070")).toBe("REMOVED"); // X/Z/D: a dummy
  });

  it("cleans Chinese names out of text, and a value left empty becomes a dummy", () => {
    const utf8 = (s: string) => String.fromCharCode(...new TextEncoder().encode(s));
    const chineseName = { tag: tag("00100010"), vr: "PN", value: encodeString(`Zhang^Wei=${utf8("张^伟")}`, "PN") };
    const cleaned = cleanText(encodeString(utf8("患者张伟 胸部CT"), "LO"), new Set([utf8("张伟")]));
    expect(new TextDecoder().decode(Uint8Array.from(trimmedString(cleaned), (c) => c.charCodeAt(0)))).toBe("患者 胸部CT");
    const out = run([chineseName, text("00100020", "LO", "PID9"), text("00081030", "LO", utf8("张伟"))]);
    expect(valueOf(out, "00081030")).toBe("REMOVED");
  });

  describe("cleanText", () => {
    const utf8 = (s: string) => Array.from(new TextEncoder().encode(s), (b) => String.fromCharCode(b)).join("");
    /** `text` cleaned of `terms`, both given as Unicode and sent as UTF-8 bytes, as a file carries them. */
    const clean = (text: string, ...terms: string[]) =>
      new TextDecoder().decode(Uint8Array.from(trimmedString(cleanText(encodeString(utf8(text), "LO"), new Set(terms.map(utf8)))), (c) => c.charCodeAt(0)));

    it("removes every occurrence of a term that starts with a non-word character, back to back too", () => {
      expect(clean("ID #12345#12345 seen", "#12345")).toBe("ID seen");
      expect(clean("#12345#12345#12345", "#12345")).toBe("REMOVED");
      expect(clean("see #12345#12345, then #12345.", "#12345")).toBe("see , then .");
      expect(clean("(PID-77)(PID-77) done", "(PID-77)")).toBe("done");
    });

    it("removes a term at the start and at the end, in any case, and whole words only", () => {
      expect(clean("Wong saw it", "Wong")).toBe("saw it");
      expect(clean("seen by WONG", "Wong")).toBe("seen by");
      expect(clean("Wong Wong", "Wong")).toBe("REMOVED");
      // Next to letters or digits it is part of another word, and stays.
      expect(clean("Wongs and xWong and Wong2", "Wong")).toBe("Wongs and xWong and Wong2");
      expect(clean("WongWong", "Wong")).toBe("WongWong");
      expect(clean("x#12345#12345", "#12345")).toBe("x#12345#12345");
      expect(clean("#12345#12345y", "#12345")).toBe("#12345y");
      expect(clean("Dr.Wong;Wong-Lee", "Wong")).toBe("Dr.;-Lee");
    });

    it("removes Chinese terms anywhere, next to Chinese or Latin text and back to back", () => {
      expect(clean("患者张伟张伟，张伟复查", "张伟")).toBe("患者，复查");
      expect(clean("张伟CT张伟", "张伟")).toBe("CT");
      expect(clean("病人 ID张伟x 与 #12345号", "张伟", "#12345")).toBe("病人 IDx 与 号");
    });

    it("stays linear on a long text repeating a term", () => {
      const started = performance.now();
      expect(clean(`${"#12345".repeat(200_000)} kept`, "#12345")).toBe("kept");
      expect(performance.now() - started).toBeLessThan(5_000);
    });
  });

  it("moves dates the table does not name by the case's offset, and records the method with its CID 7050 codes and seal", () => {
    const out = run([...patient, text("00080020", "DA", "20240110"), text("00189998", "DA", "20240111"), text("00080018", "UI", "1.2.3.9")]);
    expect(valueOf(out, "00080020")).toBe("20231002");
    expect(valueOf(out, "00189998")).toBe("20231003");
    expect(valueOf(out, "00100030")).toBe("");
    expect(valueOf(out, "00100010")).toBe(ctx.caseCode);
    expect(valueOf(out, "00120062")).toBe("YES");
    expect(valueOf(out, "00120063")!.split("\\")).toEqual([
      "PS3.15 E.1 Basic Profile; Modified Dates; Clean Descriptors",
      deidentificationSeal(ctx, remapUid("1.2.3.9", ctx.uidSecret)),
    ]);
    const codes = out.find((e) => e.tag === tagOf(0x0012, 0x0064))!.items!.map((item) => valueOf(item, "00080100"));
    expect(codes).toEqual(["113100", "113107", "113105"]);
  });
});
