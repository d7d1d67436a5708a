/** Packet attachments (reports as PDF, JPEG or PNG): upload by the treating side, download by everyone who sees the case; both audited. */
import { Readable } from "node:stream";
import { ATTACHMENT_KINDS } from "~/features/cases/clinical-vocabulary";
import { detectFileType } from "~/platform/file-type";
import { getDb, type Db } from "~/platform/db.server";
import { env } from "~/platform/env.server";
import { receiveFilePart, safeFileName, type FileUpload } from "~/platform/request-body.server";
import { commitStaged, discardStaged, FileTooLargeError, readObject } from "~/platform/storage.server";
import { caseAbilities } from "./case-access";
import { requireCsrf } from "~/features/identity/csrf.server";
import { refuseRawGenomicData, type RawGenomicRefusal } from "./genomic-data";
import { findIdentifiers } from "./identifier-check";
import { auditCase, type CaseCaller } from "./case-access.server";

const ATTACHMENT_TYPES: readonly string[] = ["application/pdf", "image/jpeg", "image/png"];

export const maxAttachmentBytes = () => env("ATTACHMENT_MAX_MB") * 1024 * 1024;

export type UploadOutcome =
  | { ok: true; attachment: { id: string; fileName: string; kind: string; size: number; mimeType: string; createdAt: Date } }
  | { ok: false; status: number; errorKey: string }
  | RawGenomicRefusal;

/**
 * Streams one multipart upload to a temporary file, checks its type by
 * content, stores it by hash and only then records it. Whatever fails or is
 * aborted, nothing is left behind: no temporary file, no row.
 */
async function receiveAttachment(db: Db, request: Request, caseId: string, uploadedById: string): Promise<UploadOutcome> {
  if (!request.headers.get("content-type")?.startsWith("multipart/form-data")) return { ok: false, status: 400, errorKey: "cases:attachments.errors.noFile" };
  const upload: FileUpload = { staged: null, fileName: "attachment" };
  try {
    const form = await receiveFilePart(request, maxAttachmentBytes(), upload);
    await requireCsrf(request, form);
    const file = upload.staged;
    if (!file) return { ok: false, status: 400, errorKey: "cases:attachments.errors.noFile" };
    if (file.size === 0) return { ok: false, status: 400, errorKey: "cases:attachments.errors.empty" };
    const genomic = refuseRawGenomicData(file.head);
    if (genomic) return genomic;
    if (findIdentifiers(upload.fileName).length > 0) return { ok: false, status: 422, errorKey: "cases:errors.identifierInFileName" };
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

/** The treating side adds a file to the packet while it is theirs to change. */
export async function uploadAttachment({ user, facts, meta, request, db = getDb() }: CaseCaller & { request: Request }): Promise<UploadOutcome> {
  if (!caseAbilities(user, facts).uploadAttachment) return { ok: false, status: 403, errorKey: "cases:errors.actionNotAllowed" };
  const outcome = await receiveAttachment(db, request, facts.id, user.id);
  if (outcome.ok) {
    const { id, kind, size } = outcome.attachment;
    await auditCase({ db, user, meta, caseId: facts.id, action: "attachment.upload", details: { attachmentId: id, kind, size } });
  } else if ("rawGenomicFormat" in outcome) {
    await auditCase({
      db,
      user,
      meta,
      caseId: facts.id,
      action: "attachment.upload",
      outcome: "denied",
      details: { reason: "rawGenomicData", format: outcome.rawGenomicFormat },
    });
  }
  return outcome;
}

/** One of the case's attachments and its bytes, for someone who sees the case; null when the case has no such attachment. */
export async function openAttachment({ user, facts, meta, attachmentId, db = getDb() }: CaseCaller & { attachmentId: string }) {
  if (!caseAbilities(user, facts).view) return null;
  const attachment = await db.attachment.findFirst({ where: { id: attachmentId, caseId: facts.id } });
  if (!attachment) return null;
  await auditCase({ db, user, meta, caseId: facts.id, action: "attachment.download", details: { attachmentId: attachment.id } });
  return { attachment, body: Readable.toWeb(readObject(attachment.sha256)) as ReadableStream<Uint8Array> };
}
