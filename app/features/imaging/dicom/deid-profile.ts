/**
 * The de-identification profile: what happens to each attribute. The rows are DICOM PS3.15 Table E.1-1, generated from the
 * standard (deid-table.generated.ts, `npm run deid:generate`), read with the Basic Application Level Confidentiality Profile and
 * the two options this platform uses, exactly as their columns say:
 *  - Retain Longitudinal Temporal Information with Modified Dates: dates move by one offset per case, so intervals are kept;
 *  - Clean Descriptors: descriptions, comments and protocol names are kept, cleaned of names and identifiers.
 * Actions: X remove, Z empty, D dummy, U new UID, K keep, C clean.
 *
 * Decisions where the table leaves a choice or says nothing (each tested in tests/unit/deid-profile.test.ts):
 *  - Combined actions depend on an IOD's attribute type, which a file does not state, so the choice keeps every IOD valid
 *    without keeping information: X/Z → Z (empty), X/D, Z/D, X/Z/D → D (dummy), except that a sequence is emptied (Z) or,
 *    for X/D, removed, since a dummy sequence would keep its items; X/Z/U* (sequences of references) → the sequence is kept
 *    and the UIDs in it are remapped.
 *  - C on a binary VR (Maker Note, timestamps held as OB) cannot be cleaned, so the Basic Profile action applies.
 *  - D and C on a sequence, and U on one, keep the sequence and apply the table to its items (a sequence has no value of its own).
 *  - Private attributes (odd groups) are removed, and so are group lengths, which removals would make wrong.
 *  - Repeating groups 50xx (curves) and 60xx (overlays) are removed whole: the table removes their data and comments, and an
 *    overlay plane without its data is not valid.
 *  - An attribute the table does not name: PN is removed; UI is remapped, unless the attribute holds registry UIDs (SOP class,
 *    transfer syntax, coding scheme) or the value lies under the DICOM root 1.2.840.10008; text (LO, SH, ST, LT, UT, UC) is
 *    cleaned of every person name and identifier found anywhere in the file, and so is an attribute of unknown VR whose value is
 *    printable; dates (DA, DT) move by the case's offset like the dated attributes the table names, so no real date gives
 *    the offset away; anything else is kept.
 */
import { DEID_TABLE } from "./deid-table.generated";
import { DICTIONARY_VRS, REGISTRY_UID_TAGS } from "./dicom-vrs.generated";

export type DeidAction = "X" | "Z" | "D" | "U" | "K" | "C";
export type DeidOption =
  | "rtnSafePrivOpt"
  | "rtnUIDsOpt"
  | "rtnDevIdOpt"
  | "rtnInstIdOpt"
  | "rtnPatCharsOpt"
  | "rtnLongFullDatesOpt"
  | "rtnLongModifDatesOpt"
  | "cleanDescOpt"
  | "cleanStructContOpt"
  | "cleanGraphOpt";
export type DeidTableRow = { tag: string; name: string; vr: string; basic: string; options?: Partial<Record<DeidOption, string>> };

/** The options this platform applies, recorded in (0012,0063) and (0012,0064) with their CID 7050 codes. */
export const PLATFORM_OPTIONS: DeidOption[] = ["rtnLongModifDatesOpt", "cleanDescOpt"];
export const METHOD = "PS3.15 E.1 Basic Profile; Modified Dates; Clean Descriptors";
export const METHOD_CODES: [code: string, meaning: string][] = [
  ["113100", "Basic Application Confidentiality Profile"],
  ["113107", "Retain Longitudinal Temporal Information Modified Dates Option"],
  ["113105", "Clean Descriptors Option"],
];

export type ProfileEntry = { action: DeidAction; vr: string; name: string; fromTable: boolean };

const BINARY_VRS = new Set(["OB", "OD", "OF", "OL", "OV", "OW", "UN"]);
export const TEXT_VRS = new Set(["LO", "SH", "ST", "LT", "UT", "UC"]);

