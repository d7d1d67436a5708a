// Worker thread that runs prepareInstance (parse, de-identify, validate, encode)
// off the main event loop. Plain ESM so it loads the same way from the Remix
// build, the dev server and the tests; tsx compiles the TypeScript it imports.
import { parentPort } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { prepareInstance } = await import("./prepare-instance.ts");

parentPort.on("message", ({ id, bytes, ctx }) => {
  try {
    const result = prepareInstance(new Uint8Array(bytes), ctx);
    if (result.ok) {
      const out = result.bytes.buffer.slice(result.bytes.byteOffset, result.bytes.byteOffset + result.bytes.byteLength);
      parentPort.postMessage({ id, result: { ...result, bytes: out } }, [out]);
    } else {
      parentPort.postMessage({ id, result });
    }
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.stack ? error.stack : error) });
  }
});
