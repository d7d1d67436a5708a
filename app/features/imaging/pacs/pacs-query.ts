/**
 * Query and retrieve from the institution's PACS, the pure part: the search and pull forms, the C-FIND identifiers built from
 * them, the PACS's answers read into bounded plain values, which instances a pull still needs, and the i18n key of each way
 * the PACS can fail. No I/O; pacs-client.server.ts speaks DIMSE and pacs-steps.server.ts runs the steps.
 *
 * What is identifiable and where it goes (the decision, written down once):
 * - The answers to C-FIND (patient name and ID, accession number, original UIDs) are the hospital's own data. They are sent
 *   only to a treating physician of the case's own institution (`imagingAbilities(...).queryPacs`), in the answer to their
 *   search (`Cache-Control: no-store`), and are never written to the database, the audit log or the server log.
 * - The audit log records which kinds of criteria a search used (not their values), how many studies or series came back, and
 *   study UIDs only as the case will know them: remapped with the case's keyed UID secret (`caseUid`), the same one-way 2.25
 *   UIDs that de-identification writes, so an audit event names the study the case holds without naming the hospital's UID.
 * - A pull row (PacsPull) holds counts only. The original UIDs of what is being retrieved stay in the running process; each
 *   instance received is de-identified in memory by the one ingest path before anything is written. A pull cut short by a
 *   restart is marked failed, and pulling again finds what is already in the case and retrieves only the rest.
 *
 * What a search may ask, and how long the PACS may take (the decisions, written down once):
 * - A search names a patient ID or an accession number (exact values, no wildcards), or else a study date range of at most
 *   `MAX_DATE_ONLY_DAYS` days with both ends given: a date alone, an open range or a wide one would list every patient the
 *   PACS holds for that time (`dateRangeTooWide`, on the date field to fix). With a patient ID or accession number, any range.
 * - At most `MAX_STUDIES` studies are read. At the next answer the search is cancelled (C-CANCEL, PS3.7 9.1.2.1.5), and the
 *   association aborted if the PACS goes on answering: the page says there are more and asks for narrower criteria.
 * - A C-FIND has an overall deadline (`DEFAULT_TIMEOUTS.find` in pacs-client.server.ts, 30 s): a PACS that trickles answers
 *   resets the PDU timeout with each one, so that timeout alone would keep a search open for ever. A C-GET may stay idle (no
 *   instance arriving) at most `DEFAULT_TIMEOUTS.getIdle`; either ends the association (A-ABORT) with an error the user
 *   reads, so a stuck pull ends and no longer blocks the next pull of the case.
 * - A pull keeps only what it asked for. Each instance the PACS sends during a C-GET is checked, before anything else (and so
 *   before de-identification), against the plan: its Study, Series and SOP Instance UIDs, read from the dataset received (and
 *   the SOP Instance UID of the C-STORE command, which must agree) must name an instance the pull planned to retrieve. Any
 *   other instance (another patient's study, an unplanned instance of the series) is refused with `UNREQUESTED_STATUS` and
 *   counted (`PacsPull.unrequested`), never stored; the page says how many were refused.
 */
import { z } from "zod";
import { remapUid, type DeidContext } from "~/features/imaging/dicom/deidentify";

/** A DICOM UID as the PACS and the forms carry it: digits and dots, at most 64 characters. */
export const UID = /^[0-9]+(\.[0-9]+)*$/;
const uid = (message: string) => z.string({ required_error: message }).trim().max(64, message).regex(UID, message);

/** Most studies one search shows; a broader search says so and asks for narrower criteria. */
export const MAX_STUDIES = 100;
/** Most series one study lists, and most instances one series may hold for a pull. */
export const MAX_SERIES = 500;
export const MAX_INSTANCES_PER_SERIES = 10_000;
/** Most studies and series chosen in one pull. */
export const MAX_PICKS = 50;

/** Most days a search by study date alone may cover (both ends counted): 7, one week of the department's studies. */
export const MAX_DATE_ONLY_DAYS = 7;

/** Patient ID (LO) and accession number (SH), matched exactly: no wildcards, so a search cannot list the whole PACS. */
const exactValue = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .regex(/^[^*?\\]*$/, message)
    .optional();
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "imaging:pacs.errors.dateInvalid")
  .refine((d) => !Number.isNaN(new Date(`${d}T00:00:00Z`).getTime()), "imaging:pacs.errors.dateInvalid")
  .optional();

