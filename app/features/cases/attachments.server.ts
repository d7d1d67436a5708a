import { Readable } from "node:stream";
import { ATTACHMENT_KINDS } from "~/features/cases/clinical-vocabulary";
import { detectFileType } from "~/platform/file-type";
import type { Db } from "~/platform/db.server";
import { env } from "~/platform/env.server";
import { receiveFilePart, safeFileName, type FileUpload } from "~/platform/file-upload.server";
import { commitStaged, discardStaged, FileTooLargeError, readObject } from "~/platform/storage.server";

const ATTACHMENT_TYPES: readonly string[] = ["application/pdf", "image/jpeg", "image/png"];

export const maxAttachmentBytes = () => env("ATTACHMENT_MAX_MB") * 1024 * 1024;

export type UploadOutcome =
  | { ok: true; attachment: { id: string; fileName: string; kind: string; size: number; mimeType: string; createdAt: Date } }
  | { ok: false; status: number; errorKey: string };

/**
 * Streams one multipart upload to a temporary file, checks its type by
 * content, stores it by hash and only then records it. Whatever fails or is
 * aborted, nothing is left behind: no temporary file, no row.
 */
export async function receiveAttachment(db: Db, request: Request, caseId: string, uploadedById: string): Promise<UploadOutcome> {
  if (!request.headers.get("content-type")?.startsWith("multipart/form-data")) return { ok: false, status: 400, errorKey: "cases:attachments.errors.noFile" };
  const upload: FileUpload = { staged: null, fileName: "attachment" };
  try {
    const form = await receiveFilePart(request, maxAttachmentBytes(), upload);
    const file = upload.staged;
    if (!file) return { ok: false, status: 400, errorKey: "cases:attachments.errors.noFile" };
    if (file.size === 0) return { ok: false, status: 400, errorKey: "cases:attachments.errors.empty" };
    const type = detectFileType(file.head);
    if (!type || !ATTACHMENT_TYPES.includes(type.mimeType)) return { ok: false, status: 415, errorKey: "cases:attachments.errors.type" };
    const kind = String(form.get("kind") ?? "");
    await commitStaged(file);
    upload.staged = null;
    const attachment = await db.attachment.create({
      data: {
        caseId,
        kind: (ATTACHMENT_KINDS as readonly string[]).includes(kind) ? kind : "OTHER",
        fileName: safeFileName(upload.fileName),
        mimeType: type.mimeType,
        size: file.size,
        sha256: file.sha256,
        uploadedById,
      },
      select: { id: true, fileName: true, kind: true, size: true, mimeType: true, createdAt: true },
    });
    return { ok: true, attachment };
  } catch (error) {
    if (error instanceof FileTooLargeError) return { ok: false, status: 413, errorKey: "cases:attachments.errors.tooLarge" };
    throw error;
  } finally {
    await discardStaged(upload.staged);
  }
}

export function attachmentStream(sha256: string) {
  return Readable.toWeb(readObject(sha256)) as ReadableStream<Uint8Array>;
}
