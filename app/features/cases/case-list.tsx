/** A role's case list with its filters, sorting, paging and turnaround clock. */
import { Form, Link, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CASE_STATUS_LABEL_KEYS, CASE_STATUSES, type CaseStatus } from "~/features/cases/case-lifecycle";
import { CANCER_TYPES, labelKeys } from "~/features/cases/clinical-vocabulary";
import { formatDate } from "~/ui/format";
import type { ClinicalValue } from "./clinical-value";
import { ClinicalValueView } from "./clinical-value-view";
import { FilterSelect } from "~/ui/filter-select";
import { StackedTable } from "~/ui/stacked-table";

const CANCER_TYPE_KEYS = labelKeys("cancerTypes", CANCER_TYPES);

type Row = {
  id: string;
  code: string;
  status: string;
  urgency: string;
  submittedAt: Date | null;
  dueAt: Date | null;
  cancerType?: string | null;
  primarySite?: ClinicalValue;
  histology?: ClinicalValue;
  icd10Code?: string | null;
  institution: { nameEn: string; nameZh: string };
  assignments: { role: string; consultant: { displayName: string } }[];
  clock: { daysOpen: number | null; overdue: boolean; daysLeft: number | null };
};

export type CaseListData = {
  rows: Row[];
  total: number;
  page: number;
  pageCount: number;
  filter: { status: string; cancerType?: string; institutionId?: string; due?: string; q?: string; sort: string };
  institutions: { id: string; nameEn: string; nameZh: string }[];
  clinical: boolean;
  timeZone: string;
};

export function CaseList({ data, emptyKey }: { data: CaseListData; emptyKey: string }) {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const name = (i: { nameEn: string; nameZh: string }) => (i18n.language === "zh-CN" ? i.nameZh : i.nameEn);
  const pageLink = (target: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(target));
    return `?${next}`;
  };
  return (
    <>
      <Form method="get" className="filters" aria-label={t("cases:list.filters")}>
        <div className="field">
          <label htmlFor="q">{t("cases:list.search")}</label>
          <input id="q" name="q" type="search" defaultValue={data.filter.q ?? ""} />
        </div>
        <FilterSelect
          name="status"
          label={t("cases:list.status")}
          value={data.filter.status}
          anyLabel={t("cases:list.any")}
          options={CASE_STATUSES.map((s) => ({ value: s, label: t(CASE_STATUS_LABEL_KEYS[s]) }))}
        />
        {data.clinical && (
          <FilterSelect
            name="cancerType"
            label={t("cases:list.cancerType")}
            value={data.filter.cancerType}
            anyLabel={t("cases:list.any")}
            options={CANCER_TYPES.map((c) => ({ value: c, label: t(CANCER_TYPE_KEYS[c]) }))}
          />
        )}
        {data.institutions.length > 0 && (
          <FilterSelect
            name="institution"
            label={t("cases:list.institution")}
            value={data.filter.institutionId}
            anyLabel={t("cases:list.any")}
            options={data.institutions.map((i) => ({ value: i.id, label: name(i) }))}
          />
        )}
        <FilterSelect
          name="due"
          label={t("cases:list.due")}
          value={data.filter.due}
          anyLabel={t("cases:list.any")}
          options={[
            { value: "overdue", label: t("cases:list.overdue") },
            { value: "week", label: t("cases:list.dueThisWeek") },
          ]}
        />
        <FilterSelect
          name="sort"
          label={t("cases:list.sort")}
          value={data.filter.sort}
          options={[
            { value: "updated", label: t("cases:list.sortUpdated") },
            { value: "due", label: t("cases:list.sortDue") },
            { value: "submitted", label: t("cases:list.sortSubmitted") },
            { value: "code", label: t("cases:list.sortCode") },
          ]}
        />
        <button type="submit" className="button-secondary">
          {t("cases:list.apply")}
        </button>
      </Form>
      <p role="status">{t("cases:list.count", { count: data.total })}</p>
      {data.rows.length === 0 ? (
        <div className="empty-state" role="note">
          <p>{t(emptyKey)}</p>
        </div>
      ) : (
        <StackedTable
          rows={data.rows}
          rowKey={(row) => row.id}
          rowClassName={(row) => (row.clock.overdue ? "overdue" : undefined)}
          columns={[
            {
              label: t("cases:list.code"),
              cell: (row) => (
                <>
                  {data.clinical ? <Link to={`/cases/${row.id}`}>{row.code}</Link> : row.code}
                  {row.urgency === "URGENT" && <span className="badge badge-urgent">{t("cases:urgency.URGENT")}</span>}
                </>
              ),
            },
            {
              label: t("cases:list.status"),
              cell: (row) => <span className={`badge status-${row.status}`}>{t(CASE_STATUS_LABEL_KEYS[row.status as CaseStatus])}</span>,
            },
            data.clinical && {
              label: t("cases:list.diagnosis"),
              cell: (row) => (
                <ul className="diagnosis-parts">
                  {row.icd10Code && <li>{t("cases:list.icd10", { code: row.icd10Code })}</li>}
                  <li>
                    <ClinicalValueView value={row.primarySite} withCode timeZone={data.timeZone} />
                  </li>
                  <li>
                    <ClinicalValueView value={row.histology} withCode timeZone={data.timeZone} />
                  </li>
                </ul>
              ),
            },
            { label: t("cases:list.institution"), cell: (row) => name(row.institution) },
            { label: t("cases:list.consultants"), cell: (row) => row.assignments.map((a) => a.consultant.displayName).join(", ") || "—" },
            { label: t("cases:list.submitted"), cell: (row) => (row.submittedAt ? formatDate(row.submittedAt, i18n.language, data.timeZone) : "—") },
            {
              label: t("cases:list.turnaround"),
              cell: (row) => (
                <>
                  {row.clock.daysOpen !== null && t("cases:list.daysOpen", { count: row.clock.daysOpen })}
                  {row.clock.overdue && <strong className="overdue-flag"> {t("cases:list.overdueFlag")}</strong>}
                  {!row.clock.overdue && row.clock.daysLeft !== null && (
                    <span className="muted"> {t("cases:list.daysLeft", { count: row.clock.daysLeft })}</span>
                  )}
                </>
              ),
            },
          ]}
        />
      )}
      <nav className="pagination" aria-label={t("admin:pagination")}>
        {data.page > 1 && <Link to={pageLink(data.page - 1)}>{t("admin:previous")}</Link>}
        <span>{t("admin:pageOf", { page: data.page, pageCount: data.pageCount })}</span>
        {data.page < data.pageCount && <Link to={pageLink(data.page + 1)}>{t("admin:next")}</Link>}
      </nav>
    </>
  );
}
