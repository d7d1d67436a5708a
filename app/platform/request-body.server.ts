/**
 * Reading request bodies, always under a cap: forms (readForm), one file streamed to disk beside a few fields
 * (receiveFilePart), and raw bodies (readBodyCapped).
 */
import {
  unstable_composeUploadHandlers as composeUploadHandlers,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from "@remix-run/node";
import { FileTooLargeError, stageUpload, type StagedFile } from "./storage.server";
import { FORM_LIMITS, formShapeProblem } from "./form-limits";

export type FileUpload = { staged: StagedFile | null; fileName: string };

const MAX_OTHER_PARTS = 50;

/**
 * The "file" part of a multipart upload, streamed to a temporary file while it arrives; the other fields (at most 50, 10 kB
 * each) stay in memory. The caller owns the staged file (kept in `upload` even when parsing fails later) and discards it.
 */
export async function receiveFilePart(request: Request, maxBytes: number, upload: FileUpload): Promise<FormData> {
  let parts = 0;
  const form = await parseMultipartFormData(
    request,
    composeUploadHandlers(
      async ({ name, filename, data }) => {
        if (++parts > MAX_OTHER_PARTS + 1) throw badForm(400, `more than ${MAX_OTHER_PARTS} fields beside the file`);
        if (name !== "file" || !filename || upload.staged) return undefined;
        upload.fileName = filename;
        upload.staged = await stageUpload(data, maxBytes);
        return "staged";
      },
      createMemoryUploadHandler({ maxPartSize: 10_000 }),
    ),
  ).catch(malformedMultipart);
  checkFormShape(form);
  return form;
}

/** The multipart parser's own complaints (bad headers, a field over 10 kB) are the client's fault: 400 or 413. System errors (disk full) and our own refusals pass through. */
function malformedMultipart(error: unknown): never {
  if (error instanceof Response || error instanceof FileTooLargeError || !(error instanceof Error) || "code" in error) throw error;
  if (error.name === "MaxPartSizeExceededError") throw badForm(413, "a field beside the file is larger than 10 kB");
  throw badForm(400, "malformed multipart body");
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

/** The one way an action reads a form: the body capped before it is read, the fields' shape checked before they are parsed. */
export const badForm = (status: 400 | 413, reason: string) =>
  new Response(`Bad form: ${reason}`, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/** Throws 413 for a body over the form limit and 400 for a malformed or oversized form shape. */
export async function readForm(request: Request): Promise<FormData> {
  const body = await readBodyCapped(request, FORM_LIMITS.bytes);
  if (!body) throw badForm(413, "too large");
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), {
      headers: { "Content-Type": request.headers.get("content-type") ?? "application/x-www-form-urlencoded" },
    }).formData();
  } catch {
    throw badForm(400, "not a form");
  }
  checkFormShape(form);
  return form;
}

export function checkFormShape(form: FormData): void {
  const problem = formShapeProblem(form.keys());
  if (problem) throw badForm(400, problem);
}

/** A JSON object body of at most `limit` bytes; throws 413 when larger and 400 when it is not a JSON object. */
export async function readJsonObject(request: Request, limit = 64 * 1024): Promise<Record<string, unknown>> {
  const body = await readBodyCapped(request, limit);
  if (!body) throw badForm(413, "too large");
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw badForm(400, "not a JSON object");
}
