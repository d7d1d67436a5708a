/**
 * QIDO-RS query parameters (PS3.18 8.3.4) read and applied, without I/O: which attributes a level answers, how each
 * match value is read (PS3.4 C.2.2.2), and which records match. The server builds one record per study, series or
 * instance from the index; this module filters, pages and projects them.
 *
 * Decisions the standard leaves to the server, written down here:
 * - Only attributes the index holds can be matched (QIDO_ATTRIBUTES). A valid keyword or tag it does not hold (e.g.
 *   StudyTime, ReferringPhysicianName, or a sequence path) is ignored for matching and named in a `Warning: 299` header,
 *   as PS3.18 8.3.4.1 allows; a key that is neither a parameter nor an attribute is a 400. So is a lower level's
 *   attribute at a higher level (Modality on /studies: use ModalitiesInStudy).
 * - AccessionNumber is held: the de-identification profile empties it (PS3.15 action Z), so every stored study has
 *   an empty one, and only universal matching (empty or `*`) finds studies by it.
 * - PatientID and PatientName are the case's pseudonym (the case code), as in the stored files.
 * - Single-value matching is case-sensitive, except PN (case-insensitive, as PS3.4 C.2.2.2.1 permits). `*` and `?`
 *   are wildcards in string values (not in UI, DA or numbers). A UI value may list UIDs separated by `\` or `,`;
 *   a CS value may list codes separated by `\` (any of them matches; ModalitiesInStudy matches when any modality does).
 * - DA takes a date, or a range `from-to`, `-to` or `from-` (YYYYMMDD); anything else is a 400.
 * - `fuzzymatching=true` is accepted and ignored with the standard's warning (only literal matching is done);
 *   `false` is the default; any other value is a 400.
 * - `limit` is 1..MAX_QIDO_LIMIT (a larger one is lowered to it, with a warning); without one at most
 *   MAX_QIDO_LIMIT results are returned, with a warning when more matched. `offset` is 0..MAX_QIDO_OFFSET.
 * - `includefield` takes keywords or tags (comma-separated, repeatable) or `all` (every held attribute of the level
 *   and the levels above); a valid attribute the index does not hold is left out silently; an unknown one is a 400.
 * - An attribute key given twice is a 400.
 */

export type QidoLevel = "study" | "series" | "instance";
export type QidoVr = "UI" | "DA" | "CS" | "LO" | "SH" | "PN" | "IS" | "US" | "UR";
export type QidoValue = string | number;
/** One study, series or instance as the index knows it: tag → values (an empty array: known to be empty). */
export type QidoRecord = Map<string, QidoValue[]>;

type AttributeSpec = { keyword: string; tag: string; vr: QidoVr; level: QidoLevel; returned: boolean; matchable: boolean };

const attr = (keyword: string, tag: string, vr: QidoVr, level: QidoLevel, returned = true, matchable = true): AttributeSpec => ({
  keyword,
  tag,
  vr,
  level,
  returned,
  matchable,
});

export const RETRIEVE_URL = "00081190";

/** Every attribute the index holds, with the level it belongs to; `returned`: part of the level's default answer. */
export const QIDO_ATTRIBUTES: readonly AttributeSpec[] = [
  attr("StudyDate", "00080020", "DA", "study"),
  attr("AccessionNumber", "00080050", "SH", "study"),
  attr("ModalitiesInStudy", "00080061", "CS", "study"),
  attr("StudyDescription", "00081030", "LO", "study"),
  attr("PatientName", "00100010", "PN", "study"),
  attr("PatientID", "00100020", "LO", "study"),
  attr("StudyInstanceUID", "0020000D", "UI", "study"),
  attr("NumberOfStudyRelatedSeries", "00201206", "IS", "study", true, false),
  attr("NumberOfStudyRelatedInstances", "00201208", "IS", "study", true, false),
  attr("Modality", "00080060", "CS", "series"),
  attr("SeriesDescription", "0008103E", "LO", "series"),
  attr("BodyPartExamined", "00180015", "CS", "series", false),
  attr("SeriesInstanceUID", "0020000E", "UI", "series"),
  attr("SeriesNumber", "00200011", "IS", "series"),
  attr("NumberOfSeriesRelatedInstances", "00201209", "IS", "series", true, false),
  attr("SOPClassUID", "00080016", "UI", "instance"),
  attr("SOPInstanceUID", "00080018", "UI", "instance"),
  attr("InstanceNumber", "00200013", "IS", "instance"),
  attr("PhotometricInterpretation", "00280004", "CS", "instance", false),
  attr("NumberOfFrames", "00280008", "IS", "instance"),
  attr("Rows", "00280010", "US", "instance"),
  attr("Columns", "00280011", "US", "instance"),
  attr("BitsAllocated", "00280100", "US", "instance"),
];

