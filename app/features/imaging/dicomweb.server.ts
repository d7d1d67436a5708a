/**
 * DICOMweb (PS3.18) for one case, rooted at /dicomweb/cases/{caseId}:
 *   QIDO-RS  GET  /studies, /studies/{study}/series, /studies/{study}/series/{series}/instances
 *   WADO-RS  GET  .../instances/{instance}, .../metadata, .../frames/{n}
 *   STOW-RS  POST /studies   (multipart/related; type="application/dicom")
 * QIDO answers from the index; WADO reads the stored, already de-identified files.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { AS_STORED } from "~/features/imaging/dicom/accept-transfer-syntax";
import { dictionaryVr } from "~/features/imaging/dicom/deid-profile";
import { toDicomJson, type DicomJson } from "~/features/imaging/dicom/dicom-json";
import { parsePart10, tagOf, TS } from "~/features/imaging/dicom/part10";
import { auditCase, type CaseCaller } from "~/features/cases/case-access.server";
import { acceptedTransferSyntaxes } from "~/features/imaging/dicom/accept-transfer-syntax";
import { visibleSeries } from "~/features/imaging/imaging-store.server";
import { getDb, type Db } from "~/platform/db.server";
import { imagingAbilities } from "./imaging-access";
import { ingestDicom, maxDicomFileBytes, type IngestResult } from "./imaging-ingest.server";
import { log } from "~/platform/logger.server";
import { explicitLittleEndian } from "./renditions.server";
import { objectPath } from "~/platform/storage.server";
import { MalformedMultipartError, multipartBoundary, streamParts, type StreamedPart } from "~/platform/multipart-related";

export const DICOM_JSON = "application/dicom+json";

const str = (vr: string, value: string | number | null | undefined) =>
  value === null || value === undefined || value === "" ? { vr } : { vr, Value: [value] };

export async function qidoStudies(
  db: Db,
  caseId: string,
  caseCode: string,
  seeFlaggedSeries: boolean,
  base: string,
  query: URLSearchParams,
): Promise<DicomJson[]> {
  const studies = await db.imagingStudy.findMany({
    where: { caseId, ...(query.get("StudyInstanceUID") ? { studyInstanceUid: query.get("StudyInstanceUID")! } : {}) },
    include: { series: { where: visibleSeries(seeFlaggedSeries), select: { modality: true, _count: { select: { instances: true } } } } },
    orderBy: { createdAt: "asc" },
  });
  return studies
    .filter((s) => s.series.length > 0)
    .map((s) => ({
      "00080020": str("DA", s.studyDate),
      "00080061": { vr: "CS", Value: [...new Set(s.series.map((x) => x.modality).filter(Boolean))] },
      "00081030": str("LO", s.description),
      "00081190": str("UR", `${base}/studies/${s.studyInstanceUid}`),
      "00100010": { vr: "PN", Value: [{ Alphabetic: caseCode }] },
      "00100020": str("LO", caseCode),
      "0020000D": str("UI", s.studyInstanceUid),
      "00201206": str("IS", s.series.length),
      "00201208": str(
        "IS",
        s.series.reduce((n, x) => n + x._count.instances, 0),
      ),
    }));
}

export async function qidoSeries(
  db: Db,
  caseId: string,
  seeFlaggedSeries: boolean,
  base: string,
  studyUid: string,
  query: URLSearchParams,
): Promise<DicomJson[] | null> {
  const study = await db.imagingStudy.findUnique({ where: { caseId_studyInstanceUid: { caseId, studyInstanceUid: studyUid } } });
  if (!study) return null;
  const series = await db.imagingSeries.findMany({
    where: { studyId: study.id, ...visibleSeries(seeFlaggedSeries), ...(query.get("Modality") ? { modality: query.get("Modality")! } : {}) },
    include: { _count: { select: { instances: true } } },
    orderBy: { seriesNumber: "asc" },
  });
  return series.map((s) => ({
    "00080060": str("CS", s.modality),
    "0008103E": str("LO", s.description),
    "00081190": str("UR", `${base}/studies/${studyUid}/series/${s.seriesInstanceUid}`),
    "0020000D": str("UI", studyUid),
    "0020000E": str("UI", s.seriesInstanceUid),
    "00200011": str("IS", s.seriesNumber),
    "00201209": str("IS", s._count.instances),
  }));
}

async function findSeries(db: Db, caseId: string, seeFlaggedSeries: boolean, studyUid: string, seriesUid: string) {
  return db.imagingSeries.findFirst({
    where: { seriesInstanceUid: seriesUid, study: { caseId, studyInstanceUid: studyUid }, ...visibleSeries(seeFlaggedSeries) },
  });
}

export async function qidoInstances(
  db: Db,
  caseId: string,
  seeFlaggedSeries: boolean,
  base: string,
  studyUid: string,
  seriesUid: string,
): Promise<DicomJson[] | null> {
  const series = await findSeries(db, caseId, seeFlaggedSeries, studyUid, seriesUid);
  if (!series) return null;
  const instances = await db.imagingInstance.findMany({ where: { seriesId: series.id }, orderBy: [{ instanceNumber: "asc" }, { sopInstanceUid: "asc" }] });
  return instances.map((i) => ({
    "00080016": str("UI", i.sopClassUid),
    "00080018": str("UI", i.sopInstanceUid),
    "00081190": str("UR", `${base}/studies/${studyUid}/series/${seriesUid}/instances/${i.sopInstanceUid}`),
    "0020000D": str("UI", studyUid),
    "0020000E": str("UI", seriesUid),
    "00200013": str("IS", i.instanceNumber),
    "00280008": str("IS", i.frames),
    "00280010": str("US", i.rows),
    "00280011": str("US", i.columns),
  }));
}

export async function findInstance(db: Db, caseId: string, seeFlaggedSeries: boolean, studyUid: string, seriesUid: string, instanceUid: string) {
  const series = await findSeries(db, caseId, seeFlaggedSeries, studyUid, seriesUid);
  return series ? db.imagingInstance.findFirst({ where: { seriesId: series.id, sopInstanceUid: instanceUid } }) : null;
}

export function multipart(parts: { contentType: string; body: Uint8Array }[], type: string): Response {
  const boundary = `tb-${randomBytes(12).toString("hex")}`;
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: ${part.contentType}\r\n\r\n`), part.body, Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return new Response(Buffer.concat(chunks), {
    headers: { "Content-Type": `multipart/related; type="${type}"; boundary=${boundary}`, "Cache-Control": "private, no-store" },
  });
}

export async function instanceMetadata(sha256: string, instanceBase: string): Promise<DicomJson> {
  const file = parsePart10(await readFile(objectPath(sha256)), dictionaryVr);
  return toDicomJson(file.dataset, file.transferSyntax !== TS.explicitBE, (tag) => `${instanceBase}/bulkdata/${tag}`);
}

/** One frame's bytes: a slice of native pixel data, or the frame's fragment(s) of encapsulated data. */
export async function frame(file: string, number: number, frames: number): Promise<{ body: Uint8Array; contentType: string } | null> {
  if (!Number.isInteger(number) || number < 1 || number > frames) return null;
  const parsed = parsePart10(await readFile(file), dictionaryVr);
  const pixels = parsed.dataset.find((e) => e.tag === tagOf(0x7fe0, 0x0010));
  if (!pixels) return null;
  const nativeLE = parsed.transferSyntax !== TS.explicitBE;
  if (pixels.value) {
    const size = Math.floor(pixels.value.length / frames);
    const body = pixels.value.subarray((number - 1) * size, number * size);
    return { body, contentType: nativeLE ? "application/octet-stream" : `application/octet-stream; transfer-syntax=${parsed.transferSyntax}` };
  }
  const fragments = (pixels.fragments ?? []).slice(1);
  const body = frames === 1 ? Buffer.concat(fragments) : fragments.length === frames ? fragments[number - 1] : null;
  return body ? { body, contentType: `application/octet-stream; transfer-syntax=${parsed.transferSyntax}` } : null;
}

