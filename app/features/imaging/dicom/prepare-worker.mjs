// Worker thread for the CPU-heavy DICOM work, off the main event loop:
// "prepare" runs prepareInstance (parse, de-identify, validate, encode), "check"
// runs it on a file the uploader's browser de-identified (check, validate), and
// "transcode" decodes a stored instance to Explicit VR Little Endian. Plain
// ESM so it loads the same way from the Remix build, the dev server and the
// tests; tsx compiles the TypeScript it imports.
import { parentPort } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { prepareInstance } = await import("./prepare-instance.ts");
const { toExplicitLittleEndian, TranscodeError } = await import("./transcode.ts");

const transferable = (bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);

async function run(task, bytes, ctx) {
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

parentPort.on("message", ({ id, task, bytes, ctx }) => {
  run(task, new Uint8Array(bytes), ctx).then(
    ([result, transfer]) => parentPort.postMessage({ id, result }, transfer),
    (error) => parentPort.postMessage({ id, error: String(error && error.stack ? error.stack : error) }),
  );
});
