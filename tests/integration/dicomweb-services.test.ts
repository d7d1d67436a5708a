/**
 * The rest of the case DICOMweb service (issue 16): study and series retrieve, metadata with bulk data by reference
 * and the bulkdata resource, rendered and thumbnail images, QIDO-RS matching at every level, CORS, capabilities, and
 * the same access rule and audit through all of it. Parts are checked with dcmtk's dcmdump and images with
 * ImageMagick's identify/convert, tools we did not write.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as assignRoute from "~/routes/cases.$caseId.assign";
import * as dicomweb from "~/routes/dicomweb.cases.$caseId.$";
import * as newCase from "~/routes/cases.new";
import { createApiToken } from "~/features/identity/api-tokens.server";
import { MAX_CARRIED_PREVIEW_BYTES, openingPreview, renderLoad, renderTurn, setRenderLimits } from "~/features/imaging/dicomweb-wado.server";
import { dictionaryVr } from "~/features/imaging/dicom/deid-profile";
import { encodeString, parsePart10, tagOf, writePart10, type Dataset } from "~/features/imaging/dicom/part10";
import { getDb } from "~/platform/db.server";
import { derivedPath, objectPath } from "~/platform/storage.server";
import { BASE, post, run, signIn } from "../support/remix";
import { callDicomweb, CORPUS, stowBody } from "../support/dicomweb";
import { FIRST_ENTRY } from "../support/case-packet";

const CT = ["ct-series/ct-3slice-01.dcm", "ct-series/ct-3slice-02.dcm", "ct-series/ct-3slice-03.dcm"];
const MR_J2K = "syntax/mr-j2k-lossless.dcm";
const US_FLAGGED = "multiframe/us-30f-jpeg-ybr.dcm";
const EXPLICIT_LE = "1.2.840.10008.1.2.1";
const J2K_LOSSLESS = "1.2.840.10008.1.2.4.90";
const ALLOWED_ORIGIN = "https://viewer.example.org";

const work = mkdtempSync(path.join(os.tmpdir(), "dicomweb-services-"));
let fileCounter = 0;
const tempFile = (bytes: Uint8Array, ext: string) => {
  const file = path.join(work, `f${++fileCounter}.${ext}`);
  writeFileSync(file, bytes);
  return file;
};

const call = callDicomweb;

/** Our own reading of a multipart/related body: each part's headers and bytes, and whether the closing boundary came. */
function parseMultipart(body: Buffer, contentType: string) {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)![1];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { contentType: string; location: string | null; body: Buffer }[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), at + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(at + delimiter.length + 2, next);
    const headerEnd = part.indexOf("\r\n\r\n");
    const headers = part.subarray(0, headerEnd).toString("latin1");
    parts.push({
      contentType: /^content-type:\s*(.+)$/im.exec(headers)?.[1].trim() ?? "",
      location: /^content-location:\s*(.+)$/im.exec(headers)?.[1].trim() ?? null,
      body: part.subarray(headerEnd + 4),
    });
    at = next + 2;
  }
  const closed = body.subarray(body.length - boundary.length - 6).toString("latin1") === `--${boundary}--\r\n`;
  return { parts, closed };
}

async function partsOf(response: Response) {
  expect(response.status).toBe(200);
  const parsed = parseMultipart(Buffer.from(await response.arrayBuffer()), response.headers.get("content-type")!);
  expect(parsed.closed).toBe(true);
  return parsed.parts;
}

/** dcmdump's reading of a DICOM file's SOP Instance UID and transfer syntax (numeric). */
function dcmdumpIds(bytes: Uint8Array) {
  const out = execFileSync("dcmdump", ["-q", "-Un", "+P", "0002,0010", "+P", "0008,0018", tempFile(bytes, "dcm")], { encoding: "utf8" });
  const value = (tag: string) => new RegExp(`\\(${tag}\\) UI [\\[=]([0-9.]+)`).exec(out)?.[1];
  return { sopInstanceUid: value("0008,0018"), transferSyntax: value("0002,0010") };
}

/** ImageMagick's reading of an image: format, size and channel layout. */
function identify(bytes: Uint8Array) {
  const [format, width, height, colorspace] = execFileSync("identify", ["-format", "%m %w %h %[colorspace]", tempFile(bytes, "img")], {
    encoding: "utf8",
  }).split(" ");
  return { format, width: Number(width), height: Number(height), colorspace };
}

/** Mean pixel value (0..1) by ImageMagick. */
const meanOf = (bytes: Uint8Array) => Number(execFileSync("convert", [tempFile(bytes, "img"), "-format", "%[fx:mean]", "info:"], { encoding: "utf8" }));

type Setup = {
  caseId: string;
  code: string;
  token: string;
  physician: string;
  coordinator: string;
  consultant: string;
  ct: { study: string; series: string; instances: { uid: string; sha256: string; number: number | null }[]; studyDate: string | null };
  mr: { study: string; series: string; instance: string; sha256: string };
  us: { study: string; series: string; instance: string };
};
let s: Setup;

