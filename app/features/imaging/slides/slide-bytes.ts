/** What the slide cleaners share: a file read piece by piece, the in-place patches they plan, and their zero-filling. */

export type ByteSource = { size: number; read(offset: number, length: number): Promise<Uint8Array> };
export type Patch = { offset: number; bytes: Uint8Array };

/** A slide the page will not send, with the message the user sees (in their language). */
export class SlideRefusal extends Error {
  constructor(
    readonly errorKey: string,
    message = errorKey,
  ) {
    super(message);
  }
}

/** A file the cleaner cannot walk: it cannot be shown clean, so it is not sent. */
export class SlideFormatError extends SlideRefusal {
  constructor(message: string) {
    super("imaging:slides.errors.unreadable", message);
  }
}

class FirstPatchFound extends Error {}

/**
 * The patches a plan collects. The server only asks whether there is any (`stopAtFirst`): the walk ends at the first, so a
 * crafted file cannot make it read or compute more than the page would have had to.
 */
export class PatchList {
  readonly patches: Patch[] = [];
  constructor(private readonly stopAtFirst = false) {}
  add(offset: number, bytes: Uint8Array) {
    this.patches.push({ offset, bytes });
    if (this.stopAtFirst) throw new FirstPatchFound();
  }
  /** Runs a plan into this list; with `stopAtFirst`, it ends quietly at the first patch. */
  async collect(plan: (patches: PatchList) => Promise<void>): Promise<Patch[]> {
    try {
      await plan(this);
    } catch (error) {
      if (!(error instanceof FirstPatchFound)) throw error;
    }
    return this.patches;
  }
}

export const allZero = (bytes: Uint8Array) => bytes.every((b) => b === 0);
/** Bytes as Latin-1 text, decoded in slices (one array element per byte would cost dozens of bytes each). */
export function latin1(bytes: Uint8Array): string {
  const slices: string[] = [];
  for (let at = 0; at < bytes.length; at += 8192) slices.push(String.fromCharCode(...bytes.subarray(at, at + 8192)));
  return slices.join("");
}

export const READ_CHUNK = 1024 * 1024;
const ZEROS = new Uint8Array(READ_CHUNK);

/** Patches that zero [start, end), read in chunks, for the chunks that are not zero already; all share one zero buffer. */
export async function zeroUnless(source: ByteSource, start: number, end: number, patches: PatchList) {
  for (let at = start; at < end; at += READ_CHUNK) {
    const length = Math.min(READ_CHUNK, end - at);
    if (!allZero(await source.read(at, length))) patches.add(at, ZEROS.subarray(0, length));
  }
}

/**
 * A source that reads ahead in windows, for walks that take many small steps (DICOM items, JPEG markers): each small read
 * is served from the window instead of a call to the file or the browser.
 */
export function readAhead(source: ByteSource, window = 256 * 1024): ByteSource {
  let start = 0;
  let bytes: Uint8Array = new Uint8Array(0);
  return {
    size: source.size,
    async read(offset, length) {
      if (length > window) return source.read(offset, length);
      if (offset < start || offset + length > start + bytes.length) {
        start = offset;
        bytes = await source.read(offset, Math.min(window, source.size - offset));
      }
      return bytes.subarray(offset - start, offset - start + length);
    },
  };
}
