/**
 * DICOMweb (PS3.18) for one case, rooted at /dicomweb/cases/{caseId}:
 *   (root)   GET  the service's capabilities (JSON summary; WADL on Accept: application/vnd.sun.wadl+xml)
 *   QIDO-RS  GET  /studies, /series, /instances, /studies/{study}/series, /studies/{study}/instances,
 *                 /studies/{study}/series/{series}/instances              (dicomweb-qido.server.ts, dicom/qido-match.ts)
 *   WADO-RS  GET  /studies/{study}[/series/{series}[/instances/{instance}]] and their /metadata, /rendered, /thumbnail;
 *                 .../instances/{instance}/frames/{n}[/rendered], .../instances/{instance}/bulkdata/{path}
 *                                                                          (dicomweb-wado.server.ts, dicomweb-rendered.ts)
 *   STOW-RS  POST /studies   (multipart/related; type="application/dicom")
 * QIDO answers from the index; WADO reads the stored, already de-identified files. Every read is checked with
 * imagingAbilities(...).view, keeps series flagged for burned-in text from those who may not see them (404, as for
 * anything else the reader may not see), and writes one `imaging.read` audit row per request naming what was read (reads
 * of single instances and frames folded per reader and series and minute: audit-refusals.server.ts).
 * CORS: origins listed in DICOMWEB_CORS_ORIGINS get preflight answers and CORS headers (credentials are not allowed
 * cross-origin: integrations send a Bearer token); every other origin gets none.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dictionaryVr } from "~/features/imaging/dicom/deid-profile";
import { type DicomJson } from "~/features/imaging/dicom/dicom-json";
import { parsePart10, tagOf, TS } from "~/features/imaging/dicom/part10";
import { auditCase, type CaseCaller } from "~/features/cases/case-access.server";
import { recordRepeatedRead } from "~/features/audit/audit-refusals.server";
import { acceptedTransferSyntaxes } from "~/features/imaging/dicom/accept-transfer-syntax";
import { encapsulatedFrames } from "~/features/imaging/dicom/codestream";
import type { QidoLevel } from "~/features/imaging/dicom/qido-match";
import { visibleSeries } from "~/features/imaging/imaging-store.server";
import { getDb, type Db } from "~/platform/db.server";
import { env } from "~/platform/env.server";
import { imagingAbilities } from "./imaging-access";
import { ingestDicom, maxDicomFileBytes, type IngestResult } from "./imaging-ingest.server";
import { log } from "~/platform/logger.server";
import { MalformedMultipartError, multipartBoundary, streamParts, type StreamedPart } from "~/platform/multipart-related";
import { qido } from "./dicomweb-qido.server";
import { parseRenderQuery, MAX_RENDERED_EDGE, MAX_VIEWPORT } from "./dicomweb-rendered";
import {
  bulkdata,
  instanceMetadata,
  metadataOf,
  negotiatedFile,
  notAcceptable,
  renderedInstances,
  renderedResponse,
  retrieveInstances,
  thumbnailInstance,
  visibleInstances,
  type WadoInstance,
} from "./dicomweb-wado.server";

export const DICOM_JSON = "application/dicom+json";

const str = (vr: string, value: string | number | null | undefined) =>
  value === null || value === undefined || value === "" ? { vr } : { vr, Value: [value] };

export async function findInstance(db: Db, caseId: string, seeFlaggedSeries: boolean, studyUid: string, seriesUid: string, instanceUid: string) {
  const instance = await db.imagingInstance.findFirst({
    where: {
      sopInstanceUid: instanceUid,
      series: { seriesInstanceUid: seriesUid, study: { caseId, studyInstanceUid: studyUid }, ...visibleSeries(seeFlaggedSeries) },
    },
  });
  return instance ? { ...instance, seriesUid, studyUid } : null;
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
  const body = encapsulatedFrames((pixels.fragments ?? []).slice(1), frames)?.[number - 1];
  return body ? { body, contentType: `application/octet-stream; transfer-syntax=${parsed.transferSyntax}` } : null;
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
    part.tooLarge ? Promise.resolve(partTooLarge(i)) : ingestDicom(db, caseId, part.bytes, `part ${i + 1}`, { handOver: true }),
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

/** Its length is given, so a short answer is sent as it is (not compressed, not streamed). */
export function dicomJsonResponse(body: unknown, status = 200) {
  const text = JSON.stringify(body);
  const headers = { "Content-Type": DICOM_JSON, "Cache-Control": "private, no-store", "Content-Length": String(Buffer.byteLength(text)) };
  return new Response(text, { status, headers });
}

