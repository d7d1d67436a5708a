/** Run after `remix vite:build` (`npm run build`, `ensure-build.ts`): compresses the client's assets once (see precompressed-assets.server.ts). */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { precompressAssets } from "~/platform/precompressed-assets.server";

const assets = fileURLToPath(new URL("../../build/client/assets", import.meta.url));
console.log(`Compressed ${precompressAssets(assets)} client assets with Brotli (${path.relative(process.cwd(), assets)}).`);