const BY_KEYWORD = new Map(QIDO_ATTRIBUTES.map((a) => [a.keyword, a]));
const BY_TAG = new Map(QIDO_ATTRIBUTES.map((a) => [a.tag, a]));
const LEVEL_RANK: Record<QidoLevel, number> = { study: 0, series: 1, instance: 2 };

export const MAX_QIDO_LIMIT = 1000;
export const MAX_QIDO_OFFSET = 1_000_000;
const MAX_VALUE_LENGTH = 1024;
const MAX_UIDS = 1000;
const PARAMETERS = new Set(["limit", "offset", "fuzzymatching", "includefield"]);

type Filter = { spec: AttributeSpec; test: ((value: QidoValue) => boolean) | null };

export type QidoQuery = {
  level: QidoLevel;
  filters: Filter[];
  /** Tags to return beyond the level's defaults (includefield and the match keys). */
  include: Set<string>;
  limit: number;
  /** Whether the client gave a limit (without one, the answer warns when more matched). */
  limited: boolean;
  offset: number;
  warnings: string[];
};

export type QidoParse = { ok: true; query: QidoQuery } | { ok: false; error: string };

/** A keyword the DICOM dictionary knows, as its tag (GGGGEEEE), for keys the index does not hold. */
export type KeywordLookup = (keyword: string) => string | undefined;

const TAG = /^[0-9A-Fa-f]{8}$/;
const KEYWORD = /^[A-Za-z][A-Za-z0-9]*$/;
const UID = /^[0-9]+(\.[0-9]+)*$/;
const DATE = /^\d{8}$/;

type Resolved = { kind: "held"; spec: AttributeSpec } | { kind: "notHeld"; name: string } | { kind: "unknown" };

function resolve(key: string, lookup: KeywordLookup): Resolved {
  if (TAG.test(key)) {
    const spec = BY_TAG.get(key.toUpperCase());
    return spec ? { kind: "held", spec } : { kind: "notHeld", name: key.toUpperCase() };
  }
  const spec = BY_KEYWORD.get(key);
  if (spec) return { kind: "held", spec };
  if (KEYWORD.test(key) && lookup(key)) return { kind: "notHeld", name: key };
  // A sequence path (PS3.18 8.3.4.1.1): valid when each step is a keyword or tag; the index holds no sequences.
  const steps = key.split(".");
  if (steps.length > 1 && steps.every((s) => TAG.test(s) || (KEYWORD.test(s) && (BY_KEYWORD.has(s) || lookup(s))))) return { kind: "notHeld", name: key };
  return { kind: "unknown" };
}

const isValidDate = (text: string) => {
  if (!DATE.test(text)) return false;
  const month = Number(text.slice(4, 6));
  const day = Number(text.slice(6, 8));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
};

/**
 * `*` and `?` matching without a regular expression: a pattern of many stars made a backtracking regex take exponential
 * time, stalling the server. Greedy two-pointer matching, going back only to the last star, is at most value × pattern.
 */
export function wildcardMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const p = Array.from(ignoreCase ? pattern.toLowerCase() : pattern).filter((c, i, all) => c !== "*" || all[i - 1] !== "*");
  const v = Array.from(ignoreCase ? value.toLowerCase() : value);
  let pi = 0;
  let vi = 0;
  let star = -1;
  let resume = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === "?" || (p[pi] !== "*" && p[pi] === v[vi]))) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === "*") {
      star = pi++;
      resume = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++resume;
    } else return false;
  }
  while (pi < p.length && p[pi] === "*") pi++;
  return pi === p.length;
}

