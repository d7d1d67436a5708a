import { describe, expect, it } from "vitest";
import { partDisposition, partFileName, UPLOAD_BATCH, uploadBatches } from "~/features/imaging/upload-batch";

describe("upload batches", () => {
  it("closes a batch at its file count or before its byte limit, and sends a bigger file alone", () => {
    const mb = 1024 * 1024;
    expect(uploadBatches(Array.from({ length: UPLOAD_BATCH.files * 2 + 1 }, () => mb)).map((b) => b.length)).toEqual([
      UPLOAD_BATCH.files,
      UPLOAD_BATCH.files,
      1,
    ]);
    expect(uploadBatches([10 * mb, 10 * mb, 10 * mb, 100 * mb, mb])).toEqual([[0, 1], [2], [3], [4]]);
    expect(uploadBatches([])).toEqual([]);
  });

  it("names each part with its UTF-8 file name and reads it back", () => {
    const headers = `\r\nContent-Type: application/dicom\r\n${partDisposition('胸部CT/第1层; "x".dcm')}`;
    expect(partFileName(headers)).toBe('胸部CT/第1层; "x".dcm');
    expect(partFileName('Content-Disposition: attachment; filename="plain.dcm"')).toBe("plain.dcm");
    expect(partFileName("Content-Disposition: attachment; filename*=UTF-8''%E4%ZZ.dcm")).toBe("%E4%ZZ.dcm");
    expect(partFileName("Content-Type: application/dicom")).toBeNull();
  });
});
