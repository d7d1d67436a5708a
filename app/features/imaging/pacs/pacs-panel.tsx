/**
 * The PACS page's parts: the search form, the studies found (each expandable to its series, each choosable), the pull button,
 * and the case's pulls with their progress, asked again every two seconds while one runs.
 */
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { FieldErrors, FormErrors } from "~/ui/field-errors";
import { MAX_STUDIES, PacsSearchForm, PULL_STATUS, type PacsSeries, type PacsStudy } from "./pacs-query";
import { TableScroll } from "~/ui/table-scroll";

export type PacsActionData = {
  intent: string;
  error: string | null;
  result?: SubmissionResult<string[]>;
  studies?: (PacsStudy & { inCase: boolean })[];
  truncated?: boolean;
  studyUid?: string;
  series?: PacsSeries[];
  pullId?: string;
};

export type PullRow = {
  id: string;
  status: string;
  studies: number;
  series: number;
  expected: number;
  skipped: number;
  stored: number;
  duplicate: number;
  rejected: number;
  /** Instances the PACS sent that the pull had not asked for: refused, never stored. */
  unrequested: number;
  failed: number;
  errorKey: string | null;
};

type Props = {
  caseId: string;
  pacs: { aeTitle: string; host: string; port: number } | null;
  pulls: PullRow[];
};

const POLL_MS = 2000;

