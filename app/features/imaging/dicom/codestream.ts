/** Whether a fragment of encapsulated pixel data begins a JPEG, JPEG-LS or JPEG 2000 codestream (or a JP2 file). */
export function startsCodestream(fragment: Uint8Array): boolean {
  const b = fragment;
  return (b[0] === 0xff && (b[1] === 0xd8 || b[1] === 0x4f)) || (b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0x0c);
}