beforeAll(async () => {
  const physician = await signIn("physician@demo.test");
  const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, physician) });
  const caseId = /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
  const user = await getDb().user.findUniqueOrThrow({ where: { email: "physician@demo.test" } });
  const token = await createApiToken(getDb(), user.id, "test viewer");
  const { body, type } = stowBody([...CT, MR_J2K, US_FLAGGED]);
  const stored = await call(dicomweb.action, caseId, "studies", { method: "POST", body, headers: { authorization: `Bearer ${token}`, "content-type": type } });
  expect(stored.status).toBe(200);

  const { packetForm } = await import("../support/case-packet");
  const edit = await import("~/routes/cases.$caseId.edit");
  const version = String((await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).version);
  await run(edit.action, { request: post(`/cases/${caseId}/edit`, { ...packetForm(), intent: "submit", version }, physician), params: { caseId } });
  const consultantUser = await getDb().user.findUniqueOrThrow({ where: { email: "consultant@demo.test" } });
  const coordinator = await signIn("coordinator@demo.test");
  await run(assignRoute.action, {
    request: post(`/cases/${caseId}/assign`, { primaryId: consultantUser.id, dueDate: "2030-01-01" }, coordinator),
    params: { caseId },
  });

  const series = await getDb().imagingSeries.findMany({
    where: { study: { caseId } },
    include: { study: true, instances: { orderBy: [{ instanceNumber: "asc" }, { sopInstanceUid: "asc" }] } },
  });
  const of = (modality: string) => series.find((x) => x.modality === modality)!;
  const [ct, mr, us] = [of("CT"), of("MR"), of("US")];
  expect(us.burnedInRisk).toBe(true);
  s = {
    caseId,
    code: (await getDb().case.findUniqueOrThrow({ where: { id: caseId } })).code,
    token,
    physician,
    coordinator,
    consultant: await signIn("consultant@demo.test"),
    ct: {
      study: ct.study.studyInstanceUid,
      series: ct.seriesInstanceUid,
      instances: ct.instances.map((i) => ({ uid: i.sopInstanceUid, sha256: i.sha256, number: i.instanceNumber })),
      studyDate: ct.study.studyDate,
    },
    mr: { study: mr.study.studyInstanceUid, series: mr.seriesInstanceUid, instance: mr.instances[0].sopInstanceUid, sha256: mr.instances[0].sha256 },
    us: { study: us.study.studyInstanceUid, series: us.seriesInstanceUid, instance: us.instances[0].sopInstanceUid },
  };
  expect(s.ct.instances).toHaveLength(3);
  expect(mr.instances[0].transferSyntax).toBe(J2K_LOSSLESS);
}, 120_000);

const bearer = (extra: Record<string, string> = {}) => ({ headers: { authorization: `Bearer ${s.token}`, ...extra } });
const as = (cookie: string, extra: Record<string, string> = {}) => ({ headers: { cookie, ...extra } });
const get = (rest: string, init: RequestInit = bearer()) => call(dicomweb.loader, s.caseId, rest, init);
const json = async (rest: string, init?: RequestInit) => {
  const response = await get(rest, init);
  expect(response.status, `${rest}: ${response.status}`).toBe(200);
  return (await response.json()) as Record<string, { vr: string; Value?: unknown[]; BulkDataURI?: string }>[];
};
const values = (results: Record<string, { Value?: unknown[] }>[], tag: string) => results.map((r) => r[tag]?.Value?.[0]);
const readCount = () => getDb().auditEvent.count({ where: { action: "imaging.read", entityId: s.caseId } });
const ctSeriesPath = () => `studies/${s.ct.study}/series/${s.ct.series}`;
const ctInstancePath = (n = 0) => `${ctSeriesPath()}/instances/${s.ct.instances[n].uid}`;

