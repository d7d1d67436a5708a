/**
 * Instances fetched from WADO-RS (Explicit VR Little Endian, the default) and
 * parsed once per page, shared by every frame of a multi-frame instance.
 */
import { firstPart, parseInstance, type ParsedInstance } from "./dicom-image";

const instances = new Map<string, Promise<ParsedInstance>>();

export function fetchInstance(url: string): Promise<ParsedInstance> {
  let pending = instances.get(url);
  if (!pending) {
    // The default Accept: WADO-RS then answers in Explicit VR Little Endian, and the page's preload of the first slice is reused.
    pending = fetch(url, { credentials: "same-origin" }).then(async (response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return parseInstance(firstPart(new Uint8Array(await response.arrayBuffer()), response.headers.get("content-type") ?? ""));
    });
    pending.catch(() => instances.delete(url));
    instances.set(url, pending);
  }
  return pending;
}
