/**
 * The viewer's decoding worker: parses a WADO-RS answer and decodes its JPEG-LS or JPEG frames (`parseInstanceInBrowser`)
 * off the page's thread, so a stack arriving over the network is decoded while the page draws and scrolls. The pixels
 * move back without a copy.
 */
import { firstPart, parseInstanceInBrowser, type ParsedInstance } from "./dicom-image";

export type DecodeRequest = { id: number; body: ArrayBuffer; contentType: string };
export type DecodeAnswer = { id: number; parsed: ParsedInstance } | { id: number; error: string };

const scope = self as unknown as {
  onmessage: (event: MessageEvent<DecodeRequest>) => Promise<void>;
  postMessage: (message: DecodeAnswer, transfer: Transferable[]) => void;
};

scope.onmessage = async ({ data: { id, body, contentType } }) => {
  try {
    const parsed = await parseInstanceInBrowser(firstPart(new Uint8Array(body), contentType));
    scope.postMessage({ id, parsed }, [parsed.bytes.buffer]);
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) }, []);
  }
};
