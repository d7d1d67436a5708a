/**
 * Reads a multipart body (RFC 2046) part by part as it arrives: at most one part is held in memory, and a part past
 * `maxPartBytes` is skipped (its bytes dropped as they come) and reported as too large. STOW-RS bodies can be gigabytes.
 */

/** `headers`: the part's header lines as they came (at most 16 KB). */
export type StreamedPart = { headers: string } & ({ bytes: Buffer; tooLarge?: false } | { tooLarge: true; bytes?: undefined });

export class MalformedMultipartError extends Error {}

const MAX_HEADER_BYTES = 16 * 1024;
const MAX_EPILOGUE_BYTES = 64 * 1024;
const CRLF2 = Buffer.from("\r\n\r\n");

/**
 * Longest boundary taken. RFC 2046 allows 70 characters, but real clients send longer ones (Orthanc's DICOMweb plugin 1.7,
 * as Debian ships it, sends two UUIDs joined by a dash: 73); the bound only keeps the delimiter search small.
 */
const MAX_BOUNDARY_LENGTH = 200;

/** The boundary of a multipart Content-Type, or null. */
export function multipartBoundary(contentType: string): string | null {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  return boundary && boundary.length <= MAX_BOUNDARY_LENGTH ? boundary : null;
}

/** Whether a delimiter may start in `held` (shorter than the delimiter): one runs on into `next`, or `next` is too short to tell. */
function mayStartDelimiter(held: Buffer, next: Buffer, delimiter: Buffer): boolean {
  if (held.length === 0) return false;
  return next.length < delimiter.length - 1 || Buffer.concat([held, next.subarray(0, delimiter.length - 1)]).indexOf(delimiter) !== -1;
}

export async function* streamParts(
  body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
  boundary: string,
  maxPartBytes: number,
  maxParts = 10_000,
): AsyncGenerator<StreamedPart> {
  // Every delimiter, the first included, is CRLF "--" boundary; a body starting with the boundary gets its CRLF here.
  const delimiter: Buffer = Buffer.from(`\r\n--${boundary}`);
  let buffer: Buffer = Buffer.from("\r\n");
  let state = "preamble" as "preamble" | "headers" | "body" | "done";
  let chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  let parts = 0;
  let headers = "";

  const keep = (bytes: Buffer) => {
    if (bytes.length === 0 || tooLarge) return;
    size += bytes.length;
    if (size > maxPartBytes) {
      tooLarge = true;
      chunks = [];
    } else chunks.push(bytes);
  };

  let epilogue = 0;
  let tooManyParts = false;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    // The body is read to its end after the closing boundary (or the last part allowed): leaving early cancels the request
    // stream, and Node then destroys the socket before the answer is written. A long remainder is not worth reading.
    if (state === "done") {
      epilogue += chunk.length;
      if (epilogue > (tooManyParts ? maxPartBytes : MAX_EPILOGUE_BYTES)) break;
      continue;
    }
    const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (state === "body" && buffer.length < delimiter.length && !mayStartDelimiter(buffer, view, delimiter)) {
      // Inside a part, the chunk is searched where it lies instead of being copied behind the held-back remainder.
      keep(buffer);
      buffer = view;
    } else buffer = buffer.length === 0 ? Buffer.from(view) : Buffer.concat([buffer, view]);
    for (;;) {
      if (state === "headers") {
        if (buffer.length >= 2 && buffer[0] === 0x2d && buffer[1] === 0x2d) {
          state = "done";
          break;
        }
        const end = buffer.indexOf(CRLF2);
        if (end === -1) {
          if (buffer.length > MAX_HEADER_BYTES) throw new MalformedMultipartError("part headers too long");
          break;
        }
        headers = buffer.subarray(0, end).toString("latin1");
        buffer = buffer.subarray(end + CRLF2.length);
        if (++parts > maxParts) {
          tooManyParts = true;
          state = "done";
          break;
        }
        state = "body";
        continue;
      }
      const at = buffer.indexOf(delimiter);
      if (at === -1) {
        // Keep what could be the start of a delimiter split across chunks.
        const safe = Math.max(0, buffer.length - (delimiter.length - 1));
        if (state === "body") keep(buffer.subarray(0, safe));
        buffer = buffer.subarray(safe);
        break;
      }
      if (state === "body") {
        keep(buffer.subarray(0, at));
        yield tooLarge ? { headers, tooLarge: true } : { headers, bytes: Buffer.concat(chunks) };
        chunks = [];
        size = 0;
        tooLarge = false;
      }
      buffer = buffer.subarray(at + delimiter.length);
      state = "headers";
    }
    if (state === "done") continue;
    // Buffers that subarray a large concatenation would pin it; copy the small remainder.
    buffer = Buffer.from(buffer);
  }
  if (tooManyParts) throw new MalformedMultipartError(`more than ${maxParts} parts`);
  if (state !== "done") throw new MalformedMultipartError("the body ended before its closing boundary");
}
