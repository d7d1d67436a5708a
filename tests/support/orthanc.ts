/**
 * A real Orthanc (Debian package, /usr/sbin/Orthanc) playing the hospital PACS: started with a temporary configuration on free
 * ports (by default DICOM 4300-4399, HTTP 8300-8399, so other suites' servers are not disturbed; a caller running beside
 * them passes ranges of its own), its storage in a temporary directory,
 * our AE title in DicomModalities so it accepts our C-FIND and C-GET, and the called AE title checked. Ready once its REST API
 * answers (polled, no fixed sleep); `kill` stops it at once (SIGKILL), `start` brings it back on the same ports and storage.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

export const ORTHANC_BIN = process.env.ORTHANC_BIN ?? "/usr/sbin/Orthanc";
export const PACS_AE = "HOSPPACS";
export const OUR_AE = "TUMORBOARD";

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once("error", () => resolve(false))
      .listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** A free port in [from, to], starting at a random place so parallel runs rarely collide. */
export async function freePortIn(from: number, to: number): Promise<number> {
  const span = to - from + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = from + ((start + i) % span);
    if (await portFree(port)) return port;
  }
  throw new Error(`no free port in ${from}-${to}`);
}

export type Orthanc = {
  dicomPort: number;
  httpPort: number;
  base: string;
  start(): Promise<void>;
  kill(): Promise<void>;
  upload(files: (string | Uint8Array)[]): Promise<void>;
  dispose(): Promise<void>;
};

/** Inclusive port ranges to pick Orthanc's DICOM and HTTP ports from. */
export type OrthancPorts = { dicom: [number, number]; http: [number, number] };
const DEFAULT_PORTS: OrthancPorts = { dicom: [4300, 4399], http: [8300, 8399] };

export async function startOrthanc(ports: OrthancPorts = DEFAULT_PORTS): Promise<Orthanc> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "orthanc-pacs-"));
  const dicomPort = await freePortIn(...ports.dicom);
  const httpPort = await freePortIn(...ports.http);
  const base = `http://127.0.0.1:${httpPort}`;
  const config = path.join(dir, "orthanc.json");
  writeFileSync(
    config,
    JSON.stringify({
      Name: "hospital-pacs",
      StorageDirectory: path.join(dir, "db"),
      IndexDirectory: path.join(dir, "db"),
      HttpPort: httpPort,
      HttpBindAddress: "127.0.0.1",
      RemoteAccessAllowed: false,
      AuthenticationEnabled: false,
      DicomServerEnabled: true,
      DicomAet: PACS_AE,
      DicomPort: dicomPort,
      DicomCheckCalledAet: true,
      DicomModalities: { tumorboard: [OUR_AE, "127.0.0.1", 4399] },
      Plugins: [],
    }),
  );
  let child: ChildProcess | null = null;

  const ready = async () => {
    for (let i = 0; ; i++) {
      if (child?.exitCode !== null && child?.exitCode !== undefined) throw new Error(`Orthanc exited with ${child.exitCode}`);
      const up = await fetch(`${base}/system`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return;
      if (i > 600) throw new Error("Orthanc did not start");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const orthanc: Orthanc = {
    dicomPort,
    httpPort,
    base,
    async start() {
      child = spawn(ORTHANC_BIN, [config], { stdio: "ignore" });
      await ready();
    },
    async kill() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGKILL");
      await exited;
    },
    async upload(files) {
      for (const file of files) {
        const body = typeof file === "string" ? await readFile(file) : file;
        const stored = await fetch(`${base}/instances`, { method: "POST", body: new Uint8Array(body), headers: { "content-type": "application/dicom" } });
        if (!stored.ok) throw new Error(`Orthanc /instances answered ${stored.status}`);
        await stored.arrayBuffer();
      }
    },
    async dispose() {
      await orthanc.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await orthanc.start();
  return orthanc;
}
