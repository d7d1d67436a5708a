/**
 * Applies the profile in deid-profile.ts to a parsed file, recursively through
 * sequences, before anything is stored. Pure: the case's code, secret and date
 * offset come in; the de-identified file and what it learned come out.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { dictionaryVr, profileEntry } from "./deid-profile";
import { encodeString, find, stringValue, tagOf, trimmedString, type Dataset, type Element, type Part10 } from "./part10";

/**
 * `institutionUidSecret`, when given, remaps UIDs once more before the case's
 * own remapping: a study first held in the institution's inbox (remapped with
 * that secret only) then lands on the same UIDs as one sent straight to the case.
 */
export type DeidContext = { caseCode: string; uidSecret: string; institutionUidSecret?: string; dateShiftDays: number };
export type DeidOutcome = { file: Part10; burnedInRisk: boolean; linkage: { accessionNumber?: string; patientId?: string } };

const T = {
  patientName: tagOf(0x0010, 0x0010),
  patientId: tagOf(0x0010, 0x0020),
  accession: tagOf(0x0008, 0x0050),
  institution: tagOf(0x0008, 0x0080),
  referringPhysician: tagOf(0x0008, 0x0090),
  otherIds: tagOf(0x0010, 0x1000),
  modality: tagOf(0x0008, 0x0060),
  sopClass: tagOf(0x0008, 0x0016),
  sopInstance: tagOf(0x0008, 0x0018),
  burnedIn: tagOf(0x0028, 0x0301),
  identityRemoved: tagOf(0x0012, 0x0062),
  method: tagOf(0x0012, 0x0063),
  methodCodes: tagOf(0x0012, 0x0064),
  temporalModified: tagOf(0x0028, 0x0303),
  codeValue: tagOf(0x0008, 0x0100),
  codingScheme: tagOf(0x0008, 0x0102),
  codeMeaning: tagOf(0x0008, 0x0104),
  mediaSopInstance: tagOf(0x0002, 0x0003),
  sourceAe: tagOf(0x0002, 0x0016),
};
const TEXT_VRS = new Set(["LO", "SH", "ST", "LT", "UT", "UC", "PN"]);
// LO allows 64 characters; the code sequence below names each option in full.
const METHOD = "PS3.15 E.1 Basic Profile; Modified Dates; Clean Descriptors";
const METHOD_CODES: [string, string][] = [
  ["113100", "Basic Application Confidentiality Profile"],
  ["113107", "Retain Longitudinal Temporal Information Modified Dates Option"],
  ["113105", "Clean Descriptors Option"],
];

/** A new UID (2.25 + 128 bits) derived from the case secret: the same original always maps to the same UID within a case. */
export function remapUid(uid: string, secret: string): string {
  const digest = bytesToHex(sha256(utf8ToBytes(`${secret}\0${uid}`)));
  return `2.25.${BigInt(`0x${digest.slice(0, 32)}`).toString()}`;
}

/**
 * Proof, written into De-identification Method (0012,0063) as its second value, that a file was de-identified with this case's
 * context: a keyed hash of the case code and the new SOP Instance UID under the case's UID secret. The server recomputes it for
 * files de-identified elsewhere (the browser, the hospital gateway) and refuses a file whose seal does not match.
 */
export function deidentificationSeal(ctx: Pick<DeidContext, "caseCode" | "uidSecret">, sopInstanceUid: string): string {
  return `SEAL ${bytesToHex(hmac(sha256, utf8ToBytes(ctx.uidSecret), utf8ToBytes(`${ctx.caseCode}\0${sopInstanceUid}`))).slice(0, 40)}`;
}

export function shiftDate(date: string, days: number): string {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(date.trim());
  if (!match) return "";
  const shifted = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) + days * 86_400_000);
  return shifted.toISOString().slice(0, 10).replace(/-/g, "");
}

function newUid(uid: string, ctx: DeidContext): string {
  return remapUid(ctx.institutionUidSecret ? remapUid(uid, ctx.institutionUidSecret) : uid, ctx.uidSecret);
}

function text(value: string, vr: string): Uint8Array {
  return encodeString(value, vr);
}

function scrubTerms(dataset: Dataset): Buffer[] {
  const terms: Buffer[] = [];
  for (const tag of [T.patientName, T.patientId, T.accession, T.otherIds, T.institution, T.referringPhysician]) {
    const value = find(dataset, tag)?.value;
    if (!value) continue;
    for (const part of Buffer.from(value)
      .toString("latin1")
      .split(/[\^=\\]/)) {
      const trimmed = part.trim();
      if (trimmed.length >= 3) terms.push(Buffer.from(trimmed, "latin1"));
    }
  }
  return terms;
}

/** Removes the patient's names and identifiers from a text value; a value left empty becomes a dummy, so required attributes stay present. */
function scrub(value: Uint8Array, terms: Buffer[]): Uint8Array {
  let out = Buffer.from(value);
  let changed = false;
  for (const term of terms) {
    for (let at = out.indexOf(term); at !== -1; at = out.indexOf(term)) {
      out = Buffer.concat([out.subarray(0, at), out.subarray(at + term.length)]);
      changed = true;
    }
  }
  if (changed && out.toString("latin1").replace(/[\s\0^_\-.,]/g, "") === "") out = Buffer.from("REMOVED");
  return out.length % 2 ? Buffer.concat([out, Buffer.from(" ")]) : out;
}

