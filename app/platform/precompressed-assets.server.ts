/**
 * The built client's scripts and styles, compressed once with Brotli at its highest setting when the app is built
 * (`precompressAssets`, beside each file as `<name>.br`), and served as they are to browsers that take Brotli. No
 * request pays for compressing a script on the server's thread, and a slow link carries the smallest form. Other files,
 * and browsers without Brotli, fall through to the next handler (compressed per request).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants } from "node:zlib";
import type { RequestHandler } from "express";

const COMPRESSIBLE = /\.(js|mjs|css|json|svg|txt|map)$/;

/** Writes `<name>.br` beside every compressible file of `dir` that Brotli makes smaller; gives how many it wrote. */
export function precompressAssets(dir: string): number {
  let written = 0;
  for (const name of readdirSync(dir)) {
    if (!COMPRESSIBLE.test(name)) continue;
    const bytes = readFileSync(path.join(dir, name));
    const compressed = brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    });
    if (compressed.length >= bytes.length) continue;
    writeFileSync(path.join(dir, `${name}.br`), compressed);
    written++;
  }
  return written;
}

/** Serves `<path>.br` from `dir` with `Content-Encoding: br` when the build made one and the browser accepts Brotli. */
export function precompressedAssets(dir: string, maxAge: string): RequestHandler {
  const compressed = new Set(existsSync(dir) ? readdirSync(dir).flatMap((name) => (name.endsWith(".br") ? [`/${name.slice(0, -3)}`] : [])) : []);
  return (req, res, next) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || !compressed.has(req.path)) return next();
    res.setHeader("Vary", "Accept-Encoding");
    if (req.acceptsEncodings("br") !== "br") return next();
    res.setHeader("Content-Encoding", "br");
    res.type(path.extname(req.path));
    res.sendFile(`${req.path.slice(1)}.br`, { root: dir, immutable: true, maxAge }, (error) => error && next(error));
  };
}
