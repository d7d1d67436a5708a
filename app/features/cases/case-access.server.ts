/** The gate of every case route and socket event (the user and the case, or an audited 404), and the audit event of each read or write of a case. */
import type { AppLoadContext } from "@remix-run/node";
import { recordAudit } from "~/features/audit/audit.server";
import type { AuditOutcome } from "~/features/audit/audit-outcomes";
import { denyAccess, requireUser, type CurrentUser } from "~/features/identity/auth.server";
import type { Actor } from "~/features/identity/permissions";
import { getDb, type Db } from "~/platform/db.server";
import { requestMeta, type RequestMeta } from "~/platform/request-meta.server";
import { caseAbilities, type CaseAbilities, type CaseAbility, type CaseFacts } from "./case-access";
import { getCaseFacts, type CaseFactsRow } from "./case-store.server";

/** Who acts on which case, and the request facts their audit events record: what every case step takes. */
export type CaseCaller = { user: CurrentUser; facts: CaseFactsRow; meta: RequestMeta; db?: Db };

/**
 * The signed-in user and the case, when `allowed` (an ability, or a rule of another part such as
 * imaging's) says they may; otherwise an audited 404, so nobody learns whether a case they may not see exists.
 */
export async function requireCase(
  request: Request,
  context: AppLoadContext,
  caseId: string | undefined,
  allowed: CaseAbility | ((actor: Actor, facts: CaseFacts) => boolean) = "view",
): Promise<CaseCaller & { may: CaseAbilities }> {
  const user = await requireUser(request);
  const facts = caseId ? await getCaseFacts(getDb(), caseId) : null;
  const may = facts ? caseAbilities(user, facts) : null;
  const permitted = facts && may && (typeof allowed === "function" ? allowed(user, facts) : may[allowed]);
  if (!facts || !may || !permitted) throw await denyAccess(request, context, user, { caseId: caseId ?? null }, 404);
  return { user, facts, meta: requestMeta(request, context), may };
}

/** Records that the user read or changed the case. */
export function auditCase(input: {
  user: Pick<CurrentUser, "id" | "role">;
  meta: RequestMeta;
  caseId: string;
  action: string;
  outcome?: AuditOutcome;
  details?: Record<string, unknown>;
  db?: Db;
}) {
  const { user, meta, caseId, action, outcome = "success", details = {}, db = getDb() } = input;
  return recordAudit(db, { actor: user, action, outcome, entityType: "Case", entityId: caseId, details, meta });
}
