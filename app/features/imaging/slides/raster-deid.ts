/**
 * JPEG and PNG slides (single images, photographed or exported) cleaned in place:
 * - JPEG: application segments other than JFIF (APP0) and Adobe (APP14), and comments, become zero-filled comments.
 * - PNG: text, time and EXIF chunks become zero-filled private chunks with their checksum recomputed.
 */
import { allZero, latin1, SlideFormatError, type ByteSource, type PatchList } from "./slide-bytes";

const MAX_JPEG_SEGMENTS = 10_000;

export async function planJpeg(source: ByteSource, patches: PatchList): Promise<void> {
  let at = 2;
  for (let segments = 0; segments < MAX_JPEG_SEGMENTS && at + 4 <= source.size; segments++) {
    const [marker, type, hi, lo] = await source.read(at, 4);
    if (marker !== 0xff) throw new SlideFormatError("not a JPEG segment");
    if (type === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (type === 0xda || type === 0xd9) break; // the image data starts (or the file ends): no metadata beyond here
    const length = (hi << 8) | lo;
    if (length < 2 || at + 2 + length > source.size) throw new SlideFormatError("JPEG segment outside the file");
    const metadata = (type >= 0xe1 && type <= 0xef && type !== 0xee) || type === 0xfe;
    if (metadata) {
      const payload = await source.read(at + 4, length - 2);
      if (type !== 0xfe || !allZero(payload)) {
        patches.add(at + 1, new Uint8Array([0xfe]));
        if (!allZero(payload)) patches.add(at + 4, new Uint8Array(length - 2));
      }
    }
    at += 2 + length;
  }
}

const PNG_METADATA = new Set(["tEXt", "zTXt", "iTXt", "tIME", "eXIf"]);
const PNG_BLANK_TYPE = "pRVt";

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export async function planPng(source: ByteSource, patches: PatchList): Promise<void> {
  let at = 8;
  while (at + 8 <= source.size) {
    const header = await source.read(at, 8);
    const length = new DataView(header.buffer, header.byteOffset).getUint32(0);
    const type = latin1(header.subarray(4, 8));
    if (at + 12 + length > source.size) throw new SlideFormatError("PNG chunk outside the file");
    if (type === "IEND") break;
    if (PNG_METADATA.has(type) || (type === PNG_BLANK_TYPE && !allZero(await source.read(at + 8, length)))) {
      const blanked = new Uint8Array(8 + length + 4);
      const d = new DataView(blanked.buffer);
      d.setUint32(0, length);
      blanked.set(new TextEncoder().encode(PNG_BLANK_TYPE), 4);
      d.setUint32(8 + length, crc32(blanked.subarray(4, 8 + length)));
      patches.add(at, blanked);
    }
    at += 12 + length;
  }
}
