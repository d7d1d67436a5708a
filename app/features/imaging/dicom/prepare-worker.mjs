// Worker thread for the CPU-heavy DICOM work, off the main event loop:
// "prepare" runs prepareInstance (parse, de-identify, validate, encode), "check"
// runs it on a file the uploader's browser de-identified (check, validate),
// "transcode" decodes a stored instance to Explicit VR Little Endian,
// "ocrImages" writes the PNG images OCR reads of a decoded instance's frames
// "redact" blacks out rectangles of a decoded instance, and "renderPdf" renders
// a signed opinion's bilingual PDF (loaded on first use). Plain
// ESM so it loads the same way from the Remix build, the dev server and the
// tests; tsx compiles the TypeScript it imports.
import { parentPort } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { prepareInstance } = await import("./prepare-instance.ts");
const { toExplicitLittleEndian, TranscodeError } = await import("./transcode.ts");
const { redactPixels, RedactionError } = await import("./redact-pixels.ts");
const { writeOcrImages } = await import("../burned-in/ocr-images.server.ts");

const transferable = (bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);

let renderOpinionPdf;

async function run(task, bytes, ctx, options) {
  if (task === "ocrImages") return [await writeOcrImages(options), []];
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
  if (task === "transcode") {
    try {
      const out = transferable(await toExplicitLittleEndian(bytes));
      return [{ ok: true, bytes: out }, [out]];
    } catch (error) {
      if (error instanceof TranscodeError) return [{ ok: false, detail: error.message }, []];
      throw error;
    }
  }
  const result = prepareInstance(bytes, ctx, task === "check");
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