export const PacsSearchForm = z
  .object({
    intent: z.literal("search"),
    patientId: exactValue(64, "imaging:pacs.errors.patientIdInvalid"),
    accessionNumber: exactValue(16, "imaging:pacs.errors.accessionInvalid"),
    dateFrom: day,
    dateTo: day,
  })
  .superRefine((input, ctx) => {
    if (!input.patientId && !input.accessionNumber && !input.dateFrom && !input.dateTo)
      ctx.addIssue({ code: "custom", path: ["patientId"], message: "imaging:pacs.errors.criterionRequired" });
    if (input.dateFrom && input.dateTo && input.dateFrom > input.dateTo) {
      ctx.addIssue({ code: "custom", path: ["dateTo"], message: "imaging:pacs.errors.dateOrder" });
      return;
    }
    // By date alone: both ends, at most MAX_DATE_ONLY_DAYS days, so that a search cannot list the whole PACS.
    if (!input.patientId && !input.accessionNumber && (input.dateFrom || input.dateTo) && !dateOnlyRangeAllowed(input.dateFrom, input.dateTo))
      ctx.addIssue({ code: "custom", path: [input.dateFrom ? "dateTo" : "dateFrom"], message: "imaging:pacs.errors.dateRangeTooWide" });
  });

/** Whether a search by study date alone may cover this range: both ends given, in order, at most MAX_DATE_ONLY_DAYS days. */
export function dateOnlyRangeAllowed(from: string | undefined, to: string | undefined): boolean {
  if (!from || !to) return false;
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  return Number.isFinite(days) && days >= 1 && days <= MAX_DATE_ONLY_DAYS;
}
export type PacsSearch = z.output<typeof PacsSearchForm>;

export const PacsSeriesForm = z.object({ intent: z.literal("series"), studyUid: uid("imaging:pacs.errors.invalid") });

/** A pick is a whole study (`<study UID>`) or one series of it (`<study UID>/<series UID>`). */
const PICK = /^([0-9.]{1,64})(?:\/([0-9.]{1,64}))?$/;
export const PacsPullForm = z.object({
  intent: z.literal("pull"),
  pick: z
    .array(z.string().regex(PICK, "imaging:pacs.errors.invalid").refine(validPick, "imaging:pacs.errors.invalid"), {
      required_error: "imaging:pacs.errors.nothingChosen",
    })
    .min(1, "imaging:pacs.errors.nothingChosen")
    .max(MAX_PICKS, "imaging:pacs.errors.tooManyChosen"),
});

function validPick(pick: string): boolean {
  const m = PICK.exec(pick);
  return Boolean(m && UID.test(m[1]) && (m[2] === undefined || UID.test(m[2])));
}

/** What to retrieve: each study once, with the series chosen (an empty list: the whole study). A whole study absorbs its series. */
export type PullTarget = { studyUid: string; seriesUids: string[] };
export function pullTargets(picks: string[]): PullTarget[] {
  const byStudy = new Map<string, Set<string> | "all">();
  for (const pick of picks) {
    const m = PICK.exec(pick);
    if (!m) continue;
    const [, study, series] = m;
    const known = byStudy.get(study);
    if (!series) byStudy.set(study, "all");
    else if (known !== "all") byStudy.set(study, (known ?? new Set()).add(series));
  }
  return [...byStudy].map(([studyUid, series]) => ({ studyUid, seriesUids: series === "all" ? [] : [...series] }));
}

/** DICOM DA from a form day: 2003-04-17 → 20030417. */
const da = (d: string | undefined) => (d ? d.replaceAll("-", "") : "");

/**
 * The study-level C-FIND identifier: the criteria given, and the keys we want back as empty values (PS3.4 C.2.2.1). Patient
 * name, ID and accession number come back for the physician to recognise the study; they are never kept.
 */
export function studyQuery(search: Pick<PacsSearch, "patientId" | "accessionNumber" | "dateFrom" | "dateTo">): Record<string, string> {
  const range = search.dateFrom || search.dateTo ? `${da(search.dateFrom)}-${da(search.dateTo)}` : "";
  return {
    PatientID: search.patientId ?? "",
    AccessionNumber: search.accessionNumber ?? "",
    StudyDate: search.dateFrom && search.dateFrom === search.dateTo ? da(search.dateFrom) : range,
    PatientName: "",
    StudyInstanceUID: "",
    StudyTime: "",
    StudyDescription: "",
    ModalitiesInStudy: "",
    NumberOfStudyRelatedSeries: "",
    NumberOfStudyRelatedInstances: "",
  };
}

/** Which kinds of criteria a search used, for the audit log (never their values). */
export function searchCriteria(search: Pick<PacsSearch, "patientId" | "accessionNumber" | "dateFrom" | "dateTo">): string[] {
  return [
    ...(search.patientId ? ["patientId"] : []),
    ...(search.accessionNumber ? ["accessionNumber"] : []),
    ...(search.dateFrom || search.dateTo ? ["studyDate"] : []),
  ];
}

