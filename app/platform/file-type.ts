/** File types are decided by content, never by the file name. */
export type DetectedType = {
  mimeType: "application/pdf" | "image/jpeg" | "image/png" | "image/tiff" | "application/dicom";
  extension: "pdf" | "jpg" | "png" | "tif" | "dcm";
};

/**
 * How many leading bytes an upload keeps for checks by content: a DICOM file says "DICM" after its
 * 128-byte preamble, and the genomic data guard inflates the start of gzip files.
 */
export const UPLOAD_HEAD_BYTES = 4096;

export function detectFileType(head: Uint8Array): DetectedType | null {
  const starts = (bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return { mimeType: "application/pdf", extension: "pdf" };
  if (starts([0xff, 0xd8, 0xff])) return { mimeType: "image/jpeg", extension: "jpg" };
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mimeType: "image/png", extension: "png" };
  // TIFF and BigTIFF, either byte order: whole-slide formats such as Aperio SVS are TIFF.
  if (starts([0x49, 0x49, 0x2a, 0x00]) || starts([0x4d, 0x4d, 0x00, 0x2a]) || starts([0x49, 0x49, 0x2b, 0x00]) || starts([0x4d, 0x4d, 0x00, 0x2b]))
    return { mimeType: "image/tiff", extension: "tif" };
  if (head.length >= 132 && head[128] === 0x44 && head[129] === 0x49 && head[130] === 0x43 && head[131] === 0x4d)
    return { mimeType: "application/dicom", extension: "dcm" };
  return null;
}