const NATIVE_LE: string[] = [TS.explicitLE, TS.implicitLE, TS.deflatedLE];

/** A `Warning: 299` header (PS3.18 8.3.4.2) for each thing the service did not do as asked. */
function withWarnings(response: Response, service: string, warnings: string[]): Response {
  for (const warning of warnings) response.headers.append("Warning", `299 ${service}: "${warning.replace(/["\\]/g, "'")}"`);
  return response;
}

const badRequest = (message: string) => new Response(message, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });

type Read = { db: Db; caseId: string; caseCode: string; seeFlaggedSeries: boolean; base: string; query: URLSearchParams; accept: string | null };
/**
 * A read's answer and what the audit row says was read; null: nothing the reader may see (404). `series`: a read of one
 * instance or frame of that series, whose audit rows are folded per reader and series (viewers read them by the hundred).
 */
type Answer = { response: Response; what: string | null; series?: string } | null;

async function qidoAnswer(read: Read, level: QidoLevel, studyUid?: string, seriesUid?: string): Promise<Answer> {
  const result = await qido(read.db, level, { ...read, studyUid, seriesUid }, read.query);
  if (!result) return null;
  if (!result.ok) return { response: badRequest(result.error), what: null };
  const where = [studyUid, seriesUid].filter(Boolean).join("/");
  return {
    response: withWarnings(dicomJsonResponse(result.answer.results), read.base, result.answer.warnings),
    what: `qido:${level === "study" ? "studies" : level === "series" ? "series" : "instances"}${where ? ` ${where}` : ""}`,
  };
}

/** Rendered or thumbnail of one instance (frame: 0-based). */
async function renderedOne(read: Read, instance: WadoInstance, frameIndex: number, thumbnail: boolean, what: string): Promise<Answer> {
  const parsed = parseRenderQuery(read.query, read.accept, thumbnail);
  if (!parsed.ok) return { response: new Response(parsed.error, { status: parsed.status }), what: null };
  return { response: await renderedResponse(instance, frameIndex, parsed.options), what };
}

/** Study- or series-level WADO-RS: retrieve, metadata, rendered or thumbnail of the visible instances. */
async function wadoMany(read: Read, studyUid: string, seriesUid: string | undefined, tail: string | undefined): Promise<Answer> {
  const instances = await visibleInstances(read.db, read.caseId, read.seeFlaggedSeries, studyUid, seriesUid);
  if (instances.length === 0) return null;
  const where = seriesUid ? `series ${seriesUid}` : `study ${studyUid}`;
  const count = `(${instances.length} instances)`;
  if (tail === undefined) return { response: retrieveInstances(instances, read.accept, read.base), what: `wado:${where} ${count}` };
  if (tail === "metadata") return { response: metadataOf(instances, read.base), what: `wado:metadata ${where} ${count}` };
  if (tail === "thumbnail") return renderedOne(read, thumbnailInstance(instances)!, 0, true, `wado:thumbnail ${where}`);
  if (tail === "rendered") {
    const parsed = parseRenderQuery(read.query, read.accept);
    if (!parsed.ok) return { response: new Response(parsed.error, { status: parsed.status }), what: null };
    return { response: await renderedInstances(instances, parsed.options, read.base), what: `wado:rendered ${where} ${count}` };
  }
  return null;
}