export function PacsPanel({ caseId, pacs, pulls: initialPulls }: Props) {
  const { t } = useTranslation();
  const search = useFetcher<PacsActionData>();
  const pull = useFetcher<PacsActionData>();
  const poll = useFetcher<{ pulls: PullRow[] }>();
  const pulls = poll.data?.pulls ?? initialPulls;
  const runningPull = pulls.some((p) => p.status === PULL_STATUS.running);
  const [form, fields] = useForm({
    id: "pacs-search",
    lastResult: search.data?.intent === "search" ? search.data.result : undefined,
    constraint: getZodConstraint(PacsSearchForm),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PacsSearchForm }),
  });

  const pollUrl = `/cases/${caseId}/pacs?poll=1`;
  const { load } = poll;
  useEffect(() => {
    if (pull.data?.pullId) load(pollUrl);
  }, [pull.data?.pullId, load, pollUrl]);
  useEffect(() => {
    if (!runningPull) return;
    const timer = setInterval(() => load(pollUrl), POLL_MS);
    return () => clearInterval(timer);
  }, [runningPull, load, pollUrl]);

  // When the pull started here ends, the results are searched again, so what is now in the case says so.
  const searchForm = useRef<HTMLFormElement>(null);
  const refreshedFor = useRef<string | null>(null);
  const endedPull = pulls.find((p) => p.id === pull.data?.pullId && p.status !== PULL_STATUS.running)?.id;
  const { submit: submitSearch } = search;
  useEffect(() => {
    if (!endedPull || refreshedFor.current === endedPull || !searchForm.current) return;
    refreshedFor.current = endedPull;
    submitSearch(searchForm.current);
  }, [endedPull, submitSearch]);

  if (!pacs) {
    return (
      <p className="alert alert-warning" role="note">
        {t("imaging:pacs.errors.notConfigured")}
      </p>
    );
  }
  const studies = search.data?.intent === "search" ? search.data.studies : undefined;
  return (
    <>
      <p className="muted">{t("imaging:pacs.target", { ae: pacs.aeTitle, host: pacs.host, port: pacs.port })}</p>
      <p className="hint">{t("imaging:pacs.privacy")}</p>
      <search.Form method="post" {...getFormProps(form)} ref={searchForm} className="stack" aria-labelledby="pacs-search-title">
        <h2 id="pacs-search-title">{t("imaging:pacs.searchTitle")}</h2>
        <FormErrors errors={form.errors} />
        <input type="hidden" name="intent" value="search" />
        <div className="field-row">
          <div className="field">
            <label htmlFor={fields.patientId.id}>{t("imaging:pacs.patientId")}</label>
            <input {...getInputProps(fields.patientId, { type: "text" })} autoComplete="off" spellCheck={false} />
            <FieldErrors field={fields.patientId} />
          </div>
          <div className="field">
            <label htmlFor={fields.accessionNumber.id}>{t("imaging:pacs.accessionNumber")}</label>
            <input {...getInputProps(fields.accessionNumber, { type: "text" })} autoComplete="off" spellCheck={false} />
            <FieldErrors field={fields.accessionNumber} />
          </div>
          <div className="field">
            <label htmlFor={fields.dateFrom.id}>{t("imaging:pacs.dateFrom")}</label>
            <input {...getInputProps(fields.dateFrom, { type: "date" })} />
            <FieldErrors field={fields.dateFrom} />
          </div>
          <div className="field">
            <label htmlFor={fields.dateTo.id}>{t("imaging:pacs.dateTo")}</label>
            <input {...getInputProps(fields.dateTo, { type: "date" })} />
            <FieldErrors field={fields.dateTo} />
          </div>
        </div>
        <button type="submit" className="button-primary" disabled={search.state !== "idle"}>
          {search.state !== "idle" ? t("imaging:pacs.searching") : t("imaging:pacs.search")}
        </button>
      </search.Form>

      {studies && (
        <pull.Form method="post" className="stack" aria-labelledby="pacs-results-title">
          <h2 id="pacs-results-title">{t("imaging:pacs.results", { count: studies.length })}</h2>
          {search.data?.truncated && (
            <p className="alert alert-warning" role="note">
              {t("imaging:pacs.truncated", { count: MAX_STUDIES })}
            </p>
          )}
          {studies.length > 0 && (
            <>
              <TableScroll label={t("imaging:pacs.results", { count: studies.length })}>
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col">{t("imaging:pacs.choose")}</th>
                      <th scope="col">{t("imaging:pacs.patient")}</th>
                      <th scope="col">{t("imaging:pacs.accessionNumber")}</th>
                      <th scope="col">{t("imaging:pacs.studyDate")}</th>
                      <th scope="col">{t("imaging:pacs.description")}</th>
                      <th scope="col">{t("imaging:pacs.modalities")}</th>
                      <th scope="col">{t("imaging:pacs.counts")}</th>
                      <th scope="col">{t("imaging:pacs.seriesColumn")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {studies.map((study) => (
                      <StudyRow key={study.studyUid} study={study} />
                    ))}
                  </tbody>
                </table>
              </TableScroll>
              <input type="hidden" name="intent" value="pull" />
              <button type="submit" className="button-primary" disabled={pull.state !== "idle" || runningPull}>
                {t("imaging:pacs.pull")}
              </button>
              <p className="hint">{t("imaging:pacs.pullHint")}</p>
            </>
          )}
          {pull.data?.error && (
            <p className="alert alert-error" role="alert">
              {t(pull.data.error)}
            </p>
          )}
        </pull.Form>
      )}

      <section aria-labelledby="pacs-pulls-title" className="stack">
        <h2 id="pacs-pulls-title">{t("imaging:pacs.pullsTitle")}</h2>
        {pulls.length === 0 ? <p className="muted">{t("imaging:pacs.noPulls")}</p> : <PullList pulls={pulls} />}
      </section>
    </>
  );
}