/** The test a match value makes of one attribute value; null for universal matching; a string for an invalid value. */
function matcher(spec: AttributeSpec, raw: string): ((value: QidoValue) => boolean) | null | string {
  const text = raw.trim();
  if (text === "" || text === "*") return null;
  if (text.length > MAX_VALUE_LENGTH) return `${spec.keyword} is longer than ${MAX_VALUE_LENGTH} characters`;
  switch (spec.vr) {
    case "UI": {
      const uids = text.split(/[\\,]/).map((u) => u.trim());
      if (uids.length > MAX_UIDS) return `${spec.keyword} lists more than ${MAX_UIDS} UIDs`;
      if (!uids.every((u) => u.length <= 64 && UID.test(u))) return `${spec.keyword} must be a UID or a list of UIDs separated by \\ or ,`;
      const set = new Set(uids);
      return (value) => set.has(String(value));
    }
    case "DA": {
      const range = /^(\d*)-(\d*)$/.exec(text);
      const [from, to] = range ? [range[1], range[2]] : [text, text];
      if ((from === "" && to === "") || (from !== "" && !isValidDate(from)) || (to !== "" && !isValidDate(to)))
        return `${spec.keyword} must be a date YYYYMMDD or a range YYYYMMDD-YYYYMMDD, -YYYYMMDD or YYYYMMDD-`;
      if (from !== "" && to !== "" && from > to) return `${spec.keyword}'s range ends before it starts`;
      return (value) => {
        const date = String(value);
        return isValidDate(date) && (from === "" || date >= from) && (to === "" || date <= to);
      };
    }
    case "IS":
    case "US": {
      if (!/^[+-]?\d{1,10}$/.test(text)) return `${spec.keyword} must be an integer`;
      const wanted = Number(text);
      return (value) => Number(value) === wanted;
    }
    default: {
      const alternatives = spec.vr === "CS" ? text.split("\\") : [text];
      const tests = alternatives.map((alt) => {
        if (/[*?]/.test(alt)) return (value: string) => wildcardMatches(alt, value, spec.vr === "PN");
        return spec.vr === "PN" ? (value: string) => value.toLowerCase() === alt.toLowerCase() : (value: string) => value === alt;
      });
      return (value) => tests.some((t) => t(String(value)));
    }
  }
}

function integerParam(name: string, text: string, min: number, max: number): number | string {
  if (!/^\d{1,10}$/.test(text.trim())) return `${name} must be a whole number`;
  const value = Number(text.trim());
  return value < min ? `${name} must be at least ${min}` : Math.min(value, max);
}

/**
 * The query a QIDO-RS request asks at `level`; an error (400) for an unknown key, an invalid value, or an attribute
 * given twice. Attributes of `level` and the levels above may be matched.
 */
