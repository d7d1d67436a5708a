/**
 * `npm run bench:ingest`: de-identify + store + index the corpus CT series,
 * repeated (with fresh UIDs per copy) to at least 200 MB, through our STOW-RS
 * endpoint; then the same files into Orthanc (Debian package, started here on
 * a loopback port with temporary storage) through its REST API plus
 * /anonymize. Each server runs in its own process; same concurrency for
 * both. Runs alternate (ours first, then Orthanc first) and the figures are
 * medians (each run starts after `sync`); the disk's sequential write speed is printed as the ceiling, and
 * each server's CPU time per instance (all its threads, from /proc), which
 * a busy machine distorts less than the wall-clock rate.
 * Last line: one JSON object.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { benchCase, benchWorkspace, freePort, median, startOurServer, waitFor } from "./bench-server";

const { values } = parseArgs({
  options: {
    mb: { type: "string", default: "200" },
    concurrency: { type: "string", default: "4" },
    runs: { type: "string", default: "5" },
    orthanc: { type: "string", default: "Orthanc" },
  },
});
const targetBytes = Number(values.mb) * 1024 * 1024;
const concurrency = Number(values.concurrency);
const runs = Number(values.runs);
const corpus = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const work = benchWorkspace("ingest");
process.env.IMAGING_QUOTA_MB = String(Number(values.mb) * 4);

const { parsePart10, writePart10, tagOf, encodeString } = await import("~/features/imaging/dicom/part10");
type Element = import("~/features/imaging/dicom/part10").Element;
const { dictionaryVr } = await import("~/features/imaging/dicom/deid-profile");
const { disconnectDb } = await import("~/platform/db.server");

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

const BOUNDARY = "bench-boundary";
const multipartBody = (file: Buffer) =>
  new Uint8Array(Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n`), file, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]));

/** CPU seconds (user + system, all threads) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

type Timing = { seconds: number; cpuSeconds: number };

/** Stops a server and waits until its process is gone, so that no run shares the machine with the last one's shutdown. */
async function stopped(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
}

/**
 * Our server runs in a process of its own, as Orthanc does, so the load generator does not share its event loop. Like
 * Orthanc's, its database and storage are new for each run.
 */
