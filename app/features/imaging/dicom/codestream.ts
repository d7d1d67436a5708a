import { concatBytes } from "./part10";

/** Whether a fragment of encapsulated pixel data begins a JPEG, JPEG-LS or JPEG 2000 codestream (or a JP2 file). */
export function startsCodestream(fragment: Uint8Array): boolean {
  const b = fragment;
  return (b[0] === 0xff && (b[1] === 0xd8 || b[1] === 0x4f)) || (b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0x0c);
}

/** The frames of encapsulated pixel data: fragments grouped at each codestream start (or one frame of them all); null when they do not make `frames`. */
export function encapsulatedFrames(fragments: Uint8Array[], frames: number): Uint8Array[] | null {
  if (frames === 1) return [concatBytes(fragments)];
  if (fragments.length === frames) return fragments;
  const groups: Uint8Array[][] = [];
  for (const fragment of fragments) {
    if (groups.length === 0 || startsCodestream(fragment.subarray(0, 4))) groups.push([fragment]);
    else groups[groups.length - 1].push(fragment);
  }
  return groups.length === frames ? groups.map(concatBytes) : null;
}

/**
 * Whether a JPEG codestream carries an Exif segment (APP1) before its first scan. A browser's decoder turns the image
 * as its orientation tag says, which DICOM ignores, so such a frame is decoded as dcmtk decodes it, on the server.
 */
export function jpegHasExif(codestream: Uint8Array): boolean {
  let at = 2;
  while (at + 4 <= codestream.length && codestream[at] === 0xff) {
    const marker = codestream[at + 1];
    if (marker === 0xda || marker === 0xd9) return false;
    const length = (codestream[at + 2] << 8) | codestream[at + 3];
    if (marker === 0xe1 && String.fromCharCode(...codestream.subarray(at + 4, at + 8)) === "Exif") return true;
    at += 2 + length;
  }
  return false;
}