export function parseQidoQuery(params: URLSearchParams, level: QidoLevel, lookup: KeywordLookup = () => undefined): QidoParse {
  const filters: Filter[] = [];
  const include = new Set<string>();
  const warnings: string[] = [];
  const notHeld: string[] = [];
  const seen = new Set<string>();
  let limit = MAX_QIDO_LIMIT;
  let limited = false;
  let offset = 0;
  const once = new Set<string>();
  for (const [key, value] of params) {
    if (PARAMETERS.has(key) && key !== "includefield") {
      if (once.has(key)) return { ok: false, error: `${key} is given more than once` };
      once.add(key);
    }
    if (key === "limit") {
      const n = integerParam("limit", value, 1, Number.MAX_SAFE_INTEGER);
      if (typeof n === "string") return { ok: false, error: n };
      if (n > MAX_QIDO_LIMIT) warnings.push(`The limit was lowered to the maximum of ${MAX_QIDO_LIMIT} results`);
      limit = Math.min(n, MAX_QIDO_LIMIT);
      limited = true;
    } else if (key === "offset") {
      const n = integerParam("offset", value, 0, Number.MAX_SAFE_INTEGER);
      if (typeof n === "string") return { ok: false, error: n };
      if (n > MAX_QIDO_OFFSET) return { ok: false, error: `offset must be at most ${MAX_QIDO_OFFSET}` };
      offset = n;
    } else if (key === "fuzzymatching") {
      if (value !== "true" && value !== "false") return { ok: false, error: "fuzzymatching must be true or false" };
      if (value === "true") warnings.push("The fuzzymatching parameter is not supported. Only literal matching has been performed.");
    } else if (key === "includefield") {
      for (const field of value.split(",").map((f) => f.trim())) {
        if (field === "all") {
          for (const spec of QIDO_ATTRIBUTES) if (LEVEL_RANK[spec.level] <= LEVEL_RANK[level]) include.add(spec.tag);
          continue;
        }
        const found = resolve(field, lookup);
        if (found.kind === "unknown") return { ok: false, error: `includefield names an unknown attribute: ${JSON.stringify(field.slice(0, 64))}` };
        if (found.kind === "held" && LEVEL_RANK[found.spec.level] <= LEVEL_RANK[level]) include.add(found.spec.tag);
      }
    } else {
      const found = resolve(key, lookup);
      if (found.kind === "unknown") return { ok: false, error: `Unknown query parameter or attribute: ${JSON.stringify(key.slice(0, 64))}` };
      const id = found.kind === "held" ? found.spec.tag : found.name;
      if (seen.has(id)) return { ok: false, error: `${key} is given more than once` };
      seen.add(id);
      if (found.kind === "notHeld" || LEVEL_RANK[found.spec.level] > LEVEL_RANK[level] || !found.spec.matchable) {
        if (value.trim() !== "" && value.trim() !== "*") notHeld.push(key);
        continue;
      }
      const test = matcher(found.spec, value);
      if (typeof test === "string") return { ok: false, error: test };
      filters.push({ spec: found.spec, test });
      include.add(found.spec.tag);
    }
  }
  if (notHeld.length > 0) warnings.unshift(`The following attributes are not supported for matching at this level and were ignored: ${notHeld.join(", ")}`);
  return { ok: true, query: { level, filters, include, limit, limited, offset, warnings } };
}

/** Whether the record matches every filter (a multi-valued attribute when any value does; an absent one never, unless universal). */
export function matches(record: QidoRecord, query: QidoQuery): boolean {
  return query.filters.every(({ spec, test }) => {
    if (!test) return true;
    const values = record.get(spec.tag) ?? [];
    return values.some((v) => test(v));
  });
}

export type DicomJsonAttribute = { vr: string; Value?: unknown[] };

/** The tags a level answers with by default; `parents`: the levels above whose defaults come too (root and partly nested queries). */
export function defaultTags(level: QidoLevel, parents: QidoLevel[]): string[] {
  const levels = new Set<QidoLevel>([level, ...parents]);
  const tags = QIDO_ATTRIBUTES.filter((a) => a.returned && levels.has(a.level)).map((a) => a.tag);
  // Every level names its parents' UIDs, which identify it.
  if (LEVEL_RANK[level] >= 1) tags.push("0020000D");
  if (LEVEL_RANK[level] >= 2) tags.push("0020000E");
  return [...new Set([...tags, RETRIEVE_URL])];
}

function toJson(tag: string, values: QidoValue[]): DicomJsonAttribute {
  const vr = tag === RETRIEVE_URL ? "UR" : (BY_TAG.get(tag)?.vr ?? "UN");
  const present = values.filter((v) => v !== "" && v !== null && v !== undefined);
  if (present.length === 0) return { vr };
  if (vr === "PN") return { vr, Value: present.map((v) => ({ Alphabetic: String(v) })) };
  return { vr, Value: present };
}

export type QidoAnswer = { results: Record<string, DicomJsonAttribute>[]; warnings: string[] };

/** The matching records, paged, each with the level's default attributes, the included ones and the match keys, in tag order. */
export function answerQido(records: QidoRecord[], query: QidoQuery, parents: QidoLevel[]): QidoAnswer {
  const matching = records.filter((r) => matches(r, query));
  const page = matching.slice(query.offset, query.offset + query.limit);
  const tags = [...new Set([...defaultTags(query.level, parents), ...query.include])].sort();
  const warnings = [...query.warnings];
  if (!query.limited && matching.length > query.offset + query.limit)
    warnings.push(`There are more than ${MAX_QIDO_LIMIT} matching results; ask for the next ones with offset`);
  return {
    results: page.map((record) => Object.fromEntries(tags.filter((t) => record.has(t)).map((t) => [t, toJson(t, record.get(t)!)]))),
    warnings,
  };
}