/** One study found: a checkbox to pull it whole, and its series on request, each with its own checkbox. */
function StudyRow({ study }: { study: PacsStudy & { inCase: boolean } }) {
  const { t } = useTranslation();
  const series = useFetcher<PacsActionData>();
  const [open, setOpen] = useState(false);
  const checkboxId = `study-${study.studyUid}`;
  const list = series.data?.intent === "series" && series.data.studyUid === study.studyUid ? series.data : undefined;
  return (
    <>
      <tr>
        <td>
          <input type="checkbox" name="pick" value={study.studyUid} id={checkboxId} />
          <label htmlFor={checkboxId} className="visually-hidden">
            {t("imaging:pacs.chooseStudy", { date: study.studyDate || "—", description: study.description || "—" })}
          </label>
          {study.inCase && <span className="badge"> {t("imaging:pacs.inCase")}</span>}
        </td>
        <td>
          {study.patientName || "—"}
          <br />
          <span className="muted">{study.patientId}</span>
        </td>
        <td>{study.accessionNumber || "—"}</td>
        <td>{study.studyDate || "—"}</td>
        <td>{study.description || "—"}</td>
        <td>{study.modalities.join(", ") || "—"}</td>
        <td>{t("imaging:pacs.countsValue", { series: study.seriesCount ?? "?", instances: study.instanceCount ?? "?" })}</td>
        <td>
          <button
            type="button"
            className="button-secondary"
            aria-expanded={open}
            aria-label={t(open ? "imaging:pacs.hideSeriesOf" : "imaging:pacs.showSeriesOf", {
              date: study.studyDate || "—",
              description: study.description || "—",
            })}
            disabled={series.state !== "idle"}
            onClick={() => {
              setOpen(!open);
              if (!open && !list) series.submit({ intent: "series", studyUid: study.studyUid }, { method: "post" });
            }}
          >
            {open ? t("imaging:pacs.hideSeries") : t("imaging:pacs.showSeries")}
          </button>
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={8}>
            {series.state !== "idle" && <p role="status">{t("imaging:pacs.loadingSeries")}</p>}
            {list?.error && (
              <p className="alert alert-error" role="alert">
                {t(list.error)}
              </p>
            )}
            {list?.series && (
              <ul className="checklist">
                {list.series.map((s) => {
                  const id = `series-${s.seriesUid}`;
                  return (
                    <li key={s.seriesUid}>
                      <input type="checkbox" name="pick" value={`${study.studyUid}/${s.seriesUid}`} id={id} />{" "}
                      <label htmlFor={id}>
                        {t("imaging:pacs.seriesLine", {
                          number: s.seriesNumber ?? "—",
                          modality: s.modality || "—",
                          description: s.description || "—",
                          count: s.instanceCount ?? 0,
                        })}
                      </label>
                    </li>
                  );
                })}
              </ul>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

const STATUS_KEYS: Record<string, string> = {
  [PULL_STATUS.running]: "imaging:pacs.status.RUNNING",
  [PULL_STATUS.done]: "imaging:pacs.status.DONE",
  [PULL_STATUS.failed]: "imaging:pacs.status.FAILED",
};

function PullList({ pulls }: { pulls: PullRow[] }) {
  const { t } = useTranslation();
  return (
    <ul className="checklist">
      {pulls.map((p) => {
        const settled = p.skipped + p.stored + p.duplicate + p.rejected;
        return (
          <li key={p.id} className="stack">
            <p role={p.status === PULL_STATUS.running ? "status" : undefined}>
              <strong>{t(STATUS_KEYS[p.status] ?? STATUS_KEYS[PULL_STATUS.failed])}</strong>{" "}
              {t("imaging:pacs.pullSummary", {
                studies: p.studies,
                expected: p.expected,
                stored: p.stored,
                skipped: p.skipped + p.duplicate,
                rejected: p.rejected,
                failed: p.failed,
              })}
            </p>
            {p.unrequested > 0 && (
              <p className="alert alert-warning" role="note">
                {t("imaging:pacs.unrequested", { count: p.unrequested })}
              </p>
            )}
            {p.expected > 0 && <progress max={p.expected} value={Math.min(settled, p.expected)} aria-label={t("imaging:pacs.progress")} />}
            {p.errorKey && (
              <p className={p.status === PULL_STATUS.failed ? "alert alert-error" : "alert alert-warning"} role="alert">
                {t(p.errorKey)} {p.status === PULL_STATUS.failed && t("imaging:pacs.retryHint")}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
