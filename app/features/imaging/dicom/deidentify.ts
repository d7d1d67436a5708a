/**
 * Applies the profile in deid-profile.ts to a parsed file, recursively through sequences, before anything is stored. Pure and
 * browser-safe (no Node modules): the case's code, secret and date offset come in; the de-identified file and what it learned
 * come out. The same function runs in the browser's upload worker, the hospital gateway and the server.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { dictionaryVr, dummyValue, isRegistryUid, METHOD, METHOD_CODES, profileEntry, TEXT_VRS } from "./deid-profile";
import { tagOf, type Dataset, type Element, type Part10 } from "./part10";

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
  sendingAe: tagOf(0x0002, 0x0017),
  receivingAe: tagOf(0x0002, 0x0018),
  privateCreatorUid: tagOf(0x0002, 0x0100),
  privateInformation: tagOf(0x0002, 0x0102),
};
const META_REMOVED = new Set([T.sourceAe, T.sendingAe, T.receivingAe, T.privateCreatorUid, T.privateInformation]);

/** Bytes as a string of the same length (one character per byte), so byte offsets and string offsets agree whatever the charset. */
export function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let at = 0; at < bytes.length; at += 8192) out += String.fromCharCode(...bytes.subarray(at, at + 8192));
  return out;
}
const latin1Bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
const trimmed = (bytes: Uint8Array) => latin1(bytes).replace(/[\0 ]+$/, "");
const stringOf = (dataset: Dataset, tag: number) => {
  const value = dataset.find((e) => e.tag === tag)?.value;
  return value ? trimmed(value) : undefined;
};

/** Encodes a value padded to even length as PS3.5 requires (UIDs with NUL, others with a space). */
function text(value: string, vr: string): Uint8Array {
  const bytes = latin1Bytes(value);
  if (bytes.length % 2 === 0) return bytes;
  const padded = new Uint8Array(bytes.length + 1);
  padded.set(bytes);
  padded[bytes.length] = vr === "UI" ? 0 : 0x20;
  return padded;
}

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
  if (!uid || isRegistryUid(uid)) return uid;
  return remapUid(ctx.institutionUidSecret ? remapUid(uid, ctx.institutionUidSecret) : uid, ctx.uidSecret);
}

const eachValue = (value: Uint8Array, map: (v: string) => string) => trimmed(value).split("\\").map(map).join("\\");
const shiftDateTime = (dt: string, days: number) => (dt.length >= 8 ? shiftDate(dt.slice(0, 8), days) + dt.slice(8) : "");

/**
 * Every person name and identifier in the file, wherever it sits: the parts of every PN value, and every value the profile
 * removes, empties, replaces or remaps (identifiers, addresses, birth dates, original UIDs), so free text kept elsewhere
 * can be cleaned of them.
 */
function identifyingTerms(dataset: Dataset, terms = new Set<string>()): Set<string> {
  for (const element of dataset) {
    if (element.items) {
      for (const item of element.items) identifyingTerms(item, terms);
      continue;
    }
    if (!element.value || element.fragments || element.value.length > 1024) continue;
    const vr = element.vr === "UN" ? dictionaryVr(element.tag) : element.vr;
    const { action } = profileEntry(element.tag, vr);
    const value = trimmed(element.value);
    if (vr === "PN") {
      for (const name of value.split("\\")) {
        for (const group of name.split("=")) {
          const parts = group.split("^").map(asciiTrim);
          addTerm(terms, parts.join(""));
          addTerm(terms, parts.filter(Boolean).join(" "));
          for (const part of parts) for (const word of part.split(/ +/)) addTerm(terms, word);
        }
      }
    } else if (action !== "K" && action !== "C" && (TEXT_VRS.has(vr) || vr === "DA" || vr === "UI" || vr === "AE")) {
      for (const part of value.split("\\")) addTerm(terms, asciiTrim(part));
    }
  }
  return terms;
}

// Only ASCII white space: in a string of bytes, JavaScript's \s would also match bytes inside multi-byte characters (0x85, 0xA0).
const asciiTrim = (s: string) => s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");

/** Terms of fewer than three bytes (or one ideograph) would clean away ordinary words. */
function addTerm(terms: Set<string>, term: string) {
  const ascii = /^[\x20-\x7e]*$/.test(term);
  if (term.length >= (ascii ? 3 : 4) && !/^[ \d.]{0,4}$/.test(term)) terms.add(term);
}

const isWordByte = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