function transform(dataset: Dataset, ctx: DeidContext, terms: Buffer[]): Dataset {
  const out: Dataset = [];
  for (const element of dataset) {
    if ((element.tag >>> 16) % 2 === 1) continue; // private groups
    const rule = profileEntry(element.tag);
    const vr = element.vr === "UN" ? dictionaryVr(element.tag) : element.vr;
    if (rule?.action === "X") continue;
    if (rule?.action === "Z") {
      out.push(element.items ? { ...element, items: [] } : { tag: element.tag, vr: element.vr, value: new Uint8Array() });
      continue;
    }
    if (element.items) {
      out.push({ ...element, items: element.items.map((item) => transform(item, ctx, terms)) });
      continue;
    }
    if (!element.value || element.fragments) {
      out.push(element);
      continue;
    }
    const raw = rule?.action === "U" || vr === "DA" || vr === "DT" ? trimmedString(element.value) : "";
    if (rule?.action === "U") {
      out.push({
        ...element,
        value: text(
          raw
            .split("\\")
            .map((uid) => (uid ? newUid(uid.trim(), ctx) : uid))
            .join("\\"),
          "UI",
        ),
      });
    } else if (vr === "DA") {
      out.push({
        ...element,
        value: text(
          raw
            .split("\\")
            .map((d) => shiftDate(d, ctx.dateShiftDays))
            .join("\\"),
          "DA",
        ),
      });
    } else if (vr === "DT") {
      out.push({
        ...element,
        value: text(
          raw
            .split("\\")
            .map((dt) => (dt.length >= 8 ? shiftDate(dt.slice(0, 8), ctx.dateShiftDays) + dt.slice(8) : ""))
            .join("\\"),
          "DT",
        ),
      });
    } else if (rule?.action === "D") {
      const patient = element.tag === T.patientName || element.tag === T.patientId;
      out.push({ ...element, value: text(patient ? ctx.caseCode : "REMOVED", vr) });
    } else if ((TEXT_VRS.has(vr) || (vr === "UN" && isPrintable(element.value))) && rule?.action !== "K") {
      out.push({ ...element, value: scrub(element.value, terms) });
    } else {
      out.push(element);
    }
  }
  return out;
}

/** Implicit-VR files do not say which unknown elements are text; short printable values are treated as text. */
function isPrintable(value: Uint8Array): boolean {
  return value.length > 0 && value.length <= 4096 && value.every((b) => b === 0x1b || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f) || b >= 0xa0);
}

function set(dataset: Dataset, element: Element) {
  const at = dataset.findIndex((e) => e.tag === element.tag);
  if (at >= 0) dataset[at] = element;
  else dataset.push(element);
}

export function deidentify(file: Part10, ctx: DeidContext): DeidOutcome {
  const original = file.dataset;
  const terms = scrubTerms(original);
  const modality = stringValue(original, T.modality)?.toUpperCase();
  const sopClass = stringValue(original, T.sopClass) ?? "";
  const burnedInRisk =
    stringValue(original, T.burnedIn)?.toUpperCase() === "YES" ||
    ["US", "SC", "OT"].includes(modality ?? "") ||
    sopClass.startsWith("1.2.840.10008.5.1.4.1.1.7");

  const dataset = transform(original, ctx, terms);
  set(dataset, { tag: T.patientName, vr: "PN", value: text(ctx.caseCode, "PN") });
  set(dataset, { tag: T.patientId, vr: "LO", value: text(ctx.caseCode, "LO") });
  set(dataset, { tag: T.identityRemoved, vr: "CS", value: text("YES", "CS") });
  set(dataset, { tag: T.method, vr: "LO", value: text(`${METHOD}\\${deidentificationSeal(ctx, stringValue(dataset, T.sopInstance) ?? "")}`, "LO") });
  set(dataset, { tag: T.temporalModified, vr: "CS", value: text("MODIFIED", "CS") });
  set(dataset, {
    tag: T.methodCodes,
    vr: "SQ",
    value: null,
    items: METHOD_CODES.map(([code, meaning]) => [
      { tag: T.codeValue, vr: "SH", value: text(code, "SH") },
      { tag: T.codingScheme, vr: "SH", value: text("DCM", "SH") },
      { tag: T.codeMeaning, vr: "LO", value: text(meaning, "LO") },
    ]),
  });

  const meta = file.meta
    .filter((e) => e.tag !== T.sourceAe)
    .map((e) => (e.tag === T.mediaSopInstance && e.value ? { ...e, value: text(newUid(trimmedString(e.value), ctx), "UI") } : e));

  return {
    file: { meta, dataset, transferSyntax: file.transferSyntax },
    burnedInRisk,
    linkage: { accessionNumber: stringValue(original, T.accession) || undefined, patientId: stringValue(original, T.patientId) || undefined },
  };
}