/** The one action a table row asks of this platform, with the combined actions resolved as the module comment says. */
export function resolveAction(row: Pick<DeidTableRow, "vr" | "basic" | "options">): DeidAction {
  const optionAction = PLATFORM_OPTIONS.map((o) => row.options?.[o]).find(Boolean);
  const basic = resolveCombination(row.basic, row.vr);
  if (!optionAction) return basic;
  if (optionAction === "C" && BINARY_VRS.has(row.vr)) return basic;
  return optionAction as DeidAction;
}

function resolveCombination(action: string, vr: string): DeidAction {
  if (!action.includes("/")) return action as DeidAction;
  if (action.includes("U")) return "U";
  if (vr === "SQ") return action.includes("Z") ? "Z" : "X";
  return action.includes("D") ? "D" : "Z";
}

const exact = new Map<number, ProfileEntry>();
let privateEntry: ProfileEntry = { action: "X", vr: "UN", name: "Private Attributes", fromTable: true };
const repeating: { group: number; element: number | null; entry: ProfileEntry }[] = [];
for (const row of DEID_TABLE) {
  const entry: ProfileEntry = { action: resolveAction(row), vr: row.vr, name: row.name, fromTable: true };
  if (row.tag === "GGGGEEEE") privateEntry = entry;
  else if (/X/.test(row.tag)) {
    const element = row.tag.slice(4);
    repeating.push({ group: Number.parseInt(row.tag.slice(0, 2), 16), element: /X/.test(element) ? null : Number.parseInt(element, 16), entry });
  } else exact.set(Number.parseInt(row.tag, 16) >>> 0, entry);
}

const dictionaryVrs = new Map<number, string>();
for (let at = 0; at < DICTIONARY_VRS.length; at += 10) {
  dictionaryVrs.set(Number.parseInt(DICTIONARY_VRS.slice(at, at + 8), 16) >>> 0, DICTIONARY_VRS.slice(at + 8, at + 10));
}
const registryUidTags = new Set(REGISTRY_UID_TAGS.map((t) => Number.parseInt(t, 16) >>> 0));

export function dictionaryVr(tag: number): string {
  return dictionaryVrs.get(tag >>> 0) ?? exact.get(tag >>> 0)?.vr ?? ((tag & 0xffff) === 0 ? "UL" : "UN");
}

const isRepeatingGroup = (group: number) => (group & 0xff00) === 0x5000 || (group & 0xff00) === 0x6000;

/** What happens to one attribute: its table row if it has one, else the platform's default for its VR. */
export function profileEntry(tag: number, vr = dictionaryVr(tag)): ProfileEntry {
  const group = tag >>> 16;
  if (group % 2 === 1) return privateEntry;
  const found = exact.get(tag >>> 0);
  if (found) return found;
  if (isRepeatingGroup(group)) {
    const row = repeating.find((r) => r.group === group >>> 8 && (r.element === null || r.element === (tag & 0xffff)));
    return row?.entry ?? { action: "X", vr, name: "Repeating group (curve or overlay)", fromTable: false };
  }
  if ((tag & 0xffff) === 0) return { action: "X", vr: "UL", name: "Group Length", fromTable: false };
  if (vr === "PN") return { action: "X", vr, name: "Person name", fromTable: false };
  if (vr === "UI") return { action: registryUidTags.has(tag >>> 0) ? "K" : "U", vr, name: "UID", fromTable: false };
  if (TEXT_VRS.has(vr) || vr === "UN") return { action: "C", vr, name: "Text", fromTable: false };
  if (vr === "DA" || vr === "DT") return { action: "C", vr, name: "Date", fromTable: false };
  return { action: "K", vr, name: "Other", fromTable: false };
}

/** Registry UIDs (under the DICOM root) are never remapped, whichever attribute holds them. */
export const isRegistryUid = (uid: string) => uid.startsWith("1.2.840.10008.");

export function dummyValue(vr: string): string {
  switch (vr) {
    case "DA":
      return "19000101";
    case "TM":
      return "000000";
    case "DT":
      return "19000101000000";
    case "AS":
      return "000D";
    case "DS":
    case "IS":
      return "0";
    case "UR":
      return "urn:removed";
    default:
      return "REMOVED";
  }
}