/** Removes every identifying term from a text value: whole words for Latin terms (any case), anywhere for others. */
export function cleanText(value: Uint8Array, terms: Set<string>): Uint8Array {
  let out = latin1(value);
  let changed = false;
  for (const term of terms) {
    const ascii = /^[\x20-\x7e]*$/.test(term);
    const needle = ascii ? term.toLowerCase() : term;
    const haystack = ascii ? out.toLowerCase() : out;
    // One pass per term, keeping the pieces between matches: rebuilding the text at each match was quadratic, and a
    // megabytes-long comment repeating a name took minutes.
    const kept: string[] = [];
    let from = 0;
    // The character before a match is the one before it in the text as cleaned so far: right after a removed match
    // (`#12345#12345`), that is what preceded the removed one, not the removed one's last character.
    let lastKept: string | undefined;
    for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at)) {
      const before = at > from ? out[at - 1] : lastKept;
      if (ascii && (isWordByte(before) || isWordByte(out[at + needle.length]))) {
        at += needle.length;
        continue;
      }
      kept.push(out.slice(from, at));
      if (at > from) lastKept = out[at - 1];
      from = at + needle.length;
      at = from;
    }
    if (kept.length > 0) {
      out = kept.join("") + out.slice(from);
      changed = true;
    }
  }
  if (!changed) return value;
  out = asciiTrim(out.replace(/\0+$/, "").replace(/ {2,}/g, " "));
  if (out.replace(/[ \t\r\n^_\-.,:;/()]/g, "") === "") out = "REMOVED";
  return text(out, "LO");
}

function transform(dataset: Dataset, ctx: DeidContext, terms: Set<string>): Dataset {
  const out: Dataset = [];
  for (const element of dataset) {
    const vr = element.vr === "UN" ? dictionaryVr(element.tag) : element.vr;
    const { action } = profileEntry(element.tag, vr);
    if (action === "X") continue;
    if (action === "Z") {
      out.push(element.items ? { ...element, items: [] } : { tag: element.tag, vr: element.vr, value: new Uint8Array() });
      continue;
    }
    if (element.items) {
      out.push({ ...element, items: element.items.map((item) => transform(item, ctx, terms)) });
      continue;
    }
    if (!element.value || element.fragments || action === "K") {
      out.push(element);
      continue;
    }
    out.push({ ...element, value: newValue(element, vr, action, ctx, terms) });
  }
  return out;
}

function newValue(element: Element, vr: string, action: "D" | "U" | "C", ctx: DeidContext, terms: Set<string>): Uint8Array {
  const value = element.value!;
  if (vr === "UI")
    return text(
      eachValue(value, (uid) => newUid(uid.trim(), ctx)),
      "UI",
    );
  if (action === "D") {
    if (element.tag === T.patientName || element.tag === T.patientId) return text(ctx.caseCode, vr);
    if (vr === "UN" || vr.startsWith("O")) return new Uint8Array(2);
    return text(dummyValue(vr), vr);
  }
  if (vr === "DA")
    return text(
      eachValue(value, (d) => shiftDate(d, ctx.dateShiftDays)),
      vr,
    );
  if (vr === "DT")
    return text(
      eachValue(value, (dt) => shiftDateTime(dt, ctx.dateShiftDays)),
      vr,
    );
  // Whole-day shifts leave times of day as they were.
  if (vr === "TM") return value;
  if (TEXT_VRS.has(vr) || vr === "PN" || vr === "CS" || vr === "AE" || (vr === "UN" && isPrintable(value))) return cleanText(value, terms);
  return value;
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

/** Whether the pixels may show text (BurnedInAnnotation YES, ultrasound, secondary capture, other): such series wait for a coordinator. */
export function burnedInRisk(dataset: Dataset): boolean {
  const modality = stringOf(dataset, T.modality)?.toUpperCase();
  const sopClass = stringOf(dataset, T.sopClass) ?? "";
  return (
    stringOf(dataset, T.burnedIn)?.toUpperCase() === "YES" || ["US", "SC", "OT"].includes(modality ?? "") || sopClass.startsWith("1.2.840.10008.5.1.4.1.1.7")
  );
}

export function deidentify(file: Part10, ctx: DeidContext): DeidOutcome {
  const original = file.dataset;
  const terms = identifyingTerms(original);

  const dataset = transform(original, ctx, terms);
  set(dataset, { tag: T.patientName, vr: "PN", value: text(ctx.caseCode, "PN") });
  set(dataset, { tag: T.patientId, vr: "LO", value: text(ctx.caseCode, "LO") });
  set(dataset, { tag: T.identityRemoved, vr: "CS", value: text("YES", "CS") });
  set(dataset, { tag: T.method, vr: "LO", value: text(`${METHOD}\\${deidentificationSeal(ctx, stringOf(dataset, T.sopInstance) ?? "")}`, "LO") });
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
  dataset.sort((a, b) => a.tag - b.tag);

  const meta = file.meta
    .filter((e) => !META_REMOVED.has(e.tag))
    .map((e) => (e.tag === T.mediaSopInstance && e.value ? { ...e, value: text(newUid(trimmed(e.value), ctx), "UI") } : e));

  return {
    file: { meta, dataset, transferSyntax: file.transferSyntax },
    burnedInRisk: burnedInRisk(original),
    linkage: { accessionNumber: stringOf(original, T.accession) || undefined, patientId: stringOf(original, T.patientId) || undefined },
  };
}
