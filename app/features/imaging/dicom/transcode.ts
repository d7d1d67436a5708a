/**
 * Decodes a stored instance of any accepted transfer syntax into Explicit VR
 * Little Endian with native pixels, for viewers: implicit VR and deflated
 * files by rewriting them, everything else with the WebAssembly codecs of
 * dcmjs-codecs (IJG libjpeg 8/12/16-bit, CharLS, OpenJPEG, RLE). Pure
 * computation: it runs in the DICOM worker threads.
 *
 * Four cases the library does not handle as shipped are prepared here first:
 * deflate (dcmjs has already inflated the data set), JPEG extended and JPEG
 * lossless any-predictor (the same IJG decoder serves them), several fragments
 * per frame (regrouped at each codestream start), and JPEG whose photometric
 * interpretation is already RGB (decoded without a YCbCr-to-RGB conversion,
 * as dcmtk and GDCM do).
 */
import codecs from "dcmjs-codecs";
import { startsCodestream } from "./codestream";
import { dictionaryVr } from "./deid-profile";
import { encodeString, parsePart10, tagOf, TS, writePart10 } from "./part10";
import { quietDcmjs } from "./quiet-dcmjs";

type Codecs = typeof import("dcmjs-codecs");
const { NativeCodecs, Transcoder } = codecs as unknown as Codecs;
quietDcmjs();

const { explicitLE: EXPLICIT_LE, deflatedLE: DEFLATE } = TS;
const RLE = "1.2.840.10008.1.2.5";
const JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
const JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
const JPEG_LOSSLESS_ANY = "1.2.840.10008.1.2.4.57";
const JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
const DECODED_AS: Record<string, string> = {
  [JPEG_EXTENDED]: JPEG_BASELINE,
  [JPEG_LOSSLESS_ANY]: JPEG_LOSSLESS_SV1,
};

export class TranscodeError extends Error {}

let ready: Promise<void> | null = null;
export function initCodecs(): Promise<void> {
  ready ??= NativeCodecs.initializeAsync({
    logCodecsInfo: false,
    logCodecsTrace: false,
  });
  return ready;
}

type Elements = Record<string, unknown> & {
  PixelData?: ArrayBuffer[];
  NumberOfFrames?: string | number;
  PhotometricInterpretation?: string;
};

function concat(parts: ArrayBuffer[]): ArrayBuffer {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(new Uint8Array(part), at);
    at += part.byteLength;
  }
  return out.buffer;
}

/** One buffer per frame: fragments grouped at each JPEG, JPEG-LS or JPEG 2000 start of codestream. */
function framesOf(fragments: ArrayBuffer[], frames: number): ArrayBuffer[] {
  if (frames === 1) return [concat(fragments)];
  const groups: ArrayBuffer[][] = [];
  for (const fragment of fragments) {
    if (groups.length === 0 || startsCodestream(new Uint8Array(fragment, 0, Math.min(4, fragment.byteLength)))) groups.push([fragment]);
    else groups[groups.length - 1].push(fragment);
  }
  if (groups.length !== frames) throw new TranscodeError(`${fragments.length} fragments do not make ${frames} frames`);
  return groups.map(concat);
}

/** Implicit VR or deflated little endian needs no codec: the elements are written again with their VRs. */
function rewriteNativeLittleEndian(input: Uint8Array): Uint8Array | null {
  const file = parsePart10(input, dictionaryVr);
  if (file.transferSyntax !== TS.implicitLE && file.transferSyntax !== TS.deflatedLE) return null;
  const syntaxTag = tagOf(0x0002, 0x0010);
  const meta = file.meta.map((e) => (e.tag === syntaxTag ? { ...e, value: encodeString(TS.explicitLE, "UI") } : e));
  return writePart10({ meta, dataset: file.dataset, transferSyntax: TS.explicitLE });
}

export async function toExplicitLittleEndian(input: Uint8Array): Promise<Uint8Array> {
  const native = rewriteNativeLittleEndian(input);
  if (native) return native;
  await initCodecs();
  const buffer = input.buffer.slice(input.byteOffset, input.byteOffset + input.byteLength) as ArrayBuffer;
  let transcoder = new Transcoder(buffer);
  let syntax = transcoder.getTransferSyntaxUid();
  let elements = transcoder.getElements() as Elements;
  if (syntax === DEFLATE) syntax = EXPLICIT_LE;
  else if (DECODED_AS[syntax]) syntax = DECODED_AS[syntax];
  if (syntax === JPEG_BASELINE && elements.PhotometricInterpretation === "RGB") syntax = JPEG_LOSSLESS_SV1;
  const frames = Math.max(1, Number(elements.NumberOfFrames ?? 1) || 1);
  if (Array.isArray(elements.PixelData) && syntax !== RLE && elements.PixelData.length > frames) {
    elements = { ...elements, PixelData: framesOf(elements.PixelData, frames) };
  }
  transcoder = new Transcoder(elements, syntax);
  try {
    transcoder.transcode(EXPLICIT_LE);
  } catch (error) {
    throw new TranscodeError(error instanceof Error ? error.message : String(error));
  }
  return new Uint8Array(transcoder.getDicomPart10());
}
