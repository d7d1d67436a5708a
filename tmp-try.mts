import { readFileSync, writeFileSync } from "node:fs";
import { toExplicitLittleEndian } from "~/features/imaging/dicom/transcode";
import { ocrFrames } from "~/features/imaging/burned-in/ocr-images";
import { encodePng } from "~/features/imaging/key-images/png.server";
const bytes = await toExplicitLittleEndian(readFileSync(process.argv[2]));
const f = ocrFrames(bytes);
for (const v of f.variantsOf(0)) writeFileSync(`/tmp/ocrx/v-${v.name}.png`, encodePng(v.image));
