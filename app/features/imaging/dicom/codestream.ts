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