/**
 * The file to answer a WADO-RS request from, for the first transfer syntax
 * the client accepts that we can give: as stored, or decoded to Explicit VR
 * Little Endian. Null when none is possible (406).
 */
export async function negotiatedFile(sha256: string, storedSyntax: string, accepted: string[], nativeOk: string[] = []) {
  for (const syntax of accepted) {
    if (syntax === AS_STORED || syntax === storedSyntax || (syntax === TS.explicitLE && nativeOk.includes(storedSyntax))) {
      return { path: objectPath(sha256), transferSyntax: storedSyntax };
    }
    if (syntax === TS.explicitLE) {
      const rendition = await explicitLittleEndian(sha256, storedSyntax);
      if (rendition.ok) return { path: rendition.path, transferSyntax: TS.explicitLE };
      log("warn", "DICOM decoding failed", { sha256, transferSyntax: storedSyntax, detail: rendition.detail });
    }
  }
  return null;
}

/**
 * The DICOM parts of a STOW-RS request (`multipart/related; type="application/dicom"`), read one at a time as they arrive
 * (a part over IMAGING_MAX_FILE_MB is skipped and reported too large); or the answer refusing the request.
 */
export function readStowParts(request: Request, maxParts = MAX_STOW_PARTS): AsyncGenerator<StreamedPart> | Response {
  const contentType = request.headers.get("content-type") ?? "";
  const boundary = multipartBoundary(contentType);
  if (!/^multipart\/related/i.test(contentType) || !/type="?application\/dicom"?/i.test(contentType) || !boundary || !request.body) {
    return new Response('STOW-RS takes multipart/related; type="application/dicom" with a boundary at /studies', { status: 415 });
  }
  return streamParts(request.body, boundary, maxDicomFileBytes(), maxParts);
}

