import { caseScope } from "~/features/cases/case-access";
import { CANCER_TYPES } from "~/features/cases/clinical-vocabulary";
import { CASE_STATUSES } from "~/features/cases/case-lifecycle";
import { turnaround } from "~/features/cases/turnaround";
import { listCases, type CaseListSort } from "~/features/cases/case-store.server";
import type { CurrentUser } from "~/features/identity/auth.server";
import { getDb } from "~/platform/db.server";

const PAGE_SIZE = 25;
const SORTS: CaseListSort[] = ["updated", "due", "submitted", "code"];
const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | undefined => (allowed.includes(value as T) ? (value as T) : undefined);

/** A role's case list from the URL's filters; shared by /cases, /queue and /board. */
export async function loadCaseList(request: Request, user: CurrentUser, defaults: { status?: string } = {}) {
  const params = new URL(request.url).searchParams;
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const filter = {
    status: pick(params.has("status") ? params.get("status") : (defaults.status ?? null), CASE_STATUSES),
    cancerType: pick(params.get("cancerType"), CANCER_TYPES),
    institutionId: params.get("institution") || undefined,
    due: pick(params.get("due"), ["overdue", "week"] as const),
    q: params.get("q")?.slice(0, 100) || undefined,
  };
  const sort = pick(params.get("sort"), SORTS) ?? "updated";
  const db = getDb();
  const scope = caseScope(user);
  const now = new Date();
  const { rows, total } = await listCases(db, scope, filter, sort, page, PAGE_SIZE, now);
  const institutions =
    scope.kind === "submitted" || scope.kind === "metadataOnly"
      ? await db.institution.findMany({ where: { kind: "TREATING" }, select: { id: true, nameEn: true, nameZh: true }, orderBy: { nameEn: "asc" } })
      : [];
  return {
    rows: rows.map((row) => ({ ...row, clock: turnaround({ status: row.status as (typeof CASE_STATUSES)[number], submittedAt: row.submittedAt, dueAt: row.dueAt }, now) })),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    filter: { ...filter, status: filter.status ?? "", sort },
    institutions,
    clinical: scope.kind !== "metadataOnly",
    timeZone: user.timeZone,
  };
}
