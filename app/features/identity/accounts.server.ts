/**
 * Account administration: saving users and institutions with the checks that
 * need the database, the audit trail, and immediate revocation of sessions
 * when an account or institution is disabled.
 */
import type { InstitutionInput, UserInput } from "~/features/identity/account-schemas";
import { institutionMismatch } from "~/features/identity/institutions";
import { randomUUID } from "node:crypto";
import { disconnectSessions, notifyUser } from "~/realtime/io.server";
import { createInstitution, getInstitution, updateInstitution } from "~/features/identity/institution-store.server";
import { createUser, findUserByEmail, getUserForEdit, updateUser } from "~/features/identity/user-store.server";
import { recordAudit, type AuditActor } from "~/features/audit/audit.server";
import type { Db } from "~/platform/db.server";
import type { RequestMeta } from "~/platform/request-meta.server";
import { destroyUserSessions } from "./session.server";

type FieldErrors = Record<string, string[]>;
export type SaveResult = { ok: true; id: string } | { ok: false; fieldErrors: FieldErrors };

export async function saveUser(db: Db, actor: NonNullable<AuditActor>, userId: string | null, input: UserInput, meta: RequestMeta): Promise<SaveResult> {
  const fieldErrors: FieldErrors = {};
  const institution = input.institutionId ? await getInstitution(db, input.institutionId) : null;
  if (input.institutionId && !institution) fieldErrors.institutionId = ["admin:errors.institutionRequired"];
  const mismatch = institutionMismatch(input.role, institution);
  if (mismatch) fieldErrors.institutionId = [mismatch];
  const sameEmail = await findUserByEmail(db, input.email);
  if (sameEmail && sameEmail.id !== userId) fieldErrors.email = ["admin:errors.emailTaken"];
  if (userId === actor.id && (!input.active || input.role !== "ADMIN")) fieldErrors.active = ["admin:errors.cannotDemoteSelf"];
  if (!userId && !input.password) fieldErrors.password = ["admin:errors.passwordTooShort"];
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };

  const before = userId ? await getUserForEdit(db, userId) : null;
  const saved = userId ? (await updateUser(db, userId, input))[1] : await createUser(db, { ...input, password: input.password! });
  const changed = before ? changedFields(before, input) : Object.keys(input).filter((k) => k !== "password");
  if (input.password && before) changed.push("password");

  let revokedSessions = 0;
  if (before && (!input.active || input.password || before.role !== input.role)) {
    revokedSessions = await endSessionsOf(db, [saved.id]);
  } else if (before) {
    notifyUser(saved.id, { id: randomUUID(), kind: "accountChanged", messageKey: "common:realtime.accountChanged", createdAt: new Date().toISOString() });
  }
  await recordAudit(db, {
    actor,
    action: before ? "user.update" : "user.create",
    outcome: "success",
    entityType: "User",
    entityId: saved.id,
    details: { email: saved.email, role: saved.role, active: saved.active, changed, revokedSessions },
    meta,
  });
  return { ok: true, id: saved.id };
}

/** Signs the users out everywhere at once: sessions deleted, their sockets disconnected. */
async function endSessionsOf(db: Db, userIds: string[]): Promise<number> {
  let ended = 0;
  for (const userId of userIds) {
    const sessionIds = await destroyUserSessions(db, userId);
    disconnectSessions(sessionIds);
    ended += sessionIds.length;
  }
  return ended;
}

function changedFields(before: Record<string, unknown>, after: UserInput): string[] {
  return (Object.keys(after) as (keyof UserInput)[]).filter((key) => {
    if (key === "password") return false;
    const old = key === "institutionId" ? (before.institutionId ?? "") : before[key];
    return JSON.stringify(Array.isArray(old) ? [...old].sort() : old) !== JSON.stringify(Array.isArray(after[key]) ? [...(after[key] as string[])].sort() : (after[key] ?? ""));
  });
}

export async function saveInstitution(db: Db, actor: NonNullable<AuditActor>, institutionId: string | null, input: InstitutionInput, meta: RequestMeta): Promise<SaveResult> {
  const before = institutionId ? await getInstitution(db, institutionId) : null;
  if (before && before.kind !== input.kind) {
    const members = await db.user.count({ where: { institutionId: before.id, role: { in: ["TREATING_PHYSICIAN", "CONSULTANT"] } } });
    if (members > 0) return { ok: false, fieldErrors: { kind: ["admin:errors.kindHasMembers"] } };
  }
  const saved = institutionId ? await updateInstitution(db, institutionId, input) : await createInstitution(db, input);
  let revokedSessions = 0;
  if (before?.active && !input.active) {
    const members = await db.user.findMany({ where: { institutionId: saved.id }, select: { id: true } });
    revokedSessions = await endSessionsOf(db, members.map((m) => m.id));
  }
  await recordAudit(db, {
    actor,
    action: before ? "institution.update" : "institution.create",
    outcome: "success",
    entityType: "Institution",
    entityId: saved.id,
    details: { nameEn: saved.nameEn, kind: saved.kind, active: saved.active, revokedSessions },
    meta,
  });
  return { ok: true, id: saved.id };
}