async function benchOurs(bodies: Uint8Array<ArrayBuffer>[], run: number): Promise<Timing> {
  const dir = path.join(work, `ours-${run}`);
  process.env.DATABASE_URL = `file:${path.join(dir, "bench.db")}`;
  process.env.STORAGE_DIR = path.join(dir, "storage");
  await disconnectDb();
  const { base, process: server } = await startOurServer();
  try {
    const { db, caseId, token } = await benchCase();
    const url = `${base}/dicomweb/cases/${caseId}/studies`;
    const started = performance.now();
    const cpuBefore = cpuSeconds(server.pid!);
    await pool(bodies, async (body) => {
      const response = await fetch(url, {
        method: "POST",
        body,
        headers: { authorization: `Bearer ${token}`, "content-type": `multipart/related; type="application/dicom"; boundary=${BOUNDARY}` },
      });
      if (response.status !== 200) throw new Error(`STOW answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    });
    const timing = { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSeconds(server.pid!) - cpuBefore };
    const stored = await db.imagingInstance.count({ where: { series: { study: { caseId } } } });
    await disconnectDb();
    if (stored !== bodies.length) throw new Error(`stored ${stored} of ${bodies.length}`);
    return timing;
  } finally {
    await stopped(server);
  }
}

async function benchOrthanc(bodies: Uint8Array<ArrayBuffer>[], run: number): Promise<Timing> {
  const port = await freePort();
  const dir = path.join(work, `orthanc-${run}`);
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
    const cpuBefore = cpuSeconds(orthanc.pid!);
    await pool(bodies, async (body) => {
      const stored = await fetch(`${base}/instances`, { method: "POST", body, headers: { "content-type": "application/dicom" } });
      if (!stored.ok) throw new Error(`Orthanc /instances answered ${stored.status}`);
      const { ID } = (await stored.json()) as { ID: string };
      const anonymized = await fetch(`${base}/instances/${ID}/anonymize`, { method: "POST", body: "{}" });
      if (!anonymized.ok) throw new Error(`Orthanc /anonymize answered ${anonymized.status}`);
      await anonymized.arrayBuffer();
    });
    return { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSeconds(orthanc.pid!) - cpuBefore };
  } finally {
    await stopped(orthanc);
  }
}

/** Sequential write with one fsync at the end, through the same file system as the storage: the ceiling for any ingest. */
async function diskWriteMbPerSecond(megabytes: number): Promise<number> {
  const file = path.join(work, "disk-speed");
  const chunk = Buffer.alloc(1024 * 1024, 0x5a);
  const handle = await open(file, "w");
  const started = performance.now();
  try {
    for (let i = 0; i < megabytes; i++) await handle.write(chunk);
    await handle.sync();
  } finally {
    await handle.close();
  }
  const seconds = (performance.now() - started) / 1000;
  rmSync(file);
  return megabytes / seconds;
}

const round = (n: number, digits = 1) => +n.toFixed(digits);

const inputs = buildInputs();
// Both servers' request bodies are made before any clock starts, so the load generator only sends them.
const stowBodies = inputs.map(multipartBody);
const orthancBodies = inputs.map((file) => new Uint8Array(file));
const megabytes = inputs.reduce((n, f) => n + f.length, 0) / 1024 / 1024;
console.log(
  `Input: ${inputs.length} instances, ${megabytes.toFixed(1)} MB (CT series copied with fresh UIDs); concurrency ${concurrency}; ${runs} alternating runs`,
);
const disk = await diskWriteMbPerSecond(Math.ceil(megabytes));
console.log(`Disk, sequential write of ${Math.ceil(megabytes)} MB with one fsync (the ceiling): ${disk.toFixed(1)} MB/s`);
const oursRuns: Timing[] = [];
const orthancRuns: Timing[] = [];
const msPerInstance = (t: Timing) => (t.cpuSeconds * 1000) / inputs.length;
for (let run = 1; run <= runs; run++) {
  // Alternate which goes first, so neither always gets the quieter moment.
  const order = run % 2 === 1 ? (["ours", "orthanc"] as const) : (["orthanc", "ours"] as const);
  for (const who of order) {
    // Each run starts with the writes before it on disk, so neither pays for flushing the other's data in its fsyncs.
    execFileSync("sync");
    if (who === "ours") oursRuns.push(await benchOurs(stowBodies, run));
    else orthancRuns.push(await benchOrthanc(orthancBodies, run));
  }
  for (const dir of [`orthanc-${run}`, `ours-${run}`]) rmSync(path.join(work, dir), { recursive: true, force: true });
  const [o, x] = [oursRuns.at(-1)!, orthancRuns.at(-1)!];
  console.log(
    `Run ${run}: tumor board ${(megabytes / o.seconds).toFixed(1)} MB/s (CPU ${msPerInstance(o).toFixed(1)} ms/instance), Orthanc ${(megabytes / x.seconds).toFixed(1)} MB/s (CPU ${msPerInstance(x).toFixed(1)} ms/instance), ratio ${(x.seconds / o.seconds).toFixed(2)}`,
  );
}
const ours = oursRuns.map((t) => t.seconds);
const orthanc = orthancRuns.map((t) => t.seconds);
const ratios = ours.map((seconds, i) => orthanc[i] / seconds);
const oursSeconds = median(ours);
const orthancSeconds = median(orthanc);
const oursCpuMs = median(oursRuns.map(msPerInstance));
const orthancCpuMs = median(orthancRuns.map(msPerInstance));
console.log(
  `Tumor board (STOW-RS: de-identify, store durably, index), median: ${(megabytes / oursSeconds).toFixed(1)} MB/s, ${(inputs.length / oursSeconds).toFixed(1)} instances/s, CPU ${oursCpuMs.toFixed(1)} ms/instance`,
);
console.log(
  `Orthanc (REST /instances + /anonymize), median:                 ${(megabytes / orthancSeconds).toFixed(1)} MB/s, ${(inputs.length / orthancSeconds).toFixed(1)} instances/s, CPU ${orthancCpuMs.toFixed(1)} ms/instance`,
);
console.log(
  `Ratio (Orthanc time / ours), median of ${runs}: ${median(ratios).toFixed(2)} (range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
);
rmSync(work, { recursive: true, force: true });
const result = {
  benchmark: "ingest",
  instances: inputs.length,
  megabytes: round(megabytes),
  concurrency,
  runs,
  diskMbPerSecond: round(disk),
  ours: {
    medianSeconds: round(oursSeconds, 2),
    mbPerSecond: round(megabytes / oursSeconds),
    instancesPerSecond: round(inputs.length / oursSeconds),
    seconds: ours.map((n) => round(n, 2)),
    cpuMsPerInstance: round(oursCpuMs, 2),
  },
  orthanc: {
    medianSeconds: round(orthancSeconds, 2),
    mbPerSecond: round(megabytes / orthancSeconds),
    instancesPerSecond: round(inputs.length / orthancSeconds),
    seconds: orthanc.map((n) => round(n, 2)),
    cpuMsPerInstance: round(orthancCpuMs, 2),
  },
  ratio: round(median(ratios), 2),
  ratioRange: [round(Math.min(...ratios), 2), round(Math.max(...ratios), 2)],
};
console.log(JSON.stringify(result));
process.exit(0);
