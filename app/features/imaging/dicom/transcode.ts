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
import dicomParser from "dicom-parser";
import { startsCodestream } from "./codestream";
import { dictionaryVr } from "./deid-profile";
import { encodeString, find, parsePart10, tagOf, TS, writePart10, type Element } from "./part10";
import { frameStoredValues, readPixelModule } from "./pixel-module";
import { quietDcmjs } from "./quiet-dcmjs";

type Codecs = typeof import("dcmjs-codecs");
const { NativeCodecs, Transcoder, Context } = codecs as unknown as Codecs;
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

/** Whether an instance's pixels can be JPEG-LS coded by `toJpegLs`: one sample of 8 or 16 bits. */
const jpegLsCodable = (p: { samplesPerPixel: number; bitsAllocated: number }) => p.samplesPerPixel === 1 && (p.bitsAllocated === 8 || p.bitsAllocated === 16);

/**
 * The most a near-lossless sample may differ from the stored one (JPEG-LS NEAR), for a viewer's first pass over a slow
 * link: 4 stored values above 8 bits (4 HU in CT, where noise is 10 or more), 2 at 8 bits and below.
 */
export const nearLosslessError = (bitsStored: number) => (bitsStored > 8 ? 4 : 2);

const LOSSY_IMAGE_COMPRESSION = tagOf(0x0028, 0x2110);
const LOSSY_IMAGE_COMPRESSION_RATIO = tagOf(0x0028, 0x2112);
const LOSSY_IMAGE_COMPRESSION_METHOD = tagOf(0x0028, 0x2114);

/**
 * Codes an Explicit VR Little Endian instance's pixels as JPEG-LS (CharLS), one fragment per frame, and everything else
 * as it was; null when its pixels are not one sample of 8 or 16 bits. Values are masked to Bits Stored first (the bits
 * above are not pixel data). Lossless by default: decoding gives back every stored value. Near-lossless
 * (`1.2.840.10008.1.2.4.81`) when asked: every value comes back within `nearLosslessError`, and the instance says it was
 * lossy compressed (0028,2110-2114); signed values that close to the sign boundary are not coded so (null), since an
 * error there would turn the most negative value into the most positive.
 */
export async function toJpegLs(input: Uint8Array, { nearLossless = false } = {}): Promise<Uint8Array | null> {
  const file = parsePart10(input, dictionaryVr);
  if (file.transferSyntax !== TS.explicitLE) throw new TranscodeError(`not Explicit VR Little Endian: ${file.transferSyntax}`);
  const pixelElement = find(file.dataset, tagOf(0x7fe0, 0x0010));
  if (!pixelElement?.value) return null;
  const set = dicomParser.parseDicom(input);
  const p = readPixelModule(set);
  if (!jpegLsCodable(p)) return null;
  await initCodecs();
  const near = nearLossless ? nearLosslessError(p.bitsStored) : 0;
  const lowest = -(2 ** (p.bitsStored - 1));
  const highest = 2 ** (p.bitsStored - 1) - 1;
  const encodedFrames: Uint8Array[] = [];
  for (const frame of p.frames) {
    const stored = frameStoredValues(p, frame, set.byteArray);
    const mask = 2 ** p.bitsStored - 1;
    const unsigned = p.bitsAllocated === 8 ? new Uint8Array(stored.length) : new Uint16Array(stored.length);
    for (let i = 0; i < stored.length; i++) {
      if (near && p.pixelRepresentation === 1 && (stored[i] < lowest + near || stored[i] > highest - near)) return null;
      unsigned[i] = stored[i] & mask;
    }
    const context = new Context({
      width: p.columns,
      height: p.rows,
      bitsAllocated: p.bitsAllocated,
      bitsStored: p.bitsStored,
      samplesPerPixel: 1,
      pixelRepresentation: 0,
      planarConfiguration: 0,
      photometricInterpretation: p.photometricInterpretation,
      decodedBuffer: new Uint8Array(unsigned.buffer),
    });
    const encoded = NativeCodecs.encodeJpegLs(context, near ? { lossy: true, allowedLossyError: near } : { lossy: false }).getEncodedBuffer();
    if (!encoded) throw new TranscodeError("JPEG-LS encoding gave nothing");
    // Fragments are of even length (PS3.5 A.4): a zero after the end of image marker.
    const even = new Uint8Array(encoded.length + (encoded.length % 2));
    even.set(encoded);
    encodedFrames.push(even);
  }
  const syntax = near ? TS.jpegLsNearLossless : TS.jpegLsLossless;
  const syntaxTag = tagOf(0x0002, 0x0010);
  const meta = file.meta.map((e) => (e.tag === syntaxTag ? { ...e, value: encodeString(syntax, "UI") } : e));
  let dataset = file.dataset.map((e): Element =>
    e === pixelElement ? { tag: e.tag, vr: "OB", value: null, fragments: [new Uint8Array(), ...encodedFrames] } : e,
  );
  if (near) {
    const ratio = pixelElement.value.length / encodedFrames.reduce((sum, f) => sum + f.length, 0);
    const lossy: Element[] = [
      { tag: LOSSY_IMAGE_COMPRESSION, vr: "CS", value: encodeString("01", "CS") },
      { tag: LOSSY_IMAGE_COMPRESSION_RATIO, vr: "DS", value: encodeString(ratio.toFixed(2), "DS") },
      { tag: LOSSY_IMAGE_COMPRESSION_METHOD, vr: "CS", value: encodeString("ISO_14495_1", "CS") },
    ];
    const replaced = new Set(lossy.map((e) => e.tag));
    dataset = dataset.filter((e) => !replaced.has(e.tag));
    const at = dataset.findIndex((e) => e.tag >>> 0 > LOSSY_IMAGE_COMPRESSION_METHOD);
    dataset.splice(at === -1 ? dataset.length : at, 0, ...lossy);
  }
  return writePart10({ meta, dataset, transferSyntax: syntax });
}