export function seriesQuery(studyUid: string): Record<string, string> {
  return { StudyInstanceUID: studyUid, SeriesInstanceUID: "", Modality: "", SeriesNumber: "", SeriesDescription: "", NumberOfSeriesRelatedInstances: "" };
}

export function instanceQuery(studyUid: string, seriesUid: string): Record<string, string> {
  return { StudyInstanceUID: studyUid, SeriesInstanceUID: seriesUid, SOPInstanceUID: "" };
}

/** A C-FIND answer's elements as dcmjs names them (naturalized): strings, numbers, arrays, person names as objects. */
export type FoundElements = Record<string, unknown>;

export type PacsStudy = {
  studyUid: string;
  patientName: string;
  patientId: string;
  accessionNumber: string;
  /** YYYY-MM-DD, or "" when the PACS gave none or a malformed one. */
  studyDate: string;
  description: string;
  modalities: string[];
  seriesCount: number | null;
  instanceCount: number | null;
};

export type PacsSeries = {
  seriesUid: string;
  modality: string;
  seriesNumber: number | null;
  description: string;
  instanceCount: number | null;
};

/** A string value of at most `max` characters: the first of several, a person name's alphabetic group with ^ as spaces. */
export function text(value: unknown, max = 64): string {
  const first = Array.isArray(value) ? value[0] : value;
  let s = "";
  if (typeof first === "string") s = first;
  else if (typeof first === "number") s = String(first);
  else if (first && typeof first === "object") {
    const pn = first as { Alphabetic?: unknown; Ideographic?: unknown };
    s = [pn.Alphabetic, pn.Ideographic].filter((v): v is string => typeof v === "string" && v.length > 0).join(" = ");
  }
  return s
    .replace(/\^+/g, " ")
    .replace(/[\u0000-\u001f]/g, "")
    .trim()
    .slice(0, max);
}

function count(value: unknown): number | null {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isInteger(n) && n >= 0 && n <= 10_000_000 ? n : null;
}

function date(value: unknown): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text(value, 8));
  return m ? `${m[1]}-${m[2]}-${m[3]}` : "";
}

function modalities(value: unknown): string[] {
  const all = (Array.isArray(value) ? value : typeof value === "string" ? value.split("\\") : [])
    .map((m) => text(m, 16))
    .filter((m) => /^[A-Z0-9_]{1,16}$/.test(m));
  return [...new Set(all)].sort().slice(0, 16);
}

/** One study answer, or null when it names no usable Study Instance UID. */
export function mapStudy(found: FoundElements): PacsStudy | null {
  const studyUid = text(found.StudyInstanceUID);
  if (!UID.test(studyUid)) return null;
  return {
    studyUid,
    patientName: text(found.PatientName, 128),
    patientId: text(found.PatientID),
    accessionNumber: text(found.AccessionNumber, 16),
    studyDate: date(found.StudyDate),
    description: text(found.StudyDescription),
    modalities: modalities(found.ModalitiesInStudy),
    seriesCount: count(found.NumberOfStudyRelatedSeries),
    instanceCount: count(found.NumberOfStudyRelatedInstances),
  };
}

export function mapSeries(found: FoundElements): PacsSeries | null {
  const seriesUid = text(found.SeriesInstanceUID);
  if (!UID.test(seriesUid)) return null;
  return {
    seriesUid,
    modality: modalities(found.Modality)[0] ?? "",
    seriesNumber: count(found.SeriesNumber),
    description: text(found.SeriesDescription),
    instanceCount: count(found.NumberOfSeriesRelatedInstances),
  };
}

/** Newest first; studies without a date last. */
export function sortStudies(studies: PacsStudy[]): PacsStudy[] {
  return [...studies].sort((a, b) => (b.studyDate || "0").localeCompare(a.studyDate || "0"));
}

/**
 * A UID as the case holds it after de-identification (the institution's remapping, then the case's): how a pull recognises
 * what is already in the case, and how the audit log names a study without the hospital's UID.
 */
export function caseUid(original: string, ctx: Pick<DeidContext, "uidSecret" | "institutionUidSecret">): string {
  return remapUid(ctx.institutionUidSecret ? remapUid(original, ctx.institutionUidSecret) : original, ctx.uidSecret);
}

/**
 * What to retrieve of one series: the instances wanted (as the image-level C-FIND listed them), fetched with one series-level
 * C-GET when `whole`, else one C-GET per instance. Either way only the instances listed are accepted.
 */
export type GetRequest = { studyUid: string; seriesUid: string; sopInstanceUids: string[]; whole: boolean };
export type PullPlan = { requests: GetRequest[]; expected: number; skipped: number };

