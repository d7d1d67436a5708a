/**
 * The de-identification sweep, independent of the app's own profile code: a real CT slice gets a sentinel value plus the
 * patient's name and ID in every attribute of PS3.15 Table E.1-1 that dcmtk's dcmodify can set (and in sequences, private
 * attributes, overlays and curves, an unnamed person name and UID, and free text naming another person); after it has gone through an
 * ingest path, dcmdump reads the stored file and each attribute is checked against the action the reference table gives it,
 * with the platform's options (Modified Dates, Clean Descriptors) as the option columns say.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const REFERENCE = process.env.REFERENCE_DIR ?? path.resolve(process.cwd(), "../shared/reference");
export const SWEEP_PATIENT = { name: "Doe^John", id: "PID12345", birthDate: "19610203", other: "Wong^Mei", accession: "ACC778899" };
const FORBIDDEN_WORDS = ["doe", "john", "pid12345", "wong", "mei", "acc778899", "19610203"];
export const SENTINEL_UID_ROOT = "1.2.3.999.";
const OPTIONS = ["rtnLongModifDatesOpt", "cleanDescOpt"];

type ReferenceRow = { tag: string; name: string; basicProfile: string; [column: string]: string };
export type Written = { tag: string; name: string; vr: string; action: string; value: string };
export type Survivor = { tag: string; name: string; expected: string; found: string };
export type SweepResult = { checked: number; survivors: Survivor[] };

const dictionaryLines = readFileSync(dcmtkDictionary(), "utf8")
  .split("\n")
  .filter((l) => /^\([0-9A-F]{4},[0-9A-F]{4}\)\t/.test(l))
  .map((l) => l.split("\t"));
const dictionary = new Map<string, string>(dictionaryLines.map(([tag, vr]) => [tag.toLowerCase(), vr]));
const keywords = new Map<string, string>(dictionaryLines.map(([tag, , keyword]) => [tag.toLowerCase(), keyword]));

function dcmtkDictionary(): string {
  const found = spawnSync("sh", ["-c", "ls /usr/share/libdcmtk*/dicom.dic | head -n 1"], { encoding: "utf8" }).stdout.trim();
  if (!found) throw new Error("dcmtk's dicom.dic was not found: apt-get install dcmtk");
  return found;
}

/** The action the table gives a row under the platform's options: an option column, where it says something, wins. */
export function expectedAction(row: ReferenceRow): string {
  return OPTIONS.map((o) => row[o]).find(Boolean) ?? row.basicProfile;
}

export function referenceRows(): ReferenceRow[] {
  return JSON.parse(readFileSync(path.join(REFERENCE, "ps3.15-table-e.1-1.json"), "utf8")) as ReferenceRow[];
}

function sentinel(vr: string, tag: string, n: number): string | null {
  const t = tag.replace(/[(),]/g, "");
  switch (vr) {
    case "AE":
    case "CS":
      return `DOE ${SWEEP_PATIENT.id}`;
    case "SH":
      return `Doe ${SWEEP_PATIENT.id}`;
    case "AS":
      return "045Y";
    case "DA":
      return "20230115";
    case "DT":
      return "20230115101010";
    case "TM":
      return "101010";
    case "DS":
      return "12.5";
    case "IS":
      return "42";
    case "PN":
      return `Doe^John ${SWEEP_PATIENT.id}`;
    case "UI":
      return `${SENTINEL_UID_ROOT}${n}`;
    case "UR":
      return `http://sentinel.example/${SWEEP_PATIENT.id}`;
    case "LO":
    case "LT":
    case "ST":
    case "UT":
    case "UC":
      return `SENTINEL-${t} Doe^John ${SWEEP_PATIENT.id}`;
    case "US":
    case "SS":
    case "UL":
    case "SL":
    case "UV":
    case "SV":
      return "7";
    case "FL":
    case "FD":
      return "1.5";
    case "OB":
    case "OW":
    case "UN":
      return "1\\2";
    default:
      return null;
  }
}

const NESTED = "(0040,1102)"; // Person's Address (X): inside every sequence, so recursion is checked