describe("WADO-RS study and series retrieve", () => {
  it("gives every visible instance of a study as application/dicom, decoded to Explicit VR Little Endian by default, audited once", async () => {
    const before = await readCount();
    const parts = await partsOf(await get(`studies/${s.ct.study}`));
    expect(await readCount()).toBe(before + 1);
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "imaging.read", entityId: s.caseId }, orderBy: { id: "desc" } });
    expect(audit.details).toContain(`wado:study ${s.ct.study}`);
    expect(parts).toHaveLength(3);
    const ids = parts.map((p) => ({ ...dcmdumpIds(p.body), contentType: p.contentType }));
    expect(ids.map((i) => i.sopInstanceUid).sort()).toEqual(s.ct.instances.map((i) => i.uid).sort());
    for (const id of ids) {
      expect(id.transferSyntax).toBe(EXPLICIT_LE);
      expect(id.contentType).toBe(`application/dicom; transfer-syntax=${EXPLICIT_LE}`);
    }
    expect(parts[0].location).toBe(`${BASE}/dicomweb/cases/${s.caseId}/${ctInstancePath(0)}`);
  });

  it("gives a series as stored on transfer-syntax=*, decoded by default, and 406 for a syntax it cannot give", async () => {
    const seriesPath = `studies/${s.mr.study}/series/${s.mr.series}`;
    const asStored = await partsOf(await get(seriesPath, bearer({ accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' })));
    expect(asStored.map((p) => dcmdumpIds(p.body))).toEqual([{ sopInstanceUid: s.mr.instance, transferSyntax: J2K_LOSSLESS }]);
    const decoded = await partsOf(await get(seriesPath));
    expect(dcmdumpIds(decoded[0].body)).toEqual({ sopInstanceUid: s.mr.instance, transferSyntax: EXPLICIT_LE });
    const refused = await get(seriesPath, bearer({ accept: 'multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.4.50' }));
    expect(refused.status).toBe(406);
    expect((await get(`studies/${s.ct.study}/series/1.2.3.4`)).status).toBe(404);
    expect((await get(`studies/1.2.3.4`)).status).toBe(404);
  });
});

describe("WADO-RS near-lossless first passes", () => {
  const accept = (syntaxes: string) => bearer({ accept: syntaxes });
  const FIRST_PASS = `multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.4.81, multipart/related; type="application/dicom"; transfer-syntax=${EXPLICIT_LE}; q=0.5`;

  it("are given only to a client that asks for them, marked lossy, and the colour ultrasound, which JPEG-LS cannot code so, falls back", async () => {
    const [near] = await partsOf(await get(ctInstancePath(0), accept(FIRST_PASS)));
    expect(dcmdumpIds(near.body)).toEqual({ sopInstanceUid: s.ct.instances[0].uid, transferSyntax: "1.2.840.10008.1.2.4.81" });
    const file = path.join(work, "near.dcm");
    writeFileSync(file, near.body);
    expect(execFileSync("dcmdump", ["-q", "+P", "0028,2110", "+P", "0028,2114", file], { encoding: "utf8" })).toMatch(/\[01\][\s\S]*\[ISO_14495_1\]/);
    const [plain] = await partsOf(await get(ctInstancePath(0)));
    expect(dcmdumpIds(plain.body).transferSyntax).toBe(EXPLICIT_LE);
    const colour = await partsOf(
      await get(`studies/${s.us.study}/series/${s.us.series}/instances/${s.us.instance}`, as(s.coordinator, { accept: FIRST_PASS })),
    );
    expect(dcmdumpIds(colour[0].body).transferSyntax).toBe(EXPLICIT_LE);
  });
});

describe("WADO-RS metadata and bulk data", () => {
  it("answers study and series metadata, one object per instance, with bulk data by reference that the bulkdata resource serves", async () => {
    const study = await json(`studies/${s.ct.study}/metadata`);
    expect(study).toHaveLength(3);
    expect(study.map((m) => m["00080018"].Value![0]).sort()).toEqual(s.ct.instances.map((i) => i.uid).sort());
    for (const m of study) {
      expect(m["00100020"].Value).toEqual([s.code]);
      expect(m["7FE00010"].Value).toBeUndefined();
      expect(m["7FE00010"].BulkDataURI).toMatch(/\/bulkdata\/7FE00010$/);
    }
    // The pixel data the first instance's URI names are dcmdump's (+W) pixel data of the stored file.
    const first = study.find((m) => m["00080018"].Value![0] === s.ct.instances[0].uid)!;
    const uri = first["7FE00010"].BulkDataURI!;
    expect(uri.startsWith(`${BASE}/dicomweb/cases/${s.caseId}/`)).toBe(true);
    const bulk = await partsOf(await get(uri.slice(`${BASE}/dicomweb/cases/${s.caseId}/`.length)));
    expect(bulk).toHaveLength(1);
    const dumpDir = mkdtempSync(path.join(work, "w-"));
    execFileSync("dcmdump", ["-q", "+W", dumpDir, objectPath(s.ct.instances[0].sha256)]);
    const raw = readFileSync(path.join(dumpDir, `${path.basename(objectPath(s.ct.instances[0].sha256))}.0.raw`));
    expect(raw.length).toBe(512 * 512 * 2);
    expect(Buffer.compare(bulk[0].body, raw)).toBe(0);

    const series = await json(`studies/${s.mr.study}/series/${s.mr.series}/metadata`);
    expect(series).toHaveLength(1);
    const mrBulk = series[0]["7FE00010"].BulkDataURI!.slice(`${BASE}/dicomweb/cases/${s.caseId}/`.length);
    // Compressed as stored on request (one part per frame, a JPEG 2000 codestream), decoded by default.
    const stored = await partsOf(await get(mrBulk, bearer({ accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*' })));
    expect(stored).toHaveLength(1);
    expect(stored[0].contentType).toBe(`application/octet-stream; transfer-syntax=${J2K_LOSSLESS}`);
    expect([...stored[0].body.subarray(0, 2)]).toEqual([0xff, 0x4f]);
    const decoded = await partsOf(await get(mrBulk));
    const rows = series[0]["00280010"].Value![0] as number;
    const columns = series[0]["00280011"].Value![0] as number;
    expect(decoded[0].body.length).toBe(rows * columns * 2);
    // The decoded pixels are those the instance's frame retrieve gives.
    const frame = await partsOf(await get(`studies/${s.mr.study}/series/${s.mr.series}/instances/${s.mr.instance}/frames/1`));
    expect(Buffer.compare(decoded[0].body, frame[0].body)).toBe(0);

    expect((await get(`${ctInstancePath(0)}/bulkdata/7FE10010`)).status).toBe(404);
    expect((await get(`${ctInstancePath(0)}/bulkdata/not-a-tag`)).status).toBe(404);
  });
});

describe("WADO-RS rendered and thumbnail", () => {
  it("renders an instance as JPEG by default and PNG on request, fitted to the viewport", async () => {
    const jpeg = await get(`${ctInstancePath(0)}/rendered`);
    expect(jpeg.status).toBe(200);
    expect(jpeg.headers.get("content-type")).toBe("image/jpeg");
    expect(identify(Buffer.from(await jpeg.arrayBuffer()))).toMatchObject({ format: "JPEG", width: 512, height: 512, colorspace: "Gray" });
    const png = await get(`${ctInstancePath(0)}/rendered`, bearer({ accept: "image/png" }));
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(identify(Buffer.from(await png.arrayBuffer()))).toMatchObject({ format: "PNG", width: 512, height: 512 });
    const fitted = await get(`${ctInstancePath(0)}/rendered?viewport=256,128`);
    expect(identify(Buffer.from(await fitted.arrayBuffer()))).toMatchObject({ format: "JPEG", width: 128, height: 128 });
    const enlarged = await get(`${ctInstancePath(0)}/rendered?viewport=1024,1024&accept=image/png`);
    expect(identify(Buffer.from(await enlarged.arrayBuffer()))).toMatchObject({ format: "PNG", width: 1024, height: 1024 });
    const cropped = await get(`${ctInstancePath(0)}/rendered?viewport=100,100,0,0,256,128`);
    expect(identify(Buffer.from(await cropped.arrayBuffer()))).toMatchObject({ width: 100, height: 50 });
    const frame = await get(`${ctInstancePath(0)}/frames/1/rendered`, bearer({ accept: 'multipart/related; type="image/png"' }));
    expect(identify(Buffer.from(await frame.arrayBuffer()))).toMatchObject({ format: "PNG", width: 512, height: 512 });
    expect((await get(`${ctInstancePath(0)}/frames/2/rendered`)).status).toBe(404);
    // A compressed instance is decoded first.
    const mr = await get(`studies/${s.mr.study}/series/${s.mr.series}/instances/${s.mr.instance}/rendered`);
    expect(identify(Buffer.from(await mr.arrayBuffer())).format).toBe("JPEG");
  });

  it("applies the window and quality parameters, and refuses invalid ones", async () => {
    const image = async (query: string) => Buffer.from(await (await get(`${ctInstancePath(1)}/rendered?${query}`)).arrayBuffer());
    const soft = await image("window=40,400&accept=image/png");
    const bone = await image("window=1000,100&accept=image/png");
    const wide = await image("window=40,400,sigmoid&accept=image/png");
    expect(Buffer.compare(soft, bone)).not.toBe(0);
    expect(meanOf(bone)).toBeLessThan(meanOf(soft));
    expect(Buffer.compare(soft, wide)).not.toBe(0);
    const low = await image("quality=5");
    const high = await image("quality=95");
    expect(low.length).toBeLessThan(high.length);
    for (const query of [
      "window=abc",
      "window=40,0",
      "window=40,400,cubic",
      "viewport=0,10",
      "viewport=99999,10",
      "quality=0",
      "quality=101",
      "foo=1",
      "quality=5&quality=6",
    ]) {
      const response = await get(`${ctInstancePath(1)}/rendered?${query}`);
      expect(response.status, query).toBe(400);
    }
    expect((await get(`${ctInstancePath(1)}/rendered`, bearer({ accept: "image/gif" }))).status).toBe(406);
  });

  it("renders a series and a study as multipart images, and gives small thumbnails at every level", async () => {
    const series = await get(`${ctSeriesPath()}/rendered`);
    expect(series.headers.get("content-type")).toMatch(/^multipart\/related; type="image\/jpeg"/);
    const parts = await partsOf(series);
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(identify(part.body)).toMatchObject({ format: "JPEG", width: 512, height: 512 });
    const study = await partsOf(await get(`studies/${s.ct.study}/rendered?viewport=64,64`, bearer({ accept: 'multipart/related; type="image/png"' })));
    expect(study.map((p) => identify(p.body))).toEqual(Array(3).fill({ format: "PNG", width: 64, height: 64, colorspace: "Gray" }));

    for (const level of [`studies/${s.ct.study}`, ctSeriesPath(), ctInstancePath(2)]) {
      const thumbnail = await get(`${level}/thumbnail`);
      expect(thumbnail.status, level).toBe(200);
      expect(identify(Buffer.from(await thumbnail.arrayBuffer()))).toMatchObject({ format: "JPEG", width: 128, height: 128 });
    }
    const small = await get(`${ctSeriesPath()}/thumbnail?viewport=32,32`, bearer({ accept: "image/png" }));
    expect(identify(Buffer.from(await small.arrayBuffer()))).toMatchObject({ format: "PNG", width: 32, height: 32 });
    expect((await get(`${ctSeriesPath()}/thumbnail?window=1,2`)).status).toBe(400);
  });

  it("renders colour as RGB for those who may see the flagged series", async () => {
    const colour = await get(`studies/${s.us.study}/series/${s.us.series}/instances/${s.us.instance}/frames/3/rendered`, as(s.coordinator));
    expect(colour.status).toBe(200);
    expect(identify(Buffer.from(await colour.arrayBuffer()))).toMatchObject({ format: "JPEG", width: 320, height: 240, colorspace: "sRGB" });
  });
});

describe("WADO-RS rendered: bounded, off the event loop, a few at a time", () => {
  // A 2048 × 2048 CT (the corpus slice tiled 4 × 4) in a case of its own, so the other tests' studies stay as they are.
  let large: { caseId: string; path: string };
  const getLarge = (rest: string) => call(dicomweb.loader, large.caseId, rest, bearer());

  beforeAll(async () => {
    const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, s.physician) });
    const caseId = /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
    const file = parsePart10(readFileSync(path.join(CORPUS, CT[0])), dictionaryVr);
    const element = (dataset: Dataset, group: number, number: number) => dataset.find((e) => e.tag === tagOf(group, number))!;
    const pixels = element(file.dataset, 0x7fe0, 0x0010).value!;
    const tiled = new Uint8Array(pixels.length * 16);
    for (let row = 0; row < 2048; row++)
      for (let tile = 0; tile < 4; tile++) tiled.set(pixels.subarray((row % 512) * 1024, (row % 512) * 1024 + 1024), (row * 4 + tile) * 1024);
    element(file.dataset, 0x7fe0, 0x0010).value = tiled;
    const size = new Uint8Array(2);
    new DataView(size.buffer).setUint16(0, 2048, true);
    element(file.dataset, 0x0028, 0x0010).value = size;
    element(file.dataset, 0x0028, 0x0011).value = size;
    const uid = (suffix: string) => encodeString(`2.25.${Date.now()}${suffix}`, "UI");
    element(file.dataset, 0x0020, 0x000d).value = uid("1");
    element(file.dataset, 0x0020, 0x000e).value = uid("2");
    element(file.dataset, 0x0008, 0x0018).value = uid("3");
    element(file.meta, 0x0002, 0x0003).value = uid("3");
    const boundary = "large-ct";
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
      writePart10(file),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const stored = await call(dicomweb.action, caseId, "studies", {
      method: "POST",
      body,
      headers: { authorization: `Bearer ${s.token}`, "content-type": `multipart/related; type="application/dicom"; boundary=${boundary}` },
    });
    expect(stored.status).toBe(200);
    const series = await getDb().imagingSeries.findFirstOrThrow({ where: { study: { caseId } }, include: { study: true, instances: true } });
    large = {
      caseId,
      path: `studies/${series.study.studyInstanceUid}/series/${series.seriesInstanceUid}/instances/${series.instances[0].sopInstanceUid}`,
    };
  }, 60_000);

  it("bounds the size it draws: at most twice the source region and 2048 a side, fitted down rather than refused", async () => {
    const doubled = await get(`${ctInstancePath(0)}/rendered?viewport=4096,4096&accept=image/png`);
    expect(doubled.status).toBe(200);
    expect(identify(Buffer.from(await doubled.arrayBuffer()))).toMatchObject({ format: "PNG", width: 1024, height: 1024 });
    const capped = await getLarge(`${large.path}/rendered?viewport=4096,4096&accept=image/png`);
    expect(capped.status).toBe(200);
    const drawn = identify(Buffer.from(await capped.arrayBuffer()));
    expect(drawn.width).toBeLessThanOrEqual(2048);
    expect(drawn).toMatchObject({ format: "PNG", width: 2048, height: 2048 });
    // One source pixel asked at 4096 × 4096 gives 2 × 2.
    const pixel = await get(`${ctInstancePath(0)}/rendered?viewport=4096,4096,10,10,1,1`);
    expect(identify(Buffer.from(await pixel.arrayBuffer()))).toMatchObject({ format: "JPEG", width: 2, height: 2 });
    const study = await partsOf(await get(`studies/${s.ct.study}/rendered?viewport=4096,2048`));
    expect(study.map((p) => identify(p.body))).toEqual(Array(3).fill({ format: "JPEG", width: 1024, height: 1024, colorspace: "Gray" }));
    // A thumbnail stays small whatever its viewport.
    const thumbnail = await get(`${ctSeriesPath()}/thumbnail?viewport=4096,4096`);
    expect(identify(Buffer.from(await thumbnail.arrayBuffer()))).toMatchObject({ format: "JPEG", width: 256, height: 256 });
  });

  it("keeps the event loop responsive while large images are rendered (in the DICOM workers)", async () => {
    // Once before measuring: the workers load the rendering code and the codecs on first use.
    expect((await get(`${ctInstancePath(0)}/rendered?viewport=64,64`)).status).toBe(200);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const read = async (response: Promise<Response>) => {
      const r = await response;
      return { status: r.status, type: r.headers.get("content-type"), body: Buffer.from(await r.arrayBuffer()) };
    };
    // A 2048 × 2048 PNG (about a second of CPU), a study's three images and a 1024 × 1024 JPEG, all at once.
    const bodies = await Promise.all([
      read(getLarge(`${large.path}/rendered?viewport=4096,4096&accept=image/png`)),
      read(get(`studies/${s.ct.study}/rendered?viewport=4096,4096`, bearer({ accept: 'multipart/related; type="image/png"' }))),
      read(get(`${ctInstancePath(2)}/rendered?viewport=4096,4096&quality=100`)),
    ]);
    delay.disable();
    // Drawn on the event loop, these stopped it for seconds; in the workers, nothing on it takes more than a moment.
    expect(delay.max / 1e6).toBeLessThan(200);
    expect(bodies.map((b) => b.status)).toEqual([200, 200, 200]);
    const [big, study, single] = bodies;
    expect(identify(big.body)).toMatchObject({ format: "PNG", width: 2048, height: 2048 });
    const parts = parseMultipart(study.body, study.type!).parts;
    expect(parts.map((p) => identify(p.body))).toEqual(Array(3).fill({ format: "PNG", width: 1024, height: 1024, colorspace: "Gray" }));
    expect(identify(single.body)).toMatchObject({ format: "JPEG", width: 1024, height: 1024 });
  });

  it("renders a few images at a time and answers 503 with Retry-After when too many wait", async () => {
    const before = setRenderLimits({ inFlight: 1, queue: 1 });
    const release = (await renderTurn())!;
    try {
      // The one turn is taken: the next request waits, the one after is refused, at every level. (A quality of its own,
      // so that none is a render the server keeps from an earlier test.)
      const waiting = get(`${ctInstancePath(0)}/rendered?quality=80`);
      await vi.waitFor(() => expect(renderLoad().waiting).toBe(1));
      for (const level of [
        `${ctInstancePath(1)}/rendered?quality=80`,
        `${ctInstancePath(1)}/frames/1/rendered?quality=80`,
        `${ctSeriesPath()}/thumbnail?quality=80`,
        `studies/${s.ct.study}/rendered?quality=80`,
      ]) {
        const refused = await get(level);
        expect(refused.status, level).toBe(503);
        expect(refused.headers.get("retry-after"), level).toBe("5");
      }
      release();
      const served = await waiting;
      expect(served.status).toBe(200);
      expect(identify(Buffer.from(await served.arrayBuffer()))).toMatchObject({ format: "JPEG", width: 512, height: 512 });
      // Once a study's answer has started, its later images wait for their turn instead of being refused.
      setRenderLimits({ inFlight: 1, queue: 0 });
      expect(await partsOf(await get(`studies/${s.ct.study}/rendered?viewport=64,64`))).toHaveLength(3);
      expect(renderLoad()).toEqual({ rendering: 0, waiting: 0 });
    } finally {
      release();
      setRenderLimits(before);
    }
  });
});

describe("WADO-RS rendered: the app's own renders are kept", () => {
  it("draws the viewer's preview and a thumbnail once and keeps them beside the instance; other options are drawn per request and not kept", async () => {
    const { sha256 } = s.ct.instances[2];
    const kept = (name: string) => derivedPath(sha256, name);
    const previewPath = `${ctInstancePath(2)}/frames/1/rendered?accept=image%2Fjpeg`;
    const preview = Buffer.from(await (await get(previewPath)).arrayBuffer());
    expect(identify(preview)).toMatchObject({ format: "JPEG", width: 512, height: 512 });
    await vi.waitFor(() => expect(existsSync(kept("rendered-1-whole.jpg"))).toBe(true));
    expect(readFileSync(kept("rendered-1-whole.jpg")).equals(preview)).toBe(true);
    const thumbnail = Buffer.from(await (await get(`${ctInstancePath(2)}/thumbnail`)).arrayBuffer());
    await vi.waitFor(() => expect(existsSync(kept("rendered-1-thumbnail.jpg"))).toBe(true));
    expect(readFileSync(kept("rendered-1-thumbnail.jpg")).equals(thumbnail)).toBe(true);
    const keptNames = () => readdirSync(path.dirname(kept("x"))).filter((name) => name.startsWith(`${sha256}.rendered`));
    expect(keptNames().sort()).toEqual([`${sha256}.rendered-1-thumbnail.jpg`, `${sha256}.rendered-1-whole.jpg`]);

    const before = setRenderLimits({ inFlight: 1, queue: 0 });
    const release = (await renderTurn())!;
    try {
      // No turn is free: what is kept is still served, as the same bytes; anything to draw is refused for now.
      const again = await get(previewPath);
      expect(again.status).toBe(200);
      expect(Buffer.from(await again.arrayBuffer()).equals(preview)).toBe(true);
      for (const other of ["window=40,400", "quality=75", "viewport=256,256", "accept=image/png"])
        expect((await get(`${ctInstancePath(2)}/rendered?${other}`)).status, other).toBe(503);
    } finally {
      release();
      setRenderLimits(before);
    }
    for (const other of ["window=40,400", "quality=75", "viewport=256,256"]) expect((await get(`${ctInstancePath(2)}/rendered?${other}`)).status).toBe(200);
    expect(keptNames()).toHaveLength(2);
  });

  it("a viewer page carries the kept preview of the slice it opens on; one not yet kept is started; an empty or too big one is left to its URL", async () => {
    const notYet = await getDb().imagingInstance.findFirstOrThrow({
      where: { sopInstanceUid: s.ct.instances[0].uid },
      select: { sha256: true, transferSyntax: true },
    });
    const keptPreview = derivedPath(notYet.sha256, "rendered-1-whole.jpg");
    rmSync(keptPreview, { force: true });
    expect(await openingPreview(notYet, 0)).toBeNull();
    await vi.waitFor(() => expect(existsSync(keptPreview)).toBe(true), { timeout: 20_000 });
    const carried = (await openingPreview(notYet, 0))!;
    expect(carried).toMatch(/^data:image\/jpeg;base64,/);
    const bytes = Buffer.from(carried.replace(/^data:image\/jpeg;base64,/, ""), "base64");
    expect(identify(bytes)).toMatchObject({ format: "JPEG", width: 512, height: 512 });
    expect(bytes.equals(readFileSync(keptPreview))).toBe(true);

    // A kept file of another (made-up) instance, of each size: nothing is drawn for it, since it is kept.
    const other = { sha256: "f".repeat(64), transferSyntax: EXPLICIT_LE };
    const otherKept = derivedPath(other.sha256, "rendered-1-whole.jpg");
    mkdirSync(path.dirname(otherKept), { recursive: true });
    try {
      for (const [size, isCarried] of [
        [0, false],
        [MAX_CARRIED_PREVIEW_BYTES, true],
        [MAX_CARRIED_PREVIEW_BYTES + 1, false],
      ] as const) {
        writeFileSync(otherKept, Buffer.alloc(size, 0xff));
        expect((await openingPreview(other, 0)) !== null, `${size} bytes`).toBe(isCarried);
      }
    } finally {
      rmSync(otherKept, { force: true });
    }
  });
});

describe("QIDO-RS", () => {
  it("matches studies by date range, modality, patient, UID lists and wildcards", async () => {
    const all = await json("studies");
    expect(all).toHaveLength(3);
    const dates = values(all, "00080020") as string[];
    const ctDate = s.ct.studyDate!;
    const uidsWhere = (keep: (date: string) => boolean) =>
      all
        .filter((_, i) => keep(dates[i]))
        .map((r) => r["0020000D"].Value![0])
        .sort();
    const found = async (query: string) => values(await json(`studies?${query}`), "0020000D").sort();
    expect(await found(`StudyDate=${ctDate}`)).toEqual(uidsWhere((d) => d === ctDate));
    expect(await found(`StudyDate=${ctDate}-`)).toEqual(uidsWhere((d) => d >= ctDate));
    expect(await found(`00080020=-${ctDate}`)).toEqual(uidsWhere((d) => d <= ctDate));
    expect(await found(`StudyDate=19000101-19001231`)).toEqual([]);
    expect(await found("ModalitiesInStudy=CT")).toEqual([s.ct.study]);
    expect(await found("ModalitiesInStudy=MR\\US")).toEqual([s.mr.study, s.us.study].sort());
    expect(await found(`StudyInstanceUID=${s.ct.study},${s.mr.study}`)).toEqual([s.ct.study, s.mr.study].sort());
    expect(await found(`0020000D=${s.ct.study}\\${s.us.study}`)).toEqual([s.ct.study, s.us.study].sort());
    expect(await found(`PatientID=${s.code.slice(0, 3)}*`)).toHaveLength(3);
    expect(await found(`PatientID=${s.code.slice(0, -1)}?`)).toHaveLength(3);
    expect(await found(`PatientID=${s.code}X`)).toEqual([]);
    expect(await found(`PatientName=${s.code.toLowerCase()}`)).toHaveLength(3);
    // The de-identification profile empties every accession number.
    expect(await found("AccessionNumber=A123")).toEqual([]);
    expect(await found("AccessionNumber=*")).toHaveLength(3);
    // Modality is a series attribute: ignored at the study level, with a warning.
    const ignored = await get("studies?Modality=CT");
    expect(ignored.headers.get("warning")).toMatch(/^299 .*Modality/);
    expect(await ignored.json()).toHaveLength(3);
  });

  it("answers /series and /instances at the root and nested, with includefield, limit and offset", async () => {
    const series = await json("series");
    expect(values(series, "00080060").sort()).toEqual(["CT", "MR", "US"]);
    for (const r of series) {
      expect(r["0020000D"].Value).toHaveLength(1);
      expect(r["00100020"].Value).toEqual([s.code]);
      expect(r["00180015"]).toBeUndefined();
    }
    expect(values(await json("series?Modality=MR"), "0020000E")).toEqual([s.mr.series]);
    expect(values(await json(`series?StudyInstanceUID=${s.ct.study}`), "0020000E")).toEqual([s.ct.series]);
    const included = await json(`studies/${s.ct.study}/series?includefield=BodyPartExamined`);
    expect(included[0]).toHaveProperty("00180015");
    expect(await json(`studies/${s.ct.study}/series?includefield=00180015`)).toEqual(included);
    expect((await json(`studies/${s.ct.study}/series?includefield=all`))[0]).toHaveProperty("00180015");

    const instances = await json("instances");
    expect(instances).toHaveLength(5);
    for (const r of instances) expect(r["0020000E"].Value).toHaveLength(1);
    const page = await json("instances?limit=2&offset=1");
    expect(values(page, "00080018")).toEqual(values(instances, "00080018").slice(1, 3));
    expect(await json("instances?offset=5")).toEqual([]);
    const inStudy = await json(`studies/${s.ct.study}/instances`);
    expect(values(inStudy, "00080018").sort()).toEqual(s.ct.instances.map((i) => i.uid).sort());
    expect(values(inStudy, "0020000E")).toEqual(Array(3).fill(s.ct.series));
    const second = s.ct.instances[1];
    expect(values(await json(`${ctSeriesPath()}/instances?InstanceNumber=${second.number}`), "00080018")).toEqual([second.uid]);
    expect(values(await json(`instances?SOPInstanceUID=${second.uid}`), "00080018")).toEqual([second.uid]);
    expect(values(await json(`instances?Modality=CT&Rows=512&limit=1`), "00080018")).toHaveLength(1);
    const tooMany = await get("instances?limit=5000");
    expect(tooMany.headers.get("warning")).toMatch(/limit was lowered/);
  });

  it("refuses unknown or invalid parameters with 400 and a clear message, and warns on what it ignores", async () => {
    const cases: [string, RegExp][] = [
      ["studies?foo=bar", /Unknown query parameter or attribute: "foo"/],
      ["studies?StudyDate=2024", /StudyDate must be a date/],
      ["studies?StudyDate=20241301", /StudyDate must be a date/],
      ["studies?StudyDate=20241231-20240101", /ends before it starts/],
      ["studies?limit=0", /limit must be at least 1/],
      ["studies?limit=ten", /limit must be a whole number/],
      ["studies?offset=-1", /offset must be a whole number/],
      ["studies?offset=2000000", /offset must be at most/],
      ["studies?fuzzymatching=maybe", /fuzzymatching must be true or false/],
      ["studies?includefield=NoSuchKeyword", /includefield names an unknown attribute/],
      ["studies?StudyInstanceUID=abc", /must be a UID/],
      ["series?SeriesNumber=x", /SeriesNumber must be an integer/],
      ["studies?PatientID=a&00100020=b", /given more than once/],
    ];
    for (const [query, message] of cases) {
      const response = await get(query);
      expect(response.status, query).toBe(400);
      expect(await response.text(), query).toMatch(message);
    }
    const fuzzy = await get("studies?fuzzymatching=true");
    expect(fuzzy.status).toBe(200);
    expect(fuzzy.headers.get("warning")).toMatch(/fuzzymatching parameter is not supported/);
    const notHeld = await get("studies?StudyTime=1200&fuzzymatching=false");
    expect(notHeld.headers.get("warning")).toMatch(/not supported for matching.*StudyTime/);
  });
});

describe("access through the new endpoints", () => {
  const newEndpoints = () => [
    `studies/${s.ct.study}`,
    `studies/${s.ct.study}/metadata`,
    `studies/${s.ct.study}/rendered`,
    `studies/${s.ct.study}/thumbnail`,
    `studies/${s.ct.study}/instances`,
    `${ctSeriesPath()}`,
    `${ctSeriesPath()}/metadata`,
    `${ctSeriesPath()}/rendered`,
    `${ctSeriesPath()}/thumbnail`,
    `${ctInstancePath(0)}/rendered`,
    `${ctInstancePath(0)}/thumbnail`,
    `${ctInstancePath(0)}/frames/1/rendered`,
    `${ctInstancePath(0)}/bulkdata/7FE00010`,
    "series",
    "instances",
    "",
  ];

  it("answers 401 without credentials and an audited 404 to a consultant not assigned to the case, everywhere", async () => {
    const other = await signIn("consultant2@demo.test");
    const otherUser = await getDb().user.findUniqueOrThrow({ where: { email: "consultant2@demo.test" } });
    for (const rest of newEndpoints()) {
      expect((await get(rest, {})).status, rest).toBe(401);
      expect((await get(rest, {})).headers.get("www-authenticate")).toMatch(/^Bearer/);
      const denied = () => getDb().auditEvent.count({ where: { actorId: otherUser.id, action: "access.denied" } });
      const before = await denied();
      expect((await get(rest, as(other))).status, rest).toBe(404);
      expect(await denied(), rest).toBeGreaterThan(before);
    }
    const reads = await getDb().auditEvent.count({ where: { actorId: otherUser.id, action: "imaging.read" } });
    expect(reads).toBe(0);
  });

  it("keeps the series flagged for burned-in text from the assigned consultant through every endpoint", async () => {
    const usSeries = `studies/${s.us.study}/series/${s.us.series}`;
    const usInstance = `${usSeries}/instances/${s.us.instance}`;
    const hidden = [
      `studies/${s.us.study}`,
      `studies/${s.us.study}/metadata`,
      `studies/${s.us.study}/rendered`,
      `studies/${s.us.study}/thumbnail`,
      `studies/${s.us.study}/series`,
      `studies/${s.us.study}/instances`,
      usSeries,
      `${usSeries}/metadata`,
      `${usSeries}/rendered`,
      `${usSeries}/thumbnail`,
      `${usSeries}/instances`,
      usInstance,
      `${usInstance}/metadata`,
      `${usInstance}/rendered`,
      `${usInstance}/thumbnail`,
      `${usInstance}/frames/1`,
      `${usInstance}/frames/1/rendered`,
      `${usInstance}/bulkdata/7FE00010`,
    ];
    for (const rest of hidden) {
      expect((await get(rest, as(s.consultant))).status, rest).toBe(404);
      expect((await get(rest, as(s.coordinator))).status, rest).toBe(200);
    }
    expect(values(await json("series", as(s.consultant)), "00080060").sort()).toEqual(["CT", "MR"]);
    expect(values(await json("instances", as(s.consultant)), "0020000E")).not.toContain(s.us.series);
    expect(await json(`studies?StudyInstanceUID=${s.us.study}`, as(s.consultant))).toEqual([]);
    expect(await json(`instances?SOPInstanceUID=${s.us.instance}`, as(s.consultant))).toEqual([]);
    // The study thumbnail and rendered study of a visible study still work for the consultant.
    expect((await get(`studies/${s.ct.study}/thumbnail`, as(s.consultant))).status).toBe(200);
  });
});

describe("CORS and capabilities", () => {
  afterEach(() => {
    delete process.env.DICOMWEB_CORS_ORIGINS;
  });

  it("answers a preflight and adds CORS headers for a listed origin only", async () => {
    process.env.DICOMWEB_CORS_ORIGINS = `${ALLOWED_ORIGIN}, https://other-viewer.example.org`;
    const preflight = (origin: string) =>
      get(`studies/${s.ct.study}/metadata`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "authorization, accept" },
      });
    const allowed = await preflight(ALLOWED_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get("access-control-allow-headers")).toMatch(/Authorization.*Accept.*Content-Type/);
    expect(allowed.headers.get("access-control-allow-methods")).toContain("GET");
    expect(allowed.headers.get("access-control-allow-credentials")).toBeNull();
    const refused = await preflight("https://evil.example.org");
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    expect(refused.headers.get("access-control-allow-methods")).toBeNull();

    const read = await get("studies", bearer({ origin: ALLOWED_ORIGIN }));
    expect(read.status).toBe(200);
    expect(read.headers.get("access-control-allow-origin")).toBe(ALLOWED_ORIGIN);
    expect(read.headers.get("access-control-expose-headers")).toContain("Warning");
    const unauthenticated = await get("studies", { headers: { origin: ALLOWED_ORIGIN } });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get("access-control-allow-origin")).toBe(ALLOWED_ORIGIN);
    const other = await get("studies", bearer({ origin: "https://evil.example.org" }));
    expect(other.status).toBe(200);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    delete process.env.DICOMWEB_CORS_ORIGINS;
    expect((await get("studies", bearer({ origin: ALLOWED_ORIGIN }))).headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses an invalid DICOMWEB_CORS_ORIGINS", async () => {
    const { validateEnv } = await import("~/platform/env.server");
    expect(() => validateEnv({ DICOMWEB_CORS_ORIGINS: "https://viewer.example.org/path" })).toThrow(/DICOMWEB_CORS_ORIGINS/);
    expect(validateEnv({ DICOMWEB_CORS_ORIGINS: "https://a.example.org,http://localhost:3000" }).DICOMWEB_CORS_ORIGINS).toEqual([
      "https://a.example.org",
      "http://localhost:3000",
    ]);
    expect(validateEnv({}).DICOMWEB_CORS_ORIGINS).toEqual([]);
  });

  it("describes the service at its root, as JSON or WADL, under the same access rule", async () => {
    const root = await get("");
    expect(root.status).toBe(200);
    expect(root.headers.get("content-type")).toBe("application/json");
    const summary = await root.json();
    expect(summary.service).toBe(`${BASE}/dicomweb/cases/${s.caseId}`);
    const paths = summary.resources.map((r: { path: string }) => r.path);
    for (const p of [
      "/studies",
      "/series",
      "/instances",
      "/studies/{study}/metadata",
      "/studies/{study}/series/{series}/rendered",
      "/studies/{study}/thumbnail",
    ])
      expect(paths).toContain(p);
    const wadl = await get("", bearer({ accept: "application/vnd.sun.wadl+xml" }));
    expect(wadl.headers.get("content-type")).toBe("application/vnd.sun.wadl+xml");
    const text = await wadl.text();
    expect(text).toContain('<application xmlns="http://wadl.dev.java.net/2009/02">');
    expect(text).toContain('<resource path="studies/{study}/series/{series}/instances/{instance}/frames/{frame}/rendered">');
    expect((await getDb().auditEvent.findFirstOrThrow({ where: { action: "imaging.read", entityId: s.caseId }, orderBy: { id: "desc" } })).details).toContain(
      "capabilities",
    );
  });
});
