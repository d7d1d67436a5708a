/**
 * Instances fetched from WADO-RS and parsed once per page, shared by every frame of a multi-frame instance. The viewer
 * asks for JPEG-LS lossless first (about a third of the bytes of native CT pixels; the server codes it once and keeps
 * it) and takes Explicit VR Little Endian where the pixels cannot be so coded (colour, 1 or 32 bits).
 */
import { TS } from "~/features/imaging/dicom/part10";
import { firstPart, parseInstance, type ParsedInstance } from "./dicom-image";

export const VIEWER_ACCEPT = [
  `multipart/related; type="application/dicom"; transfer-syntax=${TS.jpegLsLossless}`,
  `multipart/related; type="application/dicom"; transfer-syntax=${TS.explicitLE}; q=0.5`,
].join(", ");

const instances = new Map<string, Promise<ParsedInstance>>();

/**
 * The instance at `url`, fetched once. `preloaded`: the page preloaded it with `<link rel="preload">`, whose request
 * has the default Accept (Explicit VR Little Endian); asking the same way reuses its answer.
 */
export function fetchInstance(url: string, { preloaded = false } = {}): Promise<ParsedInstance> {
  let pending = instances.get(url);
  if (!pending) {
    const headers = preloaded ? undefined : { accept: VIEWER_ACCEPT };
    pending = fetch(url, { credentials: "same-origin", headers }).then(async (response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return parseInstance(firstPart(new Uint8Array(await response.arrayBuffer()), response.headers.get("content-type") ?? ""));
    });
    pending.catch(() => instances.delete(url));
    instances.set(url, pending);
  }
  return pending;
}