/** Writes the sweep file into a fresh directory and says what was written where. */
export function buildSweepFile(base = path.join(CORPUS, "ct-series-tiny", "CT5N-2062.dcm")): { file: string; written: Written[]; skipped: string[] } {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "tb-sweep-")), "sweep.dcm");
  copyFileSync(base, file);
  const written: Written[] = [];
  const skipped: string[] = [];
  const tableTags = new Set<string>();
  referenceRows().forEach((row, n) => {
    const tag = row.tag.slice(0, 11).toLowerCase();
    tableTags.add(tag);
    // Groups 0000 and 0002 are the command and file meta groups, which a dataset does not hold (Source AE Title is checked apart).
    if (!/^\([0-9a-f]{4},[0-9a-f]{4}\)$/.test(tag) || tag.startsWith("(0000") || tag.startsWith("(0002")) return;
    const vr = dictionary.get(tag) ?? "";
    const value = vr === "SQ" ? `SENTINEL-nested Doe^John ${SWEEP_PATIENT.id}` : sentinel(vr, tag, n);
    if (value === null) return void skipped.push(`${row.tag} ${row.name} (${vr || "not in dcmtk's dictionary"})`);
    written.push({ tag, name: row.name, vr, action: expectedAction(row), value });
  });
  const patientValues: Record<string, string> = {
    "(0010,0010)": SWEEP_PATIENT.name,
    "(0010,0020)": SWEEP_PATIENT.id,
    "(0010,0030)": SWEEP_PATIENT.birthDate,
    "(0008,0050)": SWEEP_PATIENT.accession,
    "(0008,1070)": SWEEP_PATIENT.other,
    // The operator's name (another person, in a PN) inside descriptions that Clean Descriptors keeps: both spellings go.
    "(0008,1030)": `SENTINEL-00081030 Doe^John ${SWEEP_PATIENT.id} reviewed by Wong^Mei`,
    "(0008,103e)": `SENTINEL-0008103E John Doe, operator Mei Wong`,
  };
  for (const w of written) if (patientValues[w.tag]) w.value = patientValues[w.tag];
  // A registry UID (SOP class, transfer syntax, coding scheme) is kept by design, so the unnamed UI is an instance-like one.
  const unnamed = (vr: string) =>
    [...dictionary].find(
      ([tag, v]) => v === vr && !tableTags.has(tag) && tag >= "(0008" && tag < "(0050" && !/Class|Syntax|Scheme|Context|Mapping/.test(keywords.get(tag) ?? ""),
    )![0];
  const extras = [
    `${unnamed("PN")}=Wong^Mei`,
    `${unnamed("UI")}=${SENTINEL_UID_ROOT}9001`,
    "(0009,0010)=SWEEP PRIVATE",
    `(0009,1001)=Doe^John ${SWEEP_PATIENT.id}`,
    "(6000,0010)=2",
    "(6000,0011)=2",
    "(6000,3000)=1\\2",
    "(6000,4000)=Doe overlay",
    "(5000,0005)=2",
    "(5000,0010)=1",
    "(5000,2500)=Doe curve",
    "(5000,3000)=1\\2",
    "(0040,A730)[0].(0040,A160)=Seen by Wong^Mei for John Doe PID12345",
    "(0040,A730)[0].(0040,A123)=Doe^John",
  ];
  const args = written.flatMap((w) => ["-i", w.vr === "SQ" ? `${w.tag}[0].${NESTED}=${w.value}` : `${w.tag}=${w.value}`]);
  for (const extra of extras) args.push("-i", extra);
  const run = spawnSync("dcmodify", ["-nb", "-nrc", "-imt", ...args, file], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`dcmodify failed: ${run.stderr}`);
  const present = new Set(
    dump(file)
      .filter((l) => l.depth === 0)
      .map((l) => l.tag),
  );
  const kept = written.filter((w) => present.has(w.tag));
  for (const w of written) if (!present.has(w.tag)) skipped.push(`${w.tag} ${w.name} (dcmodify did not write it)`);
  return { file, written: kept, skipped };
}

type DumpLine = { depth: number; tag: string; vr: string; value: string };

