/** /reports/turnaround.csv: the turnaround report as CSV. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { CASE_STATUS_LABEL_KEYS } from "~/features/cases/case-lifecycle";
import { CANCER_TYPES, labelKeys, type CancerType } from "~/features/cases/clinical-vocabulary";
import { i18nServer } from "~/i18n/i18n.server";
import { exportTurnaroundCsv } from "~/features/search-reports/report.server";
import { requirePermission } from "~/features/identity/auth.server";
import { requestMeta } from "~/platform/request-meta.server";

const CANCER_TYPE_KEYS = labelKeys("cancerTypes", CANCER_TYPES);

/** Per-case turnaround as CSV (with a byte order mark, so Excel reads the Chinese correctly). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "reports.view");
  const t = await i18nServer.getFixedT(request);
  const zone = { zone: user.timeZone };
  const exported = await exportTurnaroundCsv({
    user,
    meta: requestMeta(request, context),
    locale: await i18nServer.getLocale(request),
    searchParams: new URL(request.url).searchParams,
    labels: {
      headers: [
        t("reports:columns.code"),
        t("reports:columns.institution"),
        t("reports:columns.cancerType"),
        t("reports:columns.status"),
        t("reports:csv.submitted", zone),
        t("reports:csv.firstDelivered", zone),
        t("reports:columns.days"),
        t("reports:overdue"),
      ],
      status: (status) => t(CASE_STATUS_LABEL_KEYS[status]),
      cancerType: (type) => (type === null ? "" : type in CANCER_TYPE_KEYS ? t(CANCER_TYPE_KEYS[type as CancerType]) : type),
      overdue: t("reports:csv.overdueYes"),
    },
  });
  if (!exported.ok) {
    const messages = [...(exported.errors.from ?? []), ...(exported.errors.to ?? [])].map((key) => t(key));
    return new Response(messages.join("\n"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const { csv, period } = exported;
  return new Response("\uFEFF" + csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="turnaround-${period.from}-to-${period.to}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