/** Instance-level WADO-RS: retrieve, metadata, rendered, thumbnail, frames, bulkdata. */
async function wadoInstance(read: Read, instance: WadoInstance & { frames: number }, rest: string[]): Promise<Answer> {
  const { studyUid, seriesUid, sopInstanceUid: uid } = instance;
  const [tail, frameNumber, frameTail] = rest;
  if (rest.length === 0) {
    // The accept query parameter (PS3.18 8.3.3.1) comes before the header: a page's preload link can set no header.
    const accept = read.query.get("accept") ?? read.accept;
    const file = await negotiatedFile(instance.sha256, instance.transferSyntax, acceptedTransferSyntaxes(accept, "application/dicom"));
    if (!file) return { response: notAcceptable(), what: null };
    return {
      response: multipart([{ contentType: `application/dicom; transfer-syntax=${file.transferSyntax}`, body: await readFile(file.path) }], "application/dicom"),
      what: `wado:instance ${uid}`,
    };
  }
  const instanceBase = `${read.base}/studies/${studyUid}/series/${seriesUid}/instances/${uid}`;
  if (rest.length === 1 && tail === "metadata")
    return { response: dicomJsonResponse([await instanceMetadata(instance.sha256, instanceBase)]), what: `wado:metadata ${uid}` };
  if (rest.length === 1 && tail === "rendered") return renderedOne(read, instance, 0, false, `wado:rendered ${uid}`);
  if (rest.length === 1 && tail === "thumbnail") return renderedOne(read, instance, 0, true, `wado:thumbnail ${uid}`);
  if (tail === "bulkdata" && rest.length > 1) {
    const response = await bulkdata(instance, rest.slice(1), read.accept);
    return response && { response, what: `wado:bulkdata ${uid}/${rest.slice(1).join("/")}` };
  }
  if (tail !== "frames" || !/^\d{1,6}$/.test(frameNumber ?? "")) return null;
  const n = Number(frameNumber);
  if (n < 1 || n > instance.frames) return null;
  if (rest.length === 3 && frameTail === "rendered") return renderedOne(read, instance, n - 1, false, `wado:rendered ${uid}/${n}`);
  if (rest.length !== 2) return null;
  // Native little-endian pixels (implicit, explicit or deflated) are already what Explicit VR Little Endian frames hold.
  const file = await negotiatedFile(instance.sha256, instance.transferSyntax, acceptedTransferSyntaxes(read.accept, "application/octet-stream"), NATIVE_LE);
  if (!file) return { response: notAcceptable(), what: null };
  const result = await frame(file.path, n, instance.frames);
  if (!result) return null;
  return { response: multipart([{ contentType: result.contentType, body: result.body }], "application/octet-stream"), what: `wado:frame ${uid}/${n}` };
}

async function route(read: Read, path: string[]): Promise<Answer> {
  if (path.length === 0) return { response: capabilities(read.base, read.accept), what: "capabilities" };
  const [first, study, word, series, word2, instance, ...rest] = path;
  if (path.length === 1) {
    if (first === "studies") return qidoAnswer(read, "study");
    if (first === "series") return qidoAnswer(read, "series");
    if (first === "instances") return qidoAnswer(read, "instance");
    return null;
  }
  if (first !== "studies") return null;
  if (path.length === 2) return wadoMany(read, study, undefined, undefined);
  if (path.length === 3) {
    if (word === "series") return qidoAnswer(read, "series", study);
    if (word === "instances") return qidoAnswer(read, "instance", study);
    return ["metadata", "rendered", "thumbnail"].includes(word) ? wadoMany(read, study, undefined, word) : null;
  }
  if (word !== "series") return null;
  if (path.length === 4) return wadoMany(read, study, series, undefined);
  if (path.length === 5) {
    if (word2 === "instances") return qidoAnswer(read, "instance", study, series);
    return ["metadata", "rendered", "thumbnail"].includes(word2) ? wadoMany(read, study, series, word2) : null;
  }
  if (word2 !== "instances") return null;
  const found = await findInstance(read.db, read.caseId, read.seeFlaggedSeries, study, series, instance);
  const answer = found ? await wadoInstance(read, found, rest) : null;
  return answer && { ...answer, series };
}

/**
 * A QIDO-RS or WADO-RS read under the case's service root (`path`: the segments after it), audited once; null when
 * there is no such resource the reader may see. Consultants never receive series held back for possible burned-in text.
 */
