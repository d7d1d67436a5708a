/**
 * A test image with burned-in text: a CT slice of the corpus rendered by dcmtk,
 * an English and a Chinese hospital name and patient name drawn in white by
 * ImageMagick (Noto Sans CJK), saved as JPEG and wrapped by dcmtk's img2dcm as
 * a secondary capture carrying a patient name of its own.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

export const BURNED_IN_TEXTS = [
  { text: "St Mary Hospital", x: 16, y: 36 },
  { text: "John Smith", x: 16, y: 72 },
  { text: "北京协和医院", x: 290, y: 36 },
  { text: "张伟", x: 290, y: 72 },
];
export const BURNED_IN_SIZE = 512;

export const sh = (command: string, args: string[], cwd: string) => execFileSync(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] }).toString("utf8");

const annotate = (t: (typeof BURNED_IN_TEXTS)[number]) => ["-fill", "white", "-font", FONT, "-pointsize", "24", "-annotate", `+${t.x}+${t.y}`, t.text];

/** Writes `burned.dcm` in a new folder, and `text-<i>.pgm` for each text drawn alone on black (where its pixels are). */
export function makeBurnedInImage(): { dir: string; dicom: string; textMasks: string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "burned-in-"));
  sh("dcm2pnm", ["+Wm", path.join(CORPUS, "ct-series/ct-3slice-01.dcm"), "slice.pgm"], dir);
  sh("convert", ["slice.pgm", ...BURNED_IN_TEXTS.flatMap(annotate), "-quality", "95", "burned.jpg"], dir);
  sh("img2dcm", ["-k", "PatientName=Smith^John", "-k", "PatientID=BURN-1", "burned.jpg", "burned.dcm"], dir);
  const size = `${BURNED_IN_SIZE}x${BURNED_IN_SIZE}`;
  const textMasks = BURNED_IN_TEXTS.map((t, i) => {
    sh("convert", ["-size", size, "xc:black", ...annotate(t), "-depth", "8", `text-${i}.pgm`], dir);
    return path.join(dir, `text-${i}.pgm`);
  });
  return { dir, dicom: path.join(dir, "burned.dcm"), textMasks };
}
