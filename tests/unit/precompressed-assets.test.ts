import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliDecompressSync } from "node:zlib";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { precompressAssets, precompressedAssets } from "~/platform/precompressed-assets.server";

const dir = mkdtempSync(path.join(tmpdir(), "assets-"));
const script = `export const greeting = ${JSON.stringify("hello ".repeat(2000))};\n`;
let base = "";
let close = () => {};

beforeAll(async () => {
  writeFileSync(path.join(dir, "entry-abc123.js"), script);
  writeFileSync(path.join(dir, "font-abc123.woff2"), Buffer.alloc(4096, 7));
  expect(precompressAssets(dir)).toBe(1);
  const app = express();
  app.use("/assets", precompressedAssets(dir, "1y"), express.static(dir, { immutable: true, maxAge: "1y" }));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

/** Raw bytes and headers, without fetch's own decoding of the body. */
async function get(file: string, acceptEncoding: string) {
  const { request } = await import("node:http");
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    request(`${base}/assets/${file}`, { headers: { "accept-encoding": acceptEncoding } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (c: Buffer) => chunks.push(c));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
    })
      .on("error", reject)
      .end();
  });
}

describe("the client's assets", () => {
  it("are compressed once at build time and sent as Brotli to a browser that takes it, as a script, cached for good", async () => {
    expect(existsSync(path.join(dir, "font-abc123.woff2.br"))).toBe(false);
    const answer = await get("entry-abc123.js", "gzip, deflate, br");
    expect(answer.status).toBe(200);
    expect(answer.headers["content-encoding"]).toBe("br");
    expect(answer.headers["content-type"]).toMatch(/^text\/javascript|^application\/javascript/);
    expect(answer.headers["vary"]).toMatch(/Accept-Encoding/i);
    expect(answer.headers["cache-control"]).toContain("immutable");
    expect(answer.body.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(answer.body).toString()).toBe(script);
  });

  it("are sent as they are to a browser without Brotli, and a file the build did not compress is served plainly", async () => {
    const plain = await get("entry-abc123.js", "gzip");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
    const font = await get("font-abc123.woff2", "br");
    expect(font.headers["content-encoding"]).toBeUndefined();
    expect(font.body.equals(readFileSync(path.join(dir, "font-abc123.woff2")))).toBe(true);
    expect((await get("missing.js", "br")).status).toBe(404);
  });
});