export async function readDicomweb(
  caller: CaseCaller & { path: string[]; query: URLSearchParams; accept: string | null; base: string },
): Promise<Response | null> {
  const { user, facts, meta, path, query, accept, base, db = getDb() } = caller;
  const may = imagingAbilities(user, facts);
  if (!may.view) return null;
  const read: Read = { db, caseId: facts.id, caseCode: facts.code, seeFlaggedSeries: may.seeFlaggedSeries, base, query, accept };
  try {
    const answer = await route(read, path);
    if (!answer) return null;
    if (answer.what && answer.series) {
      const input = {
        actor: user,
        action: "imaging.read",
        outcome: "success" as const,
        entityType: "Case",
        entityId: facts.id,
        details: { dicomweb: answer.what },
        meta,
      };
      await recordRepeatedRead(db, input, answer.series, answer.what);
    } else if (answer.what) await auditCase({ db, user, meta, caseId: facts.id, action: "imaging.read", details: { dicomweb: answer.what } });
    return answer.response;
  } catch (error) {
    if (error instanceof Response) throw error;
    log("error", "DICOMweb read failed", { caseId: facts.id, path: path.join("/").slice(0, 300), error: String(error).slice(0, 500) });
    return new Response("The DICOMweb request failed", { status: 500 });
  }
}

/** The resources of the service, for the capabilities answer. */
const RESOURCES: { path: string; methods: string[]; produces: string[]; params?: string[] }[] = [
  { path: "", methods: ["GET"], produces: ["application/json", "application/vnd.sun.wadl+xml"] },
  { path: "studies", methods: ["GET", "POST"], produces: [DICOM_JSON], params: ["{attribute}", "includefield", "limit", "offset", "fuzzymatching"] },
  { path: "series", methods: ["GET"], produces: [DICOM_JSON], params: ["{attribute}", "includefield", "limit", "offset", "fuzzymatching"] },
  { path: "instances", methods: ["GET"], produces: [DICOM_JSON], params: ["{attribute}", "includefield", "limit", "offset", "fuzzymatching"] },
  { path: "studies/{study}", methods: ["GET"], produces: ['multipart/related; type="application/dicom"'] },
  { path: "studies/{study}/metadata", methods: ["GET"], produces: [DICOM_JSON] },
  {
    path: "studies/{study}/rendered",
    methods: ["GET"],
    produces: ['multipart/related; type="image/jpeg"', 'multipart/related; type="image/png"'],
    params: ["window", "viewport", "quality", "accept"],
  },
  { path: "studies/{study}/thumbnail", methods: ["GET"], produces: ["image/jpeg", "image/png"], params: ["viewport", "quality", "accept"] },
  { path: "studies/{study}/series", methods: ["GET"], produces: [DICOM_JSON], params: ["{attribute}", "includefield", "limit", "offset", "fuzzymatching"] },
  { path: "studies/{study}/instances", methods: ["GET"], produces: [DICOM_JSON], params: ["{attribute}", "includefield", "limit", "offset", "fuzzymatching"] },
  { path: "studies/{study}/series/{series}", methods: ["GET"], produces: ['multipart/related; type="application/dicom"'] },
  { path: "studies/{study}/series/{series}/metadata", methods: ["GET"], produces: [DICOM_JSON] },
  {
    path: "studies/{study}/series/{series}/rendered",
    methods: ["GET"],
    produces: ['multipart/related; type="image/jpeg"', 'multipart/related; type="image/png"'],
    params: ["window", "viewport", "quality", "accept"],
  },
  { path: "studies/{study}/series/{series}/thumbnail", methods: ["GET"], produces: ["image/jpeg", "image/png"], params: ["viewport", "quality", "accept"] },
  {
    path: "studies/{study}/series/{series}/instances",
    methods: ["GET"],
    produces: [DICOM_JSON],
    params: ["{attribute}", "includefield", "limit", "offset", "fuzzymatching"],
  },
  { path: "studies/{study}/series/{series}/instances/{instance}", methods: ["GET"], produces: ['multipart/related; type="application/dicom"'] },
  { path: "studies/{study}/series/{series}/instances/{instance}/metadata", methods: ["GET"], produces: [DICOM_JSON] },
  {
    path: "studies/{study}/series/{series}/instances/{instance}/rendered",
    methods: ["GET"],
    produces: ["image/jpeg", "image/png"],
    params: ["window", "viewport", "quality", "accept"],
  },
  {
    path: "studies/{study}/series/{series}/instances/{instance}/thumbnail",
    methods: ["GET"],
    produces: ["image/jpeg", "image/png"],
    params: ["viewport", "quality", "accept"],
  },
  {
    path: "studies/{study}/series/{series}/instances/{instance}/frames/{frame}",
    methods: ["GET"],
    produces: ['multipart/related; type="application/octet-stream"'],
  },
  {
    path: "studies/{study}/series/{series}/instances/{instance}/frames/{frame}/rendered",
    methods: ["GET"],
    produces: ["image/jpeg", "image/png"],
    params: ["window", "viewport", "quality", "accept"],
  },
  {
    path: "studies/{study}/series/{series}/instances/{instance}/bulkdata/{path}",
    methods: ["GET"],
    produces: ['multipart/related; type="application/octet-stream"'],
  },
];

