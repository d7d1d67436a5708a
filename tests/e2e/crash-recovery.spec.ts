/**
 * A server killed (SIGKILL) in the middle of a large STOW-RS upload leaves
 * either nothing or complete instances: after a restart no temporary file
 * remains and every indexed instance can be retrieved.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { encodeString, parsePart10, tagOf, writePart10, type Element } from "../../app/features/imaging/dicom/part10";
import { dictionaryVr } from "../../app/features/imaging/dicom/deid-profile";
import { healthy, ROOT, startOwnServer } from "./own-server";
import { DEMO_PASSWORD, expect, TEXT, test } from "./fixtures";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(ROOT, "../shared/corpus");

function instances(count: number): Buffer[] {
  const base = parsePart10(readFileSync(path.join(CORPUS, "ct-series/ct-3slice-01.dcm")), dictionaryVr);
  return Array.from({ length: count }, (_, i) => {
    const uid = encodeString(`1.2.826.0.1.3680043.10.1453.7.${i}`, "UI");
    const dataset = base.dataset.map((e): Element => (e.tag === tagOf(0x0008, 0x0018) ? { ...e, value: uid } : e));
    return Buffer.from(writePart10({ ...base, dataset }));
  });
}

test("killing the server mid-upload leaves no orphan rows and no temporary files", async ({ page }) => {
  test.setTimeout(180_000);
  const work = mkdtempSync(path.join(os.tmpdir(), "tb-crash-"));
  const env = { DATABASE_URL: `file:${path.join(work, "crash.db")}`, STORAGE_DIR: path.join(work, "storage"), SEED_DEMO: "1", LOG_LEVEL: "error" };
  const port = 3400 + Math.floor(Math.random() * 400);
  const log = path.join(work, "server.log");
  let server = startOwnServer(port, env, log);
  try {
    await healthy(port);
    const token = /\n(tbt_[A-Za-z0-9_-]{43})/.exec(
      execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "app/cli/token-create.ts", "--email", "physician@demo.test"], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        encoding: "utf8",
      }),
    )![1];
    const base = `http://127.0.0.1:${port}`;
    await page.goto(`${base}/login?lng=en`);
    await page.getByLabel(TEXT.en.auth.login.email, { exact: true }).fill("physician@demo.test");
    await page.getByLabel(TEXT.en.auth.login.password, { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: TEXT.en.auth.login.submit }).click();
    await expect(page).toHaveURL(`${base}/cases`);
    await page.getByRole("link", { name: TEXT.en.cases.list.new }).click();
    await page.getByLabel(TEXT.en.cases.form.age, { exact: true }).fill("61");
    await expect(page).toHaveURL(/\/edit$/);
    const caseId = page.url().split("/").at(-2)!;

    const boundary = "crash-boundary";
    const body = Buffer.concat([
      ...instances(200).flatMap((file) => [Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), file, Buffer.from("\r\n")]),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    let answered: string | null = null;
    let uploadError = "";
    // A connection of its own: fetch could reuse the health check's keep-alive connection just as the server closes it (EPIPE).
    const upload = new Promise<void>((resolve) => {
      const request = http.request(
        `${base}/dicomweb/cases/${caseId}/studies`,
        {
          method: "POST",
          agent: false,
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": `multipart/related; type="application/dicom"; boundary=${boundary}`,
            "content-length": body.length,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => resolve(void (answered = `${response.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`)));
          response.on("error", () => resolve());
        },
      );
      request.on("error", (error) => resolve(void (uploadError = String(error))));
      request.end(body);
    });
    // Kill as soon as a few instances have reached storage, while the rest are still being processed.
    const objects = path.join(work, "storage", "objects");
    const stored = () => {
      try {
        return readdirSync(objects, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
      } catch {
        return 0;
      }
    };
    const deadline = Date.now() + 60_000;
    while (stored() < 3 && answered === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    const serverLog = () => (existsSync(log) ? readFileSync(log, "utf8").slice(-2000) : "");
    expect(
      stored(),
      `instances reached storage before the kill; the upload answered ${answered ?? (uploadError || "nothing yet")}; server: ${serverLog()}`,
    ).toBeGreaterThanOrEqual(3);
    server.kill("SIGKILL");
    await upload;

    server = startOwnServer(port, env, log);
    await healthy(port);
    const leftovers = (() => {
      try {
        return readdirSync(path.join(work, "storage", "tmp"));
      } catch {
        return [];
      }
    })();
    expect(leftovers).toEqual([]);
    const headers = { authorization: `Bearer ${token}` };
    const studies = await (await fetch(`${base}/dicomweb/cases/${caseId}/studies`, { headers })).json();
    const studyUid = studies[0]["0020000D"].Value[0];
    const [series] = await (await fetch(`${base}/dicomweb/cases/${caseId}/studies/${studyUid}/series`, { headers })).json();
    const seriesUid = series["0020000E"].Value[0];
    const indexed = await (await fetch(`${base}/dicomweb/cases/${caseId}/studies/${studyUid}/series/${seriesUid}/instances`, { headers })).json();
    expect(indexed.length).toBeGreaterThan(0);
    expect(indexed.length).toBeLessThan(200);
    // A long JSON answer is compressed for a client that takes gzip; a short one goes whole, with its length.
    const listing = await fetch(`${base}/dicomweb/cases/${caseId}/studies/${studyUid}/series/${seriesUid}/instances`, {
      headers: { ...headers, "accept-encoding": "gzip" },
    });
    expect(listing.headers.get("content-encoding")).toBe("gzip");
    const resent = await fetch(`${base}/dicomweb/cases/${caseId}/studies`, {
      method: "POST",
      headers: { ...headers, "content-type": `multipart/related; type="application/dicom"; boundary=${boundary}` },
      body: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), instances(1)[0], Buffer.from(`\r\n--${boundary}--\r\n`)]),
    });
    expect(resent.status).toBe(200);
    expect(resent.headers.get("content-encoding")).toBeNull();
    const answer = Buffer.from(await resent.arrayBuffer());
    expect(Number(resent.headers.get("content-length"))).toBe(answer.length);
    expect(JSON.parse(answer.toString())["00081199"].Value).toHaveLength(1);
    for (const instance of indexed) {
      const uid = instance["00080018"].Value[0];
      const wado = await fetch(`${base}/dicomweb/cases/${caseId}/studies/${studyUid}/series/${seriesUid}/instances/${uid}`, { headers });
      expect(wado.status, uid).toBe(200);
      expect((await wado.arrayBuffer()).byteLength).toBeGreaterThan(500_000);
    }
  } finally {
    server.kill("SIGKILL");
  }
});
