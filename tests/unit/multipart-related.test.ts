import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MalformedMultipartError, multipartBoundary, streamParts, type StreamedPart } from "~/platform/multipart-related";

const BOUNDARY = "DICOMwebBoundary-7d3f";

function body(parts: Buffer[], { preamble = "", epilogue = "" } = {}) {
  const pieces: Buffer[] = [Buffer.from(preamble)];
  for (const [i, part] of parts.entries())
    pieces.push(Buffer.from(`${i === 0 && !preamble ? "" : "\r\n"}--${BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n`), part);
  pieces.push(Buffer.from(`\r\n--${BOUNDARY}--\r\n${epilogue}`));
  return Buffer.concat(pieces);
}

async function* inChunks(bytes: Buffer, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function collect(source: AsyncIterable<Uint8Array>, max = 1 << 20, maxParts?: number) {
  const parts: StreamedPart[] = [];
  for await (const part of streamParts(source, BOUNDARY, max, maxParts)) parts.push(part);
  return parts;
}

describe("streamed multipart/related parts", () => {
  // Parts that contain CRLF, dashes and a near-miss of the boundary, to catch a delimiter matched too early.
  const parts = [randomBytes(5000), Buffer.from(`\r\n--${BOUNDARY.slice(0, -1)}x\r\n--\r\n`), randomBytes(70_000), Buffer.alloc(0)];

  it("yields every part exactly, whatever the chunk size and with a preamble and an epilogue", async () => {
    for (const framing of [{}, { preamble: "This is a preamble.", epilogue: "and an epilogue" }]) {
      const whole = body(parts, framing);
      // 24 to 26: about the delimiter's length, so delimiters straddle chunks at every offset.
      for (const size of [1, 3, 7, 24, 25, 26, 64, 4096, whole.length]) {
        const got = await collect(inChunks(whole, size));
        expect(
          got.map((p) => p.bytes),
          `chunks of ${size}`,
        ).toEqual(parts);
      }
    }
  });

  it("yields every part exactly from chunks of uneven sizes", async () => {
    const whole = body(parts);
    for (let seed = 1; seed <= 20; seed++) {
      let state = seed;
      const sizes = () => (state = (state * 1103515245 + 12345) % 2 ** 31) % 90;
      async function* uneven() {
        for (let at = 0; at < whole.length;) {
          const size = 1 + sizes();
          yield whole.subarray(at, at + size);
          at += size;
        }
      }
      expect(
        (await collect(uneven())).map((p) => p.bytes),
        `seed ${seed}`,
      ).toEqual(parts);
    }
  });

  it("reads the body to its end after the closing boundary, so the request stream is never cancelled", async () => {
    let finished = false;
    async function* withTrailingChunk() {
      yield body(parts);
      yield Buffer.from("\r\n");
      finished = true;
    }
    expect(await collect(withTrailingChunk())).toHaveLength(parts.length);
    expect(finished).toBe(true);
    finished = false;
    await expect(collect(withTrailingChunk(), 1 << 20, 2)).rejects.toBeInstanceOf(MalformedMultipartError);
    expect(finished, "more parts than allowed: still read to the end").toBe(true);
  });

  it("skips a part over the limit without holding it, and keeps the others", async () => {
    const got = await collect(inChunks(body(parts), 1000), 10_000);
    expect(got.map((p) => (p.tooLarge ? "too large" : p.bytes!.length))).toEqual([5000, parts[1].length, "too large", 0]);
  });

  it("refuses a body cut short, headers without end and more parts than allowed", async () => {
    const whole = body(parts);
    await expect(collect(inChunks(whole.subarray(0, 6000), 512))).rejects.toBeInstanceOf(MalformedMultipartError);
    await expect(collect(inChunks(Buffer.from(`--${BOUNDARY}\r\nX-Junk: ${"a".repeat(20_000)}`), 512))).rejects.toBeInstanceOf(MalformedMultipartError);
    await expect(collect(inChunks(whole, 512), 1 << 20, 3)).rejects.toBeInstanceOf(MalformedMultipartError);
  });

  it("reads the boundary from the Content-Type, quoted or not", () => {
    expect(multipartBoundary(`multipart/related; type="application/dicom"; boundary="${BOUNDARY}"`)).toBe(BOUNDARY);
    expect(multipartBoundary(`multipart/related; boundary=${BOUNDARY}; type=application/dicom`)).toBe(BOUNDARY);
    expect(multipartBoundary("multipart/related")).toBeNull();
    // Longer than RFC 2046's 70 characters, as Orthanc's DICOMweb plugin 1.7 sends; absurd lengths are still refused.
    const orthanc = "68c2785e-a2c2-45be-a272-7fbd095618f6-68c2785e-a2c2-45be-a272-7fbd095618f6";
    expect(multipartBoundary(`multipart/related; type="application/dicom"; boundary=${orthanc}`)).toBe(orthanc);
    expect(multipartBoundary(`multipart/related; boundary=${"b".repeat(201)}`)).toBeNull();
  });
});