/**
 * Runs `each` on every part of a STOW-RS body in order; a body cut short or malformed ends the request with what was
 * stored so far. Null when the body held no part at all.
 */
export async function eachStowPart(parts: AsyncIterable<StreamedPart>, each: (part: StreamedPart, index: number) => Promise<IngestResult>) {
  const results: IngestResult[] = [];
  let malformed = false;
  try {
    for await (const part of parts) results.push(await each(part, results.length));
  } catch (error) {
    if (!(error instanceof MalformedMultipartError)) throw error;
    malformed = true;
  }
  return { results, malformed };
}

export const MAX_STOW_PARTS = 10_000;

/** Splits a multipart/related body into its parts' bytes. */
export function multipartParts(body: Buffer, contentType: string): Buffer[] | null {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(at + delimiter.length, next);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd !== -1) {
      let content = part.subarray(headerEnd + 4);
      if (content.subarray(-2).toString() === "\r\n") content = content.subarray(0, -2);
      parts.push(content);
    }
    at = next;
  }
  return parts;
}

async function stow(db: Db, caseId: string, parts: AsyncIterable<StreamedPart>, base: string) {
  const { results, malformed } = await eachStowPart(parts, (part, i) =>
    part.tooLarge ? Promise.resolve(partTooLarge(i)) : ingestDicom(db, caseId, part.bytes, `part ${i + 1}`),
  );
  return { ...stowAnswer(results, base), results, malformed };
}

export const partTooLarge = (i: number): IngestResult => ({ fileName: `part ${i + 1}`, status: "rejected", reasonKey: "imaging:rejections.fileTooLarge" });

/** The STOW-RS answer (PS3.18 Table 10.5.3-1) for the results of one request: 200 all kept, 202 some, 409 none. */
export function stowAnswer(results: IngestResult[], base: string) {
  const ok = results.filter((r) => r.status !== "rejected");
  const failed = results.filter((r) => r.status === "rejected");
  const body: DicomJson = {
    "00081190": str("UR", `${base}/studies`),
    "00081199": { vr: "SQ", Value: ok.map((r) => ({ "00081155": str("UI", r.sopInstanceUid), "00081190": str("UR", `${base}/studies`) })) },
    ...(failed.length > 0
      ? { "00081198": { vr: "SQ", Value: failed.map((r) => ({ "00081197": str("US", 0xc000), "00081196": str("LO", r.detail ?? r.reasonKey) })) } }
      : {}),
  };
  return { status: failed.length === 0 ? 200 : ok.length === 0 ? 409 : 202, body };
}

export const dicomJsonResponse = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": DICOM_JSON, "Cache-Control": "private, no-store" } });

