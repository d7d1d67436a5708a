/**
 * The secrets and offsets de-identification runs with. Each case has its own
 * UID secret and date shift; each institution has an inbox context, derived
 * from an installation secret, for PACS studies not yet attached to a case.
 */
import { createHmac, randomBytes, randomInt } from "node:crypto";
import type { DeidContext } from "~/features/imaging/dicom/deidentify";
import type { Db } from "~/platform/db.server";
import { installationSecret } from "~/platform/installation-secrets.server";

/** PatientName and PatientID of a study waiting in an inbox. */
export const INBOX_PATIENT_CODE = "INBOX";

export async function institutionDeidContext(db: Db, institutionId: string): Promise<DeidContext> {
  const digest = createHmac("sha256", await installationSecret(db, "institution-deid"))
    .update(institutionId)
    .digest();
  return {
    caseCode: INBOX_PATIENT_CODE,
    uidSecret: digest.toString("hex"),
    dateShiftDays: -(30 + (digest.readUInt32BE(0) % 366)),
  };
}

/** A case's context never changes once made, so each database client reads it once. */
const contextsOf = new WeakMap<Db, Map<string, DeidContext>>();

/** Each case gets its own UID secret and date shift (30 to 395 days back), made once. */
export async function caseDeidContext(db: Db, caseId: string): Promise<DeidContext> {
  const known = contextsOf.get(db) ?? new Map<string, DeidContext>();
  contextsOf.set(db, known);
  let ctx = known.get(caseId);
  if (!ctx) {
    ctx = await loadCaseDeidContext(db, caseId);
    if (known.size >= 10_000) known.delete(known.keys().next().value!);
    known.set(caseId, ctx);
  }
  return ctx;
}

async function loadCaseDeidContext(db: Db, caseId: string): Promise<DeidContext> {
  const select = {
    code: true,
    institutionId: true,
    imagingSecret: true,
    imagingDateShiftDays: true,
  } as const;
  let c = await db.case.findUniqueOrThrow({ where: { id: caseId }, select });
  if (!c.imagingSecret) {
    // Conditional on the secret still being empty, so two first uploads agree on one secret.
    await db.case.updateMany({
      where: { id: caseId, imagingSecret: null },
      data: {
        imagingSecret: randomBytes(32).toString("hex"),
        imagingDateShiftDays: -randomInt(30, 396),
      },
    });
    c = await db.case.findUniqueOrThrow({ where: { id: caseId }, select });
  }
  const institution = await institutionDeidContext(db, c.institutionId);
  return {
    caseCode: c.code,
    uidSecret: c.imagingSecret!,
    institutionUidSecret: institution.uidSecret,
    dateShiftDays: c.imagingDateShiftDays!,
  };
}
