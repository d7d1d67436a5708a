/** One version of a case's opinion for its exports (PDF, FHIR): only a signed version, only for someone who may read it; otherwise an audited 404. */
import type { AppLoadContext } from "@remix-run/node";
import { canReadOpinion } from "~/features/opinions/opinion-access";
import { listOpinionVersions } from "~/features/opinions/opinion-store.server";
import { denyAccess } from "~/features/identity/auth.server";
import { requireCase } from "~/features/cases/case-access.server";
import { getDb } from "~/platform/db.server";

export async function requireSignedOpinion(request: Request, context: AppLoadContext, caseId: string | undefined, opinionId: string | undefined) {
  const caller = await requireCase(request, context, caseId);
  const { user, facts } = caller;
  const versions = await listOpinionVersions(getDb(), facts.id);
  const opinion = versions.find((v) => v.id === opinionId);
  if (!opinion || !opinion.contentHash || !canReadOpinion(user, facts, opinion))
    throw await denyAccess(request, context, user, { caseId: facts.id, opinionId: opinionId ?? null }, 404);
  return { ...caller, opinion, versions };
}
