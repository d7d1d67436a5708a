/** The case lists of /cases, /queue and /board: who may open each, and a page of it from the URL's filters. */
import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { caseScope } from "~/features/cases/case-access";
import { histologyValue, siteValue } from "~/features/cases/clinical-codes";
import { packetTexts, packetTranslation } from "~/features/cases/packet-texts";
import { textTranslations } from "~/features/translation/text-translations.server";
import { CANCER_TYPES } from "~/features/cases/clinical-vocabulary";
import { CASE_STATUSES, type CaseStatus } from "~/features/cases/case-lifecycle";
import { turnaround } from "~/features/cases/turnaround";
import { listCases, type CaseListSort } from "~/features/cases/case-store.server";
import { denyAccess, requireUser, type CurrentUser } from "~/features/identity/auth.server";
import { can, type Permission } from "~/features/identity/permissions";
import { getDb, type Db } from "~/platform/db.server";
import { filterChoice, pageNumber, parseQuery } from "~/platform/query-params";

const PAGE_SIZE = 25;
const SORTS = ["updated", "due", "submitted", "code"] as const satisfies readonly CaseListSort[];

export type CaseListKind = "cases" | "queue" | "board";

/** Each list: the permissions that open it (any one does) and the status it shows until the user picks one. */
const CASE_LISTS: Record<CaseListKind, { permissions: readonly [Permission, ...Permission[]]; defaultStatus?: CaseStatus }> = {
  /** A physician's institution's cases, or an admin's list of case metadata. */
  cases: { permissions: ["cases.viewInstitution", "cases.viewMetadata"] },
  queue: { permissions: ["cases.viewAssigned"] },
  /** The coordinator's board opens on the triage queue: submitted cases waiting for assignment. */
  board: { permissions: ["cases.viewBoard"], defaultStatus: "SUBMITTED" },
};

/** The list's filters from the URL; a value outside the choices is no filter. A `status` present but blank means any status. */
function caseListQuery(defaultStatus: CaseStatus | undefined) {
  return z.object({
    page: pageNumber,
    status: z
      .string()
      .optional()
      .transform((status) => status ?? defaultStatus)
      .pipe(filterChoice(CASE_STATUSES)),
    cancerType: filterChoice(CANCER_TYPES),
    institution: z
      .string()
      .optional()
      .transform((id) => id || undefined),
    due: filterChoice(["overdue", "week"] as const),
    q: z
      .string()
      .optional()
      .transform((q) => q?.slice(0, 100) || undefined),
    sort: filterChoice(SORTS).transform((sort) => sort ?? "updated"),
  });
}

/** The signed-in user, when one of the list's permissions lets them open it; otherwise an audited 403. */
export async function requireCaseList(request: Request, context: AppLoadContext, kind: CaseListKind): Promise<CurrentUser> {
  const user = await requireUser(request);
  const { permissions } = CASE_LISTS[kind];
  if (!permissions.some((permission) => can(user, permission))) throw await denyAccess(request, context, user, { permission: permissions[0] });
  return user;
}

/** A page of the role's cases (the list's scope is the role's: caseScope) with the turnaround clock of each, and whether the user may start a case. */
export async function loadCaseList({
  user,
  kind,
  searchParams,
  db = getDb(),
}: {
  user: CurrentUser;
  kind: CaseListKind;
  searchParams: URLSearchParams;
  db?: Db;
}) {
  const { page, sort, institution, ...rest } = parseQuery(searchParams, caseListQuery(CASE_LISTS[kind].defaultStatus));
  const filter = { ...rest, institutionId: institution };
  const scope = caseScope(user);
  const now = new Date();
  const { rows, total } = await listCases(db, scope, filter, sort, page, PAGE_SIZE, now);
  const clinical = scope.kind !== "metadataOnly";
  const translations = clinical
    ? await textTranslations(
        db,
        rows.map((row) => row.id),
        rows.flatMap((row) => packetTexts({ id: row.id, primarySite: row.primarySite, histology: row.histology })),
      )
    : {};
  const institutions =
    scope.kind === "submitted" || scope.kind === "metadataOnly"
      ? await db.institution.findMany({ where: { kind: "TREATING" }, select: { id: true, nameEn: true, nameZh: true }, orderBy: { nameEn: "asc" } })
      : [];
  return {
    list: {
      rows: rows.map(({ primarySiteCode, primarySite, icdO3Code, histology, ...row }) => ({
        ...row,
        ...(clinical
          ? {
              primarySite: siteValue(primarySiteCode ?? null, primarySite ?? null, packetTranslation(translations, row.id, "primarySite")),
              histology: histologyValue(icdO3Code ?? null, histology ?? null, packetTranslation(translations, row.id, "histology")),
            }
          : {}),
        clock: turnaround({ status: row.status as CaseStatus, submittedAt: row.submittedAt, dueAt: row.dueAt }, now),
      })),
      total,
      page,
      pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      filter: { ...filter, status: filter.status ?? "", sort },
      institutions,
      clinical,
      timeZone: user.timeZone,
    },
    canCreate: can(user, "cases.create"),
  };
}
