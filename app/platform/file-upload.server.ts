/**
 * The "file" part of a multipart upload, streamed to a temporary file while
 * it arrives; the other fields stay in memory. The caller owns the staged
 * file (kept in `upload` even when parsing fails later) and discards it.
 */
import {
  unstable_composeUploadHandlers as composeUploadHandlers,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from "@remix-run/node";
import { stageUpload, type StagedFile } from "./storage.server";

export type FileUpload = { staged: StagedFile | null; fileName: string };

export function receiveFilePart(request: Request, maxBytes: number, upload: FileUpload): Promise<FormData> {
  return parseMultipartFormData(
    request,
    composeUploadHandlers(
      async ({ name, filename, data }) => {
        if (name !== "file" || !filename || upload.staged) return undefined;
        upload.fileName = filename;
        upload.staged = await stageUpload(data, maxBytes);
        return "staged";
      },
      createMemoryUploadHandler({ maxPartSize: 10_000 }),
    ),
  );
}

/** A file name fit to store and show: no path separators or control characters, at most 200 characters. */
export function safeFileName(name: string): string {
  return name.replace(/[\\/\u0000-\u001f]/g, "_").slice(0, 200);
}

/** The whole request body, or null once it grows past `limit` bytes (declared or not): nothing beyond the limit is read. */
export async function readBodyCapped(request: Request, limit: number): Promise<Buffer | null> {
  if (Number(request.headers.get("content-length") ?? 0) > limit) return null;
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
