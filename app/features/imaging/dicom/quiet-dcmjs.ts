/** Silences dcmjs's per-attribute console warnings in the CommonJS copy other packages load. */
import { createRequire } from "node:module";

type Logger = { setLevel: (level: string) => void; getLogger: (name: string) => Logger };

/** dcmjs, in the CommonJS copy dcmjs-dimse and dcmjs-codecs load, otherwise logs every attribute it has no name or VR for. */
export function quietDcmjs() {
  const { log } = createRequire(import.meta.url)("dcmjs") as { log: Logger };
  log.setLevel("silent");
  log.getLogger("validation.dcmjs").setLevel("silent");
}
