/**
 * The institution inbox: a PACS study that matches no case is de-identified
 * with the institution's inbox context, stored, and waits until one of that
 * institution's physicians attaches it to a case (by hand, or by entering the
 * case's linkage key). Attaching applies the case's context on top, so the
 * result is the same as if the study had been sent to the case directly.
 */
import { readFile } from "node:fs/promises";
import { imagingAbilities } from "~/features/imaging/imaging-access";
import { REJECTION_KEYS } from "~/features/imaging/dicom/rejection-keys";
import type { PreparedFile } from "~/features/imaging/dicom/prepare-instance";
import { getCaseFacts } from "~/features/cases/case-store.server";
import { recordAudit } from "~/features/audit/audit.server";
import type { CurrentUser } from "~/features/identity/auth.server";
import { can } from "~/features/identity/permissions";
import { getDb, type Db, isUniqueViolation } from "~/platform/db.server";
import { institutionDeidContext } from "./deid-context.server";
import { prepareInWorker } from "./dicom-workers.server";
import { imagingQuotaBytes, ingestDicom, type IngestResult } from "./imaging-ingest.server";
import { linkageHash } from "./linkage.server";
import type { RequestMeta } from "~/platform/request-meta.server";
import { objectPath, storeThenRecord } from "~/platform/storage.server";
import { removeUnreferencedObjects } from "./imaging-store.server";

export type LinkageHashes = { accessionHash: string | null; patientIdHash: string | null };

/** An original from the institution's PACS (the platform's own C-STORE SCP): de-identified here with the inbox context, then kept. */
export async function receiveIntoInbox(db: Db, institutionId: string, callingAeTitle: string, bytes: Uint8Array, fileName: string): Promise<IngestResult> {
  const prepared = await prepareInWorker(bytes, await institutionDeidContext(db, institutionId));
  if (!prepared.ok) return { fileName, status: "rejected", reasonKey: REJECTION_KEYS[prepared.reason], detail: prepared.detail };
  const { linkage } = prepared;
  const hashes = {
    accessionHash: linkage.accessionNumber ? await linkageHash(db, institutionId, linkage.accessionNumber) : null,
    patientIdHash: linkage.patientId ? await linkageHash(db, institutionId, linkage.patientId) : null,
  };
  return keepInInbox(db, { institutionId, source: callingAeTitle, prepared, hashes, fileName });
}

/** Keeps a file de-identified with the institution's inbox context, under the institution's quota; a file already kept is a duplicate. */
export async function keepInInbox(
  db: Db,
  {
    institutionId,
    source,
    prepared,
    hashes,
    fileName,
  }: { institutionId: string; source: string; prepared: PreparedFile; hashes: LinkageHashes; fileName: string },
): Promise<IngestResult> {
  const { index } = prepared;
  const ids = {
    sopInstanceUid: index.sopInstanceUid,
    seriesInstanceUid: index.seriesInstanceUid,
  };

  const used = await db.inboxInstance.aggregate({
    _sum: { size: true },
    where: { study: { institutionId } },
  });
  if ((used._sum.size ?? 0) + prepared.bytes.length > imagingQuotaBytes()) return { fileName, status: "rejected", reasonKey: REJECTION_KEYS.quota };

  try {
    await storeThenRecord(prepared.bytes, prepared.sha256, (sha256) =>
      db.$transaction(async (tx) => {
        const study = await tx.inboxStudy.upsert({
          where: {
            institutionId_studyInstanceUid: {
              institutionId,
              studyInstanceUid: index.studyInstanceUid,
            },
          },
          create: {
            institutionId,
            studyInstanceUid: index.studyInstanceUid,
            callingAeTitle: source,
            description: index.studyDescription,
            ...hashes,
          },
          update: { callingAeTitle: source },
        });
        await tx.inboxInstance.create({
          data: {
            studyId: study.id,
            ...ids,
            modality: index.modality,
            sha256,
            size: prepared.bytes.length,
          },
        });
      }),
    );
    return { fileName, status: "stored", ...ids };
  } catch (error) {
    if (isUniqueViolation(error)) return { fileName, status: "duplicate", ...ids };
    throw error;
  }
}

/** Who acts on their institution's inbox, and the request facts their audit events record: what every inbox step takes. */
type InboxCaller = { user: CurrentUser; meta: RequestMeta; db?: Db };

/** The inbox of the physician's own institution, newest first; only the studies matching the linkage key, when one is given. */
async function listInbox({ user, linkageKey, db }: { user: CurrentUser; linkageKey?: string; db: Db }) {
  if (!user.institutionId || !can(user, "imaging.inbox")) return [];
  const hash = linkageKey ? await linkageHash(db, user.institutionId, linkageKey) : null;
  const studies = await db.inboxStudy.findMany({
    where: {
      institutionId: user.institutionId,
      ...(hash ? { OR: [{ accessionHash: hash }, { patientIdHash: hash }] } : {}),
    },
    orderBy: { receivedAt: "desc" },
    select: {
      id: true,
      callingAeTitle: true,
      description: true,
      receivedAt: true,
      updatedAt: true,
      instances: { select: { seriesInstanceUid: true, modality: true } },
    },
  });
  return studies.map(({ instances, ...study }) => ({
    ...study,
    modalities: [...new Set(instances.map((i) => i.modality).filter((m): m is string => Boolean(m)))].sort(),
    seriesCount: new Set(instances.map((i) => i.seriesInstanceUid)).size,
    instanceCount: instances.length,
  }));
}