export function dump(file: string): DumpLine[] {
  const text = execFileSync("dcmdump", ["-q", "+L", file], { encoding: "latin1", maxBuffer: 256 * 1024 * 1024 });
  return text
    .split("\n")
    .map((line) => /^( *)\(([0-9a-f]{4},[0-9a-f]{4})\) (\w\w) (.*?)\s+#\s*\d+, ?\d+ /.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ depth: m[1].length / 2, tag: `(${m[2]})`, vr: m[3], value: m[4] }));
}

const textOf = (value: string) => (/^\[(.*)\]$/.exec(value)?.[1] ?? (value.startsWith("(no value") ? "" : value)).trim();
/** The patient's and the other person's names, IDs, accession and birth date found in a text. */
export const forbiddenIn = (value: string) => FORBIDDEN_WORDS.filter((w) => new RegExp(`(^|[^a-z0-9])${w}([^a-z0-9]|$)`, "i").test(value));

/** Every survivor in a stored file: by the table's action for what was written, and by the defaults for everything else. */
export function sweepSurvivors(stored: string, written: Written[]): SweepResult {
  const lines = dump(stored);
  const tableTags = new Set(referenceRows().map((row) => row.tag.slice(0, 11).toLowerCase()));
  const top = new Map(lines.filter((l) => l.depth === 0).map((l) => [l.tag, l]));
  const survivors: Survivor[] = [];
  const survive = (tag: string, name: string, expected: string, found: string) => survivors.push({ tag, name, expected, found });

  for (const w of written) {
    const line = top.get(w.tag);
    const value = line ? textOf(line.value) : undefined;
    const members = w.action.replace("*", "").split("/");
    const empty = value === undefined || value === "" || (w.vr === "SQ" && line?.value.includes("#=0"));
    // Z allows "a non-zero length value that may be a dummy value" (PS3.15 E.1.1): the checks below see that it is no original.
    if (members.every((m) => m === "X") && line) survive(w.tag, w.name, "X (removed)", line.value);
    else if (members.every((m) => m === "X" || m === "Z") && w.vr === "SQ" && !empty) survive(w.tag, w.name, `${w.action} (removed or empty)`, line!.value);
    else if (w.vr === "UI" && value?.split("\\").some((uid) => uid.startsWith(SENTINEL_UID_ROOT))) survive(w.tag, w.name, `${w.action} (new UID)`, value);
    else if (w.action === "C" && (w.vr === "DA" || w.vr === "DT") && value?.startsWith("20230115")) survive(w.tag, w.name, "C (date moved)", value);
    else if (value !== undefined && forbiddenIn(value).length > 0) survive(w.tag, w.name, `${w.action} (no name or identifier)`, value);
    else if (value?.includes("SENTINEL") && !members.includes("C") && !members.includes("K")) survive(w.tag, w.name, `${w.action} (not kept)`, value);
  }
  for (const line of lines) {
    const group = Number.parseInt(line.tag.slice(1, 5), 16);
    const value = textOf(line.value);
    if (group % 2 === 1) survive(line.tag, "private attribute", "removed", line.value);
    else if ((group & 0xff00) === 0x6000 || (group & 0xff00) === 0x5000) survive(line.tag, "overlay or curve", "removed", line.value);
    else if (line.vr === "PN" && !tableTags.has(line.tag)) survive(line.tag, `person name not in the table, at depth ${line.depth}`, "removed", line.value);
    else if (forbiddenIn(value).length > 0) survive(line.tag, `value at depth ${line.depth}`, "no name or identifier anywhere", value);
    else if (value.includes(SENTINEL_UID_ROOT)) survive(line.tag, `UID at depth ${line.depth}`, "new UID", value);
  }
  const method = textOf(top.get("(0012,0063)")?.value ?? "");
  if (textOf(top.get("(0012,0062)")?.value ?? "") !== "YES")
    survive("(0012,0062)", "Patient Identity Removed", "YES", top.get("(0012,0062)")?.value ?? "absent");
  if (!method.includes("Modified Dates") || !method.includes("Clean Descriptors")) survive("(0012,0063)", "De-identification Method", "the options", method);
  const codes = lines.filter((l) => l.tag === "(0008,0100)" && l.depth > 0).map((l) => textOf(l.value));
  for (const code of ["113100", "113107", "113105"])
    if (!codes.includes(code)) survive("(0012,0064)", "De-identification Method Code Sequence", code, codes.join(","));
  // Dedupe: an attribute caught by both passes is one survivor.
  const unique = [...new Map(survivors.map((s) => [`${s.tag} ${s.found}`, s])).values()];
  return { checked: written.length, survivors: unique };
}

export const describeSurvivors = (survivors: Survivor[]) => survivors.map((s) => `${s.tag} ${s.name}: expected ${s.expected}, found ${s.found}`).join("\n");

/** For any ingest path (browser upload, STOW-RS, C-STORE, inbox, gateway): checks one stored file, logs the counts, and returns its survivors as text ("" when none). */
export function checkStoredSweep(pathName: string, stored: string, written: Written[]): string {
  const { checked, survivors } = sweepSurvivors(stored, written);
  console.log(`sweep ${pathName}: ${written.length} attributes written, ${checked} checked, ${survivors.length} survivors`);
  return describeSurvivors(survivors);
}
