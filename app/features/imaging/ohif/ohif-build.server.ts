/** Which OHIF build is served at /ohif/ and where it is kept (shared by the server and `npm run ohif:prepare`). */
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The published package, pinned: npm's integrity of its tarball is checked before anything is unpacked. */
export const OHIF_PACKAGE = {
  name: "@ohif/app",
  version: "3.13.2",
  integrity: "sha512-WZdxmpmG7rqFgW9ZJLcbgr3XCtLi1KDNPoMaeY5PPe6j4G4fjEjjkycZM6C6Zk2F87BKxFfpq+jd5xXZB9E8EA==",
} as const;

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
/** Where `npm run ohif:prepare` leaves OHIF's `dist/`, moved under /ohif/ (a cache: `npm ci` starts it again). */
export const OHIF_DIR = path.join(ROOT, "node_modules/.cache/tumorboard-ohif", OHIF_PACKAGE.version);
export const OHIF_BASE = "/ohif/";
