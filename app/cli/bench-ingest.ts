/**
 * `npm run bench:ingest`: de-identify + store + index the corpus CT series,
 * repeated (with fresh UIDs per copy) to at least 200 MB, through our STOW-RS
 * endpoint; then the same files into Orthanc (Debian package, started here on
 * a loopback port with temporary storage) through its REST API plus
 * /anonymize. Each server runs in its own process; same concurrency for
 * both. Last line: one JSON object.
 */
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { benchCase, benchWorkspace, freePort, startOurServer, waitFor } from "./bench-server";

const { values } = parseArgs({
  options: { mb: { type: "string", default: "200" }, concurrency: { type: "string", default: "4" }, orthanc: { type: "string", default: "Orthanc" } },
});
const targetBytes = Number(values.mb) * 1024 * 1024;
const concurrency = Number(values.concurrency);
const corpus = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const work = benchWorkspace("ingest");
process.env.IMAGING_QUOTA_MB = String(Number(values.mb) * 4);

const { parsePart10, writePart10, tagOf, encodeString } = await import("~/features/imaging/dicom/part10");
type Element = import("~/features/imaging/dicom/part10").Element;
const { dictionaryVr } = await import("~/features/imaging/dicom/deid-profile");

/** Copies of the CT series, each a new study with new UIDs, until the target size is reached. */
function buildInputs(): Buffer[] {
  const slices = ["ct-3slice-01.dcm", "ct-3slice-02.dcm", "ct-3slice-03.dcm"].map((f) =>
    parsePart10(readFileSync(path.join(corpus, "ct-series", f)), dictionaryVr),
  );
  const out: Buffer[] = [];
  let total = 0;
  for (let copy = 0; total < targetBytes; copy++) {
    for (const [i, slice] of slices.entries()) {
      const uid = (kind: number) => encodeString(`1.2.826.0.1.3680043.10.1453.9.${copy}.${kind}${kind === 3 ? `.${i}` : ""}`, "UI");
      const replace =
        (tag: number, value: Uint8Array) =>
        (e: Element): Element =>
          e.tag === tag ? { ...e, value } : e;
      const dataset = slice.dataset
        .map(replace(tagOf(0x0020, 0x000d), uid(1)))
        .map(replace(tagOf(0x0020, 0x000e), uid(2)))
        .map(replace(tagOf(0x0008, 0x0018), uid(3)));
      const meta = slice.meta.map(replace(tagOf(0x0002, 0x0003), uid(3)));
      const bytes = Buffer.from(writePart10({ ...slice, dataset, meta }));
      out.push(bytes);
      total += bytes.length;
    }
  }
  return out;
}

async function pool<T>(items: T[], worker: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await worker(items[next++]);
    }),
  );
}

function multipartBody(file: Buffer, boundary: string) {
  return Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
}

/** Our server runs in a process of its own, as Orthanc does, so the load generator does not share its event loop. */
async function benchOurs(inputs: Buffer[]) {
  const { base, process: server } = await startOurServer();
  try {
    const { db, caseId, token } = await benchCase();
    const url = `${base}/dicomweb/cases/${caseId}/studies`;
    const boundary = "bench-boundary";
    const started = performance.now();
    await pool(inputs, async (file) => {
      const response = await fetch(url, {
        method: "POST",
        body: new Uint8Array(multipartBody(file, boundary)),
        headers: { authorization: `Bearer ${token}`, "content-type": `multipart/related; type="application/dicom"; boundary=${boundary}` },
      });
      if (response.status !== 200) throw new Error(`STOW answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    });
    const seconds = (performance.now() - started) / 1000;
    const stored = await db.imagingInstance.count({ where: { series: { study: { caseId } } } });
    await db.$disconnect();
    if (stored !== inputs.length) throw new Error(`stored ${stored} of ${inputs.length}`);
    return seconds;
  } finally {
    server.kill("SIGTERM");
  }
}

async function benchOrthanc(inputs: Buffer[]) {
  const port = await freePort();
  const dir = path.join(work, "orthanc");
  const config = path.join(work, "orthanc.json");
  writeFileSync(
    config,
    JSON.stringify({
      Name: "bench",
      StorageDirectory: dir,
      IndexDirectory: dir,
      HttpPort: port,
      HttpBindAddress: "127.0.0.1",
      DicomServerEnabled: false,
      RemoteAccessAllowed: false,
      AuthenticationEnabled: false,
      HttpCompressionEnabled: false,
      Plugins: [],
    }),
  );
  const orthanc = spawn(values.orthanc, [config], { stdio: "ignore" });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${base}/system`, "Orthanc");
    const started = performance.now();
    await pool(inputs, async (file) => {
      const stored = await fetch(`${base}/instances`, { method: "POST", body: new Uint8Array(file), headers: { "content-type": "application/dicom" } });
      if (!stored.ok) throw new Error(`Orthanc /instances answered ${stored.status}`);
      const { ID } = (await stored.json()) as { ID: string };
      const anonymized = await fetch(`${base}/instances/${ID}/anonymize`, { method: "POST", body: "{}" });
      if (!anonymized.ok) throw new Error(`Orthanc /anonymize answered ${anonymized.status}`);
      await anonymized.arrayBuffer();
    });
    return (performance.now() - started) / 1000;
  } finally {
    orthanc.kill("SIGTERM");
  }
}

const inputs = buildInputs();
const megabytes = inputs.reduce((n, f) => n + f.length, 0) / 1024 / 1024;
console.log(`Input: ${inputs.length} instances, ${megabytes.toFixed(1)} MB (CT series copied with fresh UIDs); concurrency ${concurrency}`);
const ours = await benchOurs(inputs);
console.log(
  `Tumor board (STOW-RS: de-identify, store, index): ${(megabytes / ours).toFixed(1)} MB/s, ${(inputs.length / ours).toFixed(1)} instances/s, ${ours.toFixed(2)} s`,
);
const orthanc = await benchOrthanc(inputs);
console.log(
  `Orthanc (REST /instances + /anonymize):          ${(megabytes / orthanc).toFixed(1)} MB/s, ${(inputs.length / orthanc).toFixed(1)} instances/s, ${orthanc.toFixed(2)} s`,
);
rmSync(work, { recursive: true, force: true });
const result = {
  benchmark: "ingest",
  instances: inputs.length,
  megabytes: +megabytes.toFixed(1),
  concurrency,
  ours: { seconds: +ours.toFixed(2), mbPerSecond: +(megabytes / ours).toFixed(1), instancesPerSecond: +(inputs.length / ours).toFixed(1) },
  orthanc: { seconds: +orthanc.toFixed(2), mbPerSecond: +(megabytes / orthanc).toFixed(1), instancesPerSecond: +(inputs.length / orthanc).toFixed(1) },
  ratio: +(orthanc / ours).toFixed(2),
};
console.log(JSON.stringify(result));
process.exit(0);
