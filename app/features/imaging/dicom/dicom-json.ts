/** DICOM JSON model (PS3.18 Annex F) of a parsed dataset; bulk data is referenced, not inlined. */
import { dictionaryVr } from "./deid-profile";
import { trimmedString, type Dataset } from "./part10";

export type JsonAttribute = { vr: string; Value?: unknown[]; InlineBinary?: string; BulkDataURI?: string };
export type DicomJson = Record<string, JsonAttribute>;

const MULTI_STRING = new Set(["AE", "AS", "CS", "DA", "DT", "LO", "SH", "TM", "UC", "UI"]);
const SINGLE_STRING = new Set(["LT", "ST", "UT", "UR"]);
const BINARY_NUMBER: Record<string, [bytes: number, read: (view: DataView, at: number, little: boolean) => number]> = {
  US: [2, (v, at, le) => v.getUint16(at, le)],
  SS: [2, (v, at, le) => v.getInt16(at, le)],
  UL: [4, (v, at, le) => v.getUint32(at, le)],
  SL: [4, (v, at, le) => v.getInt32(at, le)],
  FL: [4, (v, at, le) => v.getFloat32(at, le)],
  FD: [8, (v, at, le) => v.getFloat64(at, le)],
};
const INLINE_LIMIT = 1024;

const key = (tag: number) => (tag >>> 0).toString(16).toUpperCase().padStart(8, "0");

export function toDicomJson(dataset: Dataset, littleEndian: boolean, bulkDataUri: (tagKey: string) => string): DicomJson {
  const out: DicomJson = {};
  for (const element of dataset) {
    const k = key(element.tag);
    const vr = element.vr === "UN" ? dictionaryVr(element.tag) : element.vr;
    if (element.items) {
      out[k] = { vr: "SQ", Value: element.items.map((item) => toDicomJson(item, littleEndian, bulkDataUri)) };
      continue;
    }
    if (element.fragments) {
      out[k] = { vr, BulkDataURI: bulkDataUri(k) };
      continue;
    }
    const value = element.value ?? new Uint8Array();
    if (value.length === 0) {
      out[k] = { vr };
      continue;
    }
    const text = () => trimmedString(value);
    if (MULTI_STRING.has(vr))
      out[k] = {
        vr,
        Value: text()
          .split("\\")
          .map((v) => v.trim()),
      };
    else if (SINGLE_STRING.has(vr)) out[k] = { vr, Value: [text()] };
    else if (vr === "PN") {
      out[k] = {
        vr,
        Value: text()
          .split("\\")
          .map((name) => {
            const [Alphabetic, Ideographic, Phonetic] = name.split("=");
            return Object.fromEntries(Object.entries({ Alphabetic, Ideographic, Phonetic }).filter(([, v]) => v));
          }),
      };
    } else if (vr === "IS" || vr === "DS") {
      out[k] = {
        vr,
        Value: text()
          .split("\\")
          .map((v) => Number(v.trim()))
          .filter((n) => Number.isFinite(n)),
      };
    } else if (BINARY_NUMBER[vr]) {
      const [size, read] = BINARY_NUMBER[vr];
      const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
      out[k] = { vr, Value: Array.from({ length: Math.floor(value.length / size) }, (_, i) => read(view, i * size, littleEndian)) };
    } else if (vr === "AT") {
      out[k] = { vr, Value: [] };
    } else if (value.length <= INLINE_LIMIT && k !== "7FE00010") {
      out[k] = { vr, InlineBinary: Buffer.from(value).toString("base64") };
    } else {
      out[k] = { vr, BulkDataURI: bulkDataUri(k) };
    }
  }
  return out;
}
