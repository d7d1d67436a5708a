/**
 * How the case page's upload worker sends de-identified files: a few at a time in one multipart/related request, each part
 * naming its file. One request per file spent more on the request (session, case, audit) than on the file.
 */

/** A batch closes at this many files or when the next file would take it past this many bytes; a bigger file goes alone. */
export const UPLOAD_BATCH = { files: 16, bytes: 24 * 1024 * 1024 } as const;

/** Consecutive runs of indexes into `sizes`, each within UPLOAD_BATCH. */
export function uploadBatches(sizes: readonly number[]): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  sizes.forEach((size, index) => {
    if (current.length > 0 && (current.length >= UPLOAD_BATCH.files || bytes + size > UPLOAD_BATCH.bytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

/** The part header that names a file (RFC 6266, with the UTF-8 form of RFC 8187 so Chinese folder names survive). */
export const partDisposition = (fileName: string) => `Content-Disposition: attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`;

/** The file name a part's headers give, or null; a malformed percent-encoding is kept as it came. */
export function partFileName(headers: string): string | null {
  const encoded = /filename\*=UTF-8''([^;\r\n]+)/i.exec(headers)?.[1];
  if (encoded === undefined) return /filename="([^"\r\n]*)"/i.exec(headers)?.[1] ?? null;
  try {
    return decodeURIComponent(encoded.slice(0, 1024));
  } catch {
    return encoded.slice(0, 1024);
  }
}