/**
 * What a pull still has to retrieve, given each chosen series' instances on the PACS and whether each is already in the case
 * (`present`, asked with the case UID of the instance): a series the case has none of is fetched whole, one it has some of
 * instance by instance, one it has all of not at all.
 */
export function pullPlan(series: { studyUid: string; seriesUid: string; sopInstanceUids: string[] }[], present: (sopInstanceUid: string) => boolean): PullPlan {
  const requests: GetRequest[] = [];
  let expected = 0;
  let skipped = 0;
  for (const s of series) {
    const missing = s.sopInstanceUids.filter((u) => !present(u));
    expected += s.sopInstanceUids.length;
    skipped += s.sopInstanceUids.length - missing.length;
    if (missing.length === 0) continue;
    requests.push({ studyUid: s.studyUid, seriesUid: s.seriesUid, sopInstanceUids: missing, whole: missing.length === s.sopInstanceUids.length });
  }
  return { requests, expected, skipped };
}

/** The UIDs of an instance the PACS sent in a C-STORE sub-operation: from its dataset, and the command's SOP Instance UID. */
export type ReceivedIds = { studyUid: string; seriesUid: string; sopInstanceUid: string; commandSopInstanceUid: string };

/**
 * The C-STORE status that refuses an instance the pull did not ask for: 0xC000, "Error: Cannot understand" (PS3.4 B.2.3), the
 * Storage Service Class's failure for an instance the SCP will not take whatever is retried. Not 0xA7xx ("Refused: Out of
 * resources", which invites sending it again later) nor 0xA9xx ("Data Set does not match SOP Class", which it may well match).
 * The PACS counts it as a failed sub-operation, which the pull does not count again among the PACS's own failures.
 */
export const UNREQUESTED_STATUS = 0xc000;

/**
 * Whether an instance received is one the plan asked for: its SOP Instance UID planned (and the same in the command and the
 * dataset), in the planned study and series. Anything else (another patient's study, an instance not listed) is refused.
 */
export function requestedInstances(requests: GetRequest[]): (ids: ReceivedIds) => boolean {
  const wanted = new Map<string, { studyUid: string; seriesUid: string }>();
  for (const r of requests) for (const sop of r.sopInstanceUids) wanted.set(sop, { studyUid: r.studyUid, seriesUid: r.seriesUid });
  return (ids) => {
    const planned = wanted.get(ids.sopInstanceUid);
    return (
      planned !== undefined && ids.commandSopInstanceUid === ids.sopInstanceUid && planned.studyUid === ids.studyUid && planned.seriesUid === ids.seriesUid
    );
  };
}

/** How talking to the PACS can fail, as i18n keys of the imaging namespace. */
export const PACS_ERRORS = {
  notConfigured: "imaging:pacs.errors.notConfigured",
  aeTitleRefused: "imaging:pacs.errors.aeTitleRefused",
  rejected: "imaging:pacs.errors.rejected",
  unreachable: "imaging:pacs.errors.unreachable",
  timeout: "imaging:pacs.errors.timeout",
  connectionLost: "imaging:pacs.errors.connectionLost",
  queryFailed: "imaging:pacs.errors.queryFailed",
  retrieveFailed: "imaging:pacs.errors.retrieveFailed",
  searchDeadline: "imaging:pacs.errors.searchDeadline",
  pullStalled: "imaging:pacs.errors.pullStalled",
  seriesTooLarge: "imaging:pacs.errors.seriesTooLarge",
  someFailed: "imaging:pacs.errors.someFailed",
  interrupted: "imaging:pacs.errors.interrupted",
  pullRunning: "imaging:pacs.errors.pullRunning",
} as const;
export type PacsErrorKey = (typeof PACS_ERRORS)[keyof typeof PACS_ERRORS];

/** An A-ASSOCIATE-RJ's reason (PS3.8 9.3.4, source service user): 3 calling AE title, 7 called AE title not recognised. */
export function rejectionKey(reject: { result?: number; source?: number; reason?: number }): PacsErrorKey {
  return reject.source === 1 && (reject.reason === 3 || reject.reason === 7) ? PACS_ERRORS.aeTitleRefused : PACS_ERRORS.rejected;
}

/** A network error's message (dcmjs-dimse's or Node's) as the error the user reads. */
export function networkErrorKey(message: string): PacsErrorKey {
  if (/timeout|ETIMEDOUT/i.test(message)) return PACS_ERRORS.timeout;
  if (/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN/.test(message)) return PACS_ERRORS.unreachable;
  return PACS_ERRORS.connectionLost;
}

export const PULL_STATUS = { running: "RUNNING", done: "DONE", failed: "FAILED" } as const;