const NATIVE_LE = [TS.explicitLE, TS.implicitLE, TS.deflatedLE];
const notAcceptable = () => new Response("None of the accepted transfer syntaxes can be provided for this instance", { status: 406 });

/**
 * A QIDO-RS or WADO-RS read under the case's service root (`path`: the segments after it), audited; null when there is
 * no such resource the reader may see. Consultants never receive series held back for possible burned-in text.
 */
export async function readDicomweb(
  caller: CaseCaller & { path: string[]; query: URLSearchParams; accept: string | null; base: string },
): Promise<Response | null> {
  const { user, facts, meta, path, query, accept, base, db = getDb() } = caller;
  const may = imagingAbilities(user, facts);
  if (!may.view || path[0] !== "studies") return null;
  const audit = (what: string) => auditCase({ db, user, meta, caseId: facts.id, action: "imaging.read", details: { dicomweb: what } });
  if (path.length === 1) {
    await audit("qido:studies");
    return dicomJsonResponse(await qidoStudies(db, facts.id, facts.code, may.seeFlaggedSeries, base, query));
  }
  const [, study, seriesWord, series, instancesWord, instance, tail, frameNumber] = path;
  if (path.length === 3 && seriesWord === "series") {
    const result = await qidoSeries(db, facts.id, may.seeFlaggedSeries, base, study, query);
    if (!result) return null;
    await audit(`qido:series ${study}`);
    return dicomJsonResponse(result);
  }
  if (seriesWord !== "series" || instancesWord !== "instances") return null;
  if (path.length === 5) {
    const result = await qidoInstances(db, facts.id, may.seeFlaggedSeries, base, study, series);
    if (!result) return null;
    await audit(`qido:instances ${series}`);
    return dicomJsonResponse(result);
  }
  const found = await findInstance(db, facts.id, may.seeFlaggedSeries, study, series, instance);
  if (!found) return null;
  const instanceBase = `${base}/studies/${study}/series/${series}/instances/${instance}`;
  if (path.length === 6) {
    const file = await negotiatedFile(found.sha256, found.transferSyntax, acceptedTransferSyntaxes(accept, "application/dicom"));
    if (!file) return notAcceptable();
    await audit(`wado:instance ${instance}`);
    return multipart([{ contentType: `application/dicom; transfer-syntax=${file.transferSyntax}`, body: await readFile(file.path) }], "application/dicom");
  }
  if (path.length === 7 && tail === "metadata") {
    await audit(`wado:metadata ${instance}`);
    return dicomJsonResponse([await instanceMetadata(found.sha256, instanceBase)]);
  }
  if (path.length === 8 && tail === "frames") {
    // Native little-endian pixels (implicit, explicit or deflated) are already what Explicit VR Little Endian frames hold.
    const file = await negotiatedFile(found.sha256, found.transferSyntax, acceptedTransferSyntaxes(accept, "application/octet-stream"), NATIVE_LE);
    if (!file) return notAcceptable();
    const result = await frame(file.path, Number(frameNumber), found.frames);
    if (!result) return null;
    await audit(`wado:frame ${instance}/${frameNumber}`);
    return multipart([{ contentType: result.contentType, body: result.body }], "application/octet-stream");
  }
  return null;
}

/** STOW-RS: each part de-identified and stored like a browser upload; the answer is PS3.18's store response. */
export async function storeDicomweb(caller: CaseCaller & { parts: AsyncIterable<StreamedPart>; base: string }): Promise<Response> {
  const { user, facts, meta, parts, base, db = getDb() } = caller;
  if (!imagingAbilities(user, facts).addImaging) return new Response("Forbidden", { status: 403 });
  const result = await stow(db, facts.id, parts, base);
  if (result.results.length === 0) return new Response(result.malformed ? "Malformed multipart body" : "No DICOM parts", { status: 400 });
  await auditCase({
    db,
    user,
    meta,
    caseId: facts.id,
    action: "imaging.stow",
    details: {
      stored: result.results.filter((r) => r.status === "stored").length,
      rejected: result.results.filter((r) => r.status === "rejected").map((r) => r.reasonKey),
    },
  });
  return dicomJsonResponse(result.body, result.status);
}
