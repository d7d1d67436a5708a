// Worker thread for the CPU-heavy DICOM work, off the main event loop:
// "prepare" runs prepareInstance (parse, de-identify, validate, encode), "check"
// runs it on a file the uploader's browser de-identified (check, validate),
// "generated" on a document the platform wrote from the case's instances (validate),
// "transcode" decodes a stored instance to Explicit VR Little Endian, "jpegLs"
// codes a decoded one as JPEG-LS, lossless or near-lossless (for viewers),
// "ocrImages" writes the PNG images OCR reads of a decoded instance's frames
// "redact" blacks out rectangles of a decoded instance, "store" writes prepared
// bytes durably under their content hash (storage-sync.server.ts), "renderPdf" renders
// a signed opinion's bilingual PDF (loaded on first use), and "render" draws,
// fits and encodes a DICOMweb rendered or thumbnail image (JPEG by the libjpeg
// inside dcmjs-codecs, PNG by png.server.ts; loaded on first use). Plain
// ESM so it loads the same way from the Remix build, the dev server and the
// tests; tsx compiles the TypeScript it imports.
import { readFile } from "node:fs/promises";
import { parentPort } from "node:worker_threads";
import codecs from "dcmjs-codecs";
import { register } from "tsx/esm/api";

register();
const { prepareInstance } = await import("./prepare-instance.ts");
const { toExplicitLittleEndian, toJpegLs, TranscodeError, initCodecs } = await import("./transcode.ts");
const { redactPixels, RedactionError } = await import("./redact-pixels.ts");
const { writeOcrImages } = await import("../burned-in/ocr-images.server.ts");
const { storeObjectSync } = await import("../../../platform/storage-sync.server.ts");

/** The bytes' buffer to hand to the main thread: the buffer itself when the bytes are all of it, else a copy of just them. */
const transferable = (bytes) =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes.buffer
    : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);

let renderOpinionPdf;
let rendering;

/** The image encoded as the client asked: baseline JPEG (IJG libjpeg, from dcmjs-codecs) or PNG. */
async function encodeRendered(image, { mediaType, quality }) {
  if (mediaType === "image/png") return rendering.encodePng(image);
  await initCodecs();
  const context = new codecs.Context({
    width: image.width,
    height: image.height,
    bitsAllocated: 8,
    bitsStored: 8,
    samplesPerPixel: image.channels,
    pixelRepresentation: 0,
    planarConfiguration: 0,
    photometricInterpretation: image.channels === 3 ? "RGB" : "MONOCHROME2",
    decodedBuffer: image.pixels,
  });
  const encoded = codecs.NativeCodecs.encodeJpeg(context, { lossy: true, quality }).getEncodedBuffer();
  if (!encoded) throw new Error("JPEG encoding gave nothing");
  return new Uint8Array(encoded);
}

/** A RenderRequest (dicomweb-rendered.ts): drawn and fitted (ok: false when there is nothing to draw), then encoded. */
async function render({ source, frameIndex, options }) {
  rendering ??= {
    renderRaster: (await import("../dicomweb-rendered.ts")).renderRaster,
    encodePng: (await import("../key-images/png.server.ts")).encodePng,
  };
  let image;
  try {
    image = rendering.renderRaster(await readFile(source), frameIndex, options);
  } catch (error) {
    return [{ ok: false, detail: error instanceof Error ? error.message : String(error) }, []];
  }
  const out = transferable(await encodeRendered(image, options));
  return [{ ok: true, bytes: out, width: image.width, height: image.height }, [out]];
}

async function run(task, bytes, ctx, options) {
  if (task === "store") {
    storeObjectSync(bytes, options.tempPath, options.target);
    return [{ ok: true }, []];
  }
  if (task === "ocrImages") return [await writeOcrImages(options), []];
  if (task === "render") return render(options);
  if (task === "renderPdf") {
    renderOpinionPdf ??= (await import("../../opinions/exports/opinion-pdf.server.ts")).renderOpinionPdf;
    const keyImages = options.keyImages.map((k) => ({ ...k, image: Buffer.from(k.image) }));
    const out = transferable(await renderOpinionPdf({ ...options, keyImages }));
    return [{ ok: true, bytes: out }, [out]];
  }
  if (task === "redact") {
    try {
      const out = transferable(redactPixels(bytes, options.rects));
      return [{ ok: true, bytes: out }, [out]];
    } catch (error) {
      if (error instanceof RedactionError) return [{ ok: false, detail: error.message }, []];
      throw error;
    }
  }
  if (task === "transcode" || task === "jpegLs") {
    try {
      const coded = task === "transcode" ? await toExplicitLittleEndian(bytes) : await toJpegLs(bytes, { nearLossless: options?.nearLossless === true });
      if (!coded) return [{ ok: false, detail: "pixels not JPEG-LS codable" }, []];
      const out = transferable(coded);
      return [{ ok: true, bytes: out }, [out]];
    } catch (error) {
      if (error instanceof TranscodeError) return [{ ok: false, detail: error.message }, []];
      throw error;
    }
  }
  const result = prepareInstance(bytes, ctx, task === "prepare" ? "deidentify" : task);
  if (!result.ok) return [result, []];
  const out = transferable(result.bytes);
  return [{ ...result, bytes: out }, [out]];
}

parentPort.on("message", ({ id, task, bytes, ctx, options }) => {
  run(task, new Uint8Array(bytes ?? 0), ctx, options).then(
    ([result, transfer]) => parentPort.postMessage({ id, result }, transfer),
    (error) => parentPort.postMessage({ id, error: String(error && error.stack ? error.stack : error) }),
  );
});

parentPort.postMessage({ ready: true });
