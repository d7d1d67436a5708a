/**
 * `npm run ohif:prepare`: puts OHIF Viewer's published build (the `dist/` of the npm package @ohif/app, pinned in
 * ohif-build.server.ts) where the server serves it at /ohif/ (see ohif.server.ts). Run by `npm run test:e2e`.
 *
 * Not a dependency in package.json: the package's own dependencies are not all published at its version (@ohif/i18n and
 * @ohif/ui 3.13.2 are missing from the registry), and the built viewer needs none of them. So the tarball is fetched with
 * `npm pack` (the registry, npm's cache, no install scripts), checked against the pinned integrity, and only `dist/` is
 * unpacked. The build is made for the site root; here its public path becomes /ohif/ (webpack's `__webpack_require__.p`,
 * the page's `PUBLIC_URL` and its absolute links), its demo configuration is removed, and the service worker is left out.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { OHIF_BASE, OHIF_DIR, OHIF_PACKAGE } from "~/features/imaging/ohif/ohif-build.server";

const MARKER = ".prepared";

function* scripts(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) yield* scripts(full);
    else if (/\.m?js$/.test(entry)) yield full;
  }
}

function prepare() {
  const spec = `${OHIF_PACKAGE.name}@${OHIF_PACKAGE.version}`;
  if (existsSync(path.join(OHIF_DIR, MARKER)) && readFileSync(path.join(OHIF_DIR, MARKER), "utf8") === OHIF_PACKAGE.integrity) {
    console.log(`OHIF ${OHIF_PACKAGE.version} is ready in ${path.relative(process.cwd(), OHIF_DIR)}.`);
    return;
  }
  console.log(`Fetching ${spec} from the npm registry...`);
  const work = mkdtempSync(path.join(os.tmpdir(), "tb-ohif-"));
  try {
    const packed = JSON.parse(
      execFileSync("npm", ["pack", spec, "--pack-destination", work, "--json", "--ignore-scripts"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }),
    ) as { filename: string }[];
    const tarball = path.join(work, packed[0].filename);
    const integrity = `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`;
    if (integrity !== OHIF_PACKAGE.integrity) throw new Error(`${spec}: integrity ${integrity} is not the pinned ${OHIF_PACKAGE.integrity}`);

    execFileSync("tar", ["-xzf", tarball, "-C", work, "package/dist"]);
    const dist = path.join(work, "package/dist");

    // Webpack's public path, in the app bundle and in each worker's runtime.
    let runtimes = 0;
    for (const file of scripts(dist)) {
      const text = readFileSync(file, "utf8");
      if (!text.includes('__webpack_require__.p = "/";')) continue;
      writeFileSync(file, text.replaceAll('__webpack_require__.p = "/";', `__webpack_require__.p = "${OHIF_BASE}";`));
      runtimes++;
    }
    if (runtimes === 0) throw new Error(`${spec}: no webpack public path found to move under ${OHIF_BASE}`);
    // Stylesheets' absolute urls (its font).
    for (const entry of readdirSync(dist).filter((f) => f.endsWith(".css"))) {
      const file = path.join(dist, entry);
      writeFileSync(file, readFileSync(file, "utf8").replace(/url\(\/(?!\/)/g, `url(${OHIF_BASE}`));
    }

    // The page: PUBLIC_URL and its absolute links under /ohif/, without the service worker.
    const indexFile = path.join(dist, "index.html");
    const page = readFileSync(indexFile, "utf8")
      .replace(/<script[^>]*src="\/init-service-worker\.js"><\/script>/, "")
      .replaceAll('window.PUBLIC_URL="/"', `window.PUBLIC_URL="${OHIF_BASE}"`)
      .replace(/(href|src)="\/(?!\/)/g, `$1="${OHIF_BASE}`);
    if (!page.includes(`src="${OHIF_BASE}app-config.js"`) || !page.includes(`window.PUBLIC_URL="${OHIF_BASE}"`))
      throw new Error(`${spec}: index.html is not as expected`);
    writeFileSync(indexFile, page);

    // The demo configurations (a public server on the internet) and the service worker are never served.
    for (const file of ["app-config.js", "google.js", "sw.js", "init-service-worker.js", "_headers", "_redirects", "serve.json"])
      rmSync(path.join(dist, file), { force: true });

    writeFileSync(path.join(dist, MARKER), OHIF_PACKAGE.integrity);
    rmSync(OHIF_DIR, { recursive: true, force: true });
    mkdirSync(path.dirname(OHIF_DIR), { recursive: true });
    renameSync(dist, OHIF_DIR);
    console.log(`OHIF ${OHIF_PACKAGE.version} prepared in ${path.relative(process.cwd(), OHIF_DIR)} (${runtimes} webpack runtimes moved under ${OHIF_BASE}).`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

prepare();
