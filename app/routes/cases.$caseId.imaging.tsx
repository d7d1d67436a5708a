import {
  unstable_parseMultipartFormData as parseMultipartFormData,
  type ActionFunctionArgs,
} from "@remix-run/node";
import { REJECTION_KEYS } from "~/features/imaging/dicom/rejection-keys";
import { canAddImaging } from "~/features/cases/case-access";
import { auditCase, requireCase } from "~/features/cases/case-workflow.server";
import { getDb } from "~/platform/db.server";
import { ingestDicom, maxDicomFileBytes, type IngestResult } from "~/features/imaging/imaging-ingest.server";
import { requestMeta } from "~/platform/request-meta.server";

class FileTooLarge extends Error {}

/** DICOM upload (JSON): each file part is de-identified and stored on its own; the answer lists every file's result. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, facts } = await requireCase(request, context, params.caseId, canAddImaging);
  const db = getDb();
  const results: IngestResult[] = [];
  try {
    await parseMultipartFormData(request, async ({ name, filename, data }) => {
      if (name !== "files" || !filename) return undefined;
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of data) {
        size += chunk.length;
        if (size > maxDicomFileBytes()) throw new FileTooLarge(filename);
        chunks.push(chunk);
      }
      results.push(await ingestDicom(db, facts.id, Buffer.concat(chunks), filename));
      return undefined;
    });
  } catch (error) {
    if (!(error instanceof FileTooLarge)) throw error;
    results.push({ fileName: error.message, status: "rejected", reasonKey: REJECTION_KEYS.fileTooLarge });
  }
  if (results.length === 0) return Response.json({ error: "imaging:upload.noFiles" }, { status: 400 });
  await auditCase(db, user, "imaging.upload", facts.id, requestMeta(request, context), {
    stored: results.filter((r) => r.status === "stored").length,
    duplicate: results.filter((r) => r.status === "duplicate").length,
    rejected: results.filter((r) => r.status === "rejected").map((r) => ({ file: r.fileName, reason: r.reasonKey })),
  });
  return Response.json({ results }, { status: results.some((r) => r.status !== "rejected") ? 200 : 422 });
}