const xml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * The service's capabilities (PS3.18 8.9): a JSON summary by default (what each resource answers, the transfer
 * syntaxes given, the limits), or the resources as WADL when the client asks for application/vnd.sun.wadl+xml.
 */
export function capabilities(base: string, accept: string | null): Response {
  if (/application\/vnd\.sun\.wadl\+xml/i.test(accept ?? "")) {
    const resources = RESOURCES.map((r) => {
      const params = (r.params ?? []).map((p) => `<param name="${xml(p)}" style="query"/>`).join("");
      const methods = r.methods
        .map((m) => `<method name="${m}"><response>${r.produces.map((t) => `<representation mediaType="${xml(t)}"/>`).join("")}</response></method>`)
        .join("");
      return `<resource path="${xml(r.path)}">${params}${methods}</resource>`;
    }).join("\n    ");
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<application xmlns="http://wadl.dev.java.net/2009/02">\n  <resources base="${xml(base)}/">\n    ${resources}\n  </resources>\n</application>\n`;
    return new Response(body, { headers: { "Content-Type": "application/vnd.sun.wadl+xml", "Cache-Control": "private, no-store" } });
  }
  const summary = {
    service: base,
    standard: "DICOM PS3.18",
    authentication: "Bearer token (Authorization header) or a signed-in session; cross-origin clients use a Bearer token",
    resources: RESOURCES.map((r) => ({
      path: r.path ? `/${r.path}` : "/",
      methods: r.methods,
      produces: r.produces,
      ...(r.params ? { parameters: r.params } : {}),
    })),
    transferSyntaxes: { default: TS.explicitLE, asStored: "transfer-syntax=*" },
    qido: { maxLimit: 1000, maxOffset: 1_000_000, fuzzymatching: false, matchableAttributes: "see dicom/qido-match.ts (QIDO_ATTRIBUTES)" },
    rendered: {
      mediaTypes: ["image/jpeg", "image/png"],
      windowFunctions: ["linear", "linear-exact", "sigmoid"],
      maxViewport: MAX_VIEWPORT,
      maxRenderedEdge: MAX_RENDERED_EDGE,
    },
  };
  return new Response(JSON.stringify(summary, null, 2), { headers: { "Content-Type": "application/json", "Cache-Control": "private, no-store" } });
}

const CORS_METHODS = "GET, HEAD, OPTIONS";
const CORS_HEADERS = "Authorization, Accept, Content-Type";
const CORS_EXPOSED = "Content-Type, Content-Length, Content-Location, Warning, WWW-Authenticate";

/** The request's Origin when DICOMWEB_CORS_ORIGINS lists it. */
function allowedOrigin(request: Request): string | null {
  const origin = request.headers.get("origin");
  return origin && env("DICOMWEB_CORS_ORIGINS").includes(origin) ? origin : null;
}

/** A CORS preflight (OPTIONS): 204, with the CORS headers only for a listed origin. */
export function dicomwebPreflight(request: Request): Response {
  const origin = allowedOrigin(request);
  const headers = new Headers({ Allow: CORS_METHODS, Vary: "Origin" });
  if (origin) {
    headers.set("Access-Control-Allow-Origin", origin);
    headers.set("Access-Control-Allow-Methods", CORS_METHODS);
    headers.set("Access-Control-Allow-Headers", CORS_HEADERS);
    headers.set("Access-Control-Max-Age", "600");
  }
  return new Response(null, { status: 204, headers });
}

/** The response with CORS headers for a listed origin (errors included, so a browser client can read a 401 or 404). */
export function withDicomwebCors(request: Request, response: Response): Response {
  const origin = allowedOrigin(request);
  if (!origin) return response;
  const headers = new Headers(response.headers);
  headers.set("Access-Control-Allow-Origin", origin);
  headers.set("Access-Control-Expose-Headers", CORS_EXPOSED);
  headers.append("Vary", "Origin");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
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
