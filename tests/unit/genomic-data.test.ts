import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { detectRawGenomicData } from "~/features/cases/genomic-data";
import { UPLOAD_HEAD_BYTES } from "~/platform/file-type";
import { makeGenomicFiles } from "../support/genomic-files";

const CORPUS = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
const head = (bytes: Buffer) => bytes.subarray(0, UPLOAD_HEAD_BYTES);

describe("the human genetic resources guard", () => {
  it("recognises every raw genomic format by content, compressed or not", () => {
    for (const file of makeGenomicFiles()) expect(detectRawGenomicData(head(file.bytes)), file.name).toBe(file.format);
  });

  it("lets reports, images and interpreted results through", () => {
    const allowed = [
      readFileSync(path.join(CORPUS, "ct-series-tiny/CT5N-2062.dcm")),
      Buffer.from("%PDF-1.4\n@patient\nACGT\n+\nIIII\n"),
      Buffer.from("@Dr Li: EGFR exon 19 deletion (p.E746_A750del) detected by NGS, VAF 23%.\nTMB 4 mut/Mb.\n+ PD-L1 TPS 60%\n"),
      Buffer.from(">Summary\nEGFR L858R positive\n"),
      gzipSync(Buffer.from("Molecular pathology report: KRAS G12C, ALK negative, ROS1 negative.\n")),
      Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xff]),
    ];
    for (const bytes of allowed) expect(detectRawGenomicData(head(bytes))).toBeNull();
  });
});