/** The inbox page: the waiting studies (the view is audited) and the institution's cases a study may be attached to. */
export async function loadInboxPage({ user, meta, db = getDb() }: InboxCaller) {
  const studies = await listInbox({ user, db });
  await recordAudit(db, {
    actor: user,
    action: "inbox.view",
    outcome: "success",
    entityType: "Institution",
    entityId: user.institutionId,
    details: { studies: studies.length },
    meta,
  });
  const cases = await db.case.findMany({
    where: {
      institutionId: user.institutionId ?? "",
      status: { not: "WITHDRAWN" },
    },
    orderBy: { createdAt: "desc" },
    select: { id: true, code: true, status: true },
  });
  return { studies, cases, timeZone: user.timeZone };
}

/** The ids of the inbox studies whose accession number or patient ID matches the key the physician typed; the search is audited. */
export async function findInboxStudies({ user, meta, linkageKey, db = getDb() }: InboxCaller & { linkageKey: string }): Promise<string[]> {
  const matches = await listInbox({ user, linkageKey, db });
  await recordAudit(db, {
    actor: user,
    action: "inbox.find",
    outcome: "success",
    entityType: "Institution",
    entityId: user.institutionId,
    details: { matches: matches.length },
    meta,
  });
  return matches.map((m) => m.id);
}

export type InboxOutcome = { ok: true; stored: number; duplicate: number; rejected: number } | { ok: false; status: 404 };

/** A study of the physician's own institution's inbox, or null. */
function ownStudy(db: Db, user: CurrentUser, studyId: string) {
  if (!user.institutionId || !can(user, "imaging.inbox")) return null;
  return db.inboxStudy.findFirst({
    where: { id: studyId, institutionId: user.institutionId },
    include: {
      instances: { select: { id: true, sopInstanceUid: true, sha256: true } },
    },
  });
}

async function removeInstances(db: Db, instances: { id: string; sha256: string }[]) {
  await db.inboxInstance.deleteMany({
    where: { id: { in: instances.map((i) => i.id) } },
  });
  await removeUnreferencedObjects(
    db,
    instances.map((i) => i.sha256),
  );
}

/** Moves an inbox study into a case of the same institution that the physician may add imaging to. */
export async function attachInboxStudy({
  user,
  meta,
  studyId,
  caseId,
  db = getDb(),
}: InboxCaller & { studyId: string; caseId: string }): Promise<InboxOutcome> {
  const study = await ownStudy(db, user, studyId);
  const facts = await getCaseFacts(db, caseId);
  if (!study || !facts || facts.institutionId !== study.institutionId || !imagingAbilities(user, facts).addImaging) {
    await recordAudit(db, {
      actor: user,
      action: "inbox.attach",
      outcome: "denied",
      details: { studyId, caseId },
      meta,
    });
    return { ok: false, status: 404 };
  }
  const inboxContext = await institutionDeidContext(db, study.institutionId);
  const results: IngestResult[] = [];
  const moved: { id: string; sha256: string }[] = [];
  for (const instance of study.instances) {
    const result = await ingestDicom(db, caseId, await readFile(objectPath(instance.sha256)), instance.sopInstanceUid, { inbox: inboxContext });
    results.push(result);
    if (result.status !== "rejected") moved.push(instance);
  }
  await removeInstances(db, moved);
  if (moved.length === study.instances.length) await db.inboxStudy.delete({ where: { id: study.id } });
  const count = (status: IngestResult["status"]) => results.filter((r) => r.status === status).length;
  const outcome = {
    ok: true as const,
    stored: count("stored"),
    duplicate: count("duplicate"),
    rejected: count("rejected"),
  };
  await recordAudit(db, {
    actor: user,
    action: "inbox.attach",
    outcome: "success",
    entityType: "Case",
    entityId: caseId,
    details: { studyId, ...outcome },
    meta,
  });
  return outcome;
}

/** Inbox studies of the case's institution whose accession number or patient ID hashes to the case's linkage key. */
export async function attachMatchingInboxStudies({
  user,
  meta,
  caseId,
  linkageKeyHash,
  db = getDb(),
}: InboxCaller & { caseId: string; linkageKeyHash: string }) {
  if (!user.institutionId) return 0;
  const matches = await db.inboxStudy.findMany({
    where: {
      institutionId: user.institutionId,
      OR: [{ accessionHash: linkageKeyHash }, { patientIdHash: linkageKeyHash }],
    },
    select: { id: true },
  });
  let attached = 0;
  for (const match of matches) if ((await attachInboxStudy({ user, meta, studyId: match.id, caseId, db })).ok) attached++;
  return attached;
}

/** Discards a study the PACS sent by mistake. */
export async function discardInboxStudy({ user, meta, studyId, db = getDb() }: InboxCaller & { studyId: string }): Promise<boolean> {
  const study = await ownStudy(db, user, studyId);
  if (!study) {
    await recordAudit(db, {
      actor: user,
      action: "inbox.discard",
      outcome: "denied",
      details: { studyId },
      meta,
    });
    return false;
  }
  await removeInstances(db, study.instances);
  await db.inboxStudy.delete({ where: { id: study.id } });
  await recordAudit(db, {
    actor: user,
    action: "inbox.discard",
    outcome: "success",
    details: { studyId, instances: study.instances.length },
    meta,
  });
  return true;
}
