/** The case packet's structured facts as a summary: demographics, diagnosis, staging, biomarkers, treatment, consent, consultants. */
import { useTranslation } from "react-i18next";
import { CANCER_TYPES, CONSENT_FORMS, labelKeys, RESPONSES, SEXES, SPECIMEN_TYPES, STOP_REASONS, URGENCIES } from "~/features/cases/clinical-vocabulary";
import { alterationText, resultText, stagingText, vocabularyLabel } from "~/features/cases/case-summary-text";
import { SPECIALTY_LABEL_KEYS, type Specialty } from "~/features/identity/specialties";
import type { ClinicalValue } from "./clinical-value";
import { ClinicalValueView, LabelledTextView } from "./clinical-value-view";
import { StackedTable } from "~/ui/stacked-table";

const SEX_KEYS = labelKeys("sexes", SEXES);
const TYPE_KEYS = labelKeys("cancerTypes", CANCER_TYPES);
const RESPONSE_KEYS = labelKeys("responses", RESPONSES);
const URGENCY_KEYS = labelKeys("urgency", URGENCIES);
const FORM_KEYS = labelKeys("consentForms", CONSENT_FORMS);
const SPECIMEN_KEYS = labelKeys("specimenTypes", SPECIMEN_TYPES);
const STOP_KEYS = labelKeys("stopReasons", STOP_REASONS);

type Detail = {
  ageAtSubmission: number | null;
  sex: string | null;
  cancerType: string | null;
  primarySiteValue: ClinicalValue;
  histologyValue: ClinicalValue;
  icd10Code: string | null;
  diagnosisDate: string | null;
  staging: string;
  ecog: number | null;
  urgency: string;
  urgencyReason: string | null;
  requestedSpecialties: string;
  biomarkers: {
    id: string;
    gene: string;
    alterationType: string | null;
    hgvs: string | null;
    method: string | null;
    resultCode: string | null;
    resultValue: number | null;
    resultUnit: string | null;
    vaf: number | null;
    specimenType: string | null;
    specimen: string | null;
    specimenDate: string | null;
    note: string | null;
  }[];
  treatmentLines: {
    id: string;
    lineNumber: number;
    regimenValue: ClinicalValue;
    startDate: string | null;
    endDate: string | null;
    bestResponse: string | null;
    stopReason: string | null;
    reasonStopped: string | null;
  }[];
  consent: { consentDate: string | null; form: string | null; purpose: string | null; recipientInstitution: { nameEn: string; nameZh: string } | null } | null;
  assignments: { role: string; consultant: { displayName: string } }[];
};

export function CaseSummary({ detail, icd10 }: { detail: Detail; icd10: { code: string; en: string; zh: string } | null }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language === "zh-CN";
  const label = (keys: Record<string, string>, value: string | null) => vocabularyLabel(keys, value, t);
  const labelOrNull = (keys: Record<string, string>, value: string | null) => (value && keys[value] ? label(keys, value) : null);
  const specialties = JSON.parse(detail.requestedSpecialties) as Specialty[];
  return (
    <section className="section" aria-labelledby="summary-title">
      <h2 id="summary-title">{t("cases:summary.title")}</h2>
      <dl className="summary-grid">
        <dt>{t("cases:form.age")}</dt>
        <dd>{detail.ageAtSubmission ?? "—"}</dd>
        <dt>{t("cases:form.sex")}</dt>
        <dd>{label(SEX_KEYS, detail.sex)}</dd>
        <dt>{t("cases:form.cancerType")}</dt>
        <dd>{label(TYPE_KEYS, detail.cancerType)}</dd>
        <dt>{t("cases:form.icd10")}</dt>
        <dd>{icd10 ? `${icd10.code} ${zh ? icd10.zh : icd10.en}` : (detail.icd10Code ?? "—")}</dd>
        <dt>{t("cases:summary.primarySite")}</dt>
        <dd>
          <ClinicalValueView value={detail.primarySiteValue} withCode />
        </dd>
        <dt>{t("cases:summary.histology")}</dt>
        <dd>
          <ClinicalValueView value={detail.histologyValue} withCode />
        </dd>
        <dt>{t("cases:form.diagnosisDate")}</dt>
        <dd>{detail.diagnosisDate ?? "—"}</dd>
        <dt>{t("cases:form.staging")}</dt>
        <dd>{stagingText(detail.staging, t)}</dd>
        <dt>{t("cases:form.ecog")}</dt>
        <dd>{detail.ecog ?? "—"}</dd>
        <dt>{t("cases:form.urgency")}</dt>
        <dd>
          {label(URGENCY_KEYS, detail.urgency)}
          {detail.urgencyReason && (
            <>
              {" — "}
              <LabelledTextView label={null} text={detail.urgencyReason} />
            </>
          )}
        </dd>
        <dt>{t("cases:form.requestedSpecialties")}</dt>
        <dd>{specialties.map((s) => t(SPECIALTY_LABEL_KEYS[s])).join(", ") || "—"}</dd>
        <dt>{t("cases:summary.consultants")}</dt>
        <dd>
          {detail.assignments
            .map((a) => `${a.consultant.displayName} (${a.role === "PRIMARY" ? t("cases:summary.primary") : t("cases:summary.secondary")})`)
            .join(", ") || "—"}
        </dd>
        <dt>{t("cases:form.consent")}</dt>
        <dd>
          {detail.consent?.consentDate
            ? t("cases:summary.consentText", {
                date: detail.consent.consentDate,
                form: label(FORM_KEYS, detail.consent.form),
                recipient: detail.consent.recipientInstitution
                  ? zh
                    ? detail.consent.recipientInstitution.nameZh
                    : detail.consent.recipientInstitution.nameEn
                  : "—",
              })
            : t("cases:summary.noConsent")}
        </dd>
      </dl>

      <h3>{t("cases:form.biomarkers")}</h3>
      {detail.biomarkers.length === 0 ? (
        <p className="muted">{t("cases:summary.none")}</p>
      ) : (
        <StackedTable
          rows={detail.biomarkers}
          rowKey={(b) => b.id}
          columns={[
            { label: t("cases:form.gene"), cell: (b) => b.gene },
            { label: t("cases:form.alterationType"), cell: (b) => alterationText(b, t) ?? "—" },
            { label: t("cases:form.method"), cell: (b) => b.method ?? "—" },
            { label: t("cases:form.resultCode"), cell: (b) => resultText(b, t) ?? "—" },
            { label: t("cases:form.vaf"), cell: (b) => b.vaf ?? "—" },
            {
              label: t("cases:summary.specimen"),
              cell: (b) => (
                <>
                  <LabelledTextView label={labelOrNull(SPECIMEN_KEYS, b.specimenType)} text={b.specimen} />
                  {b.specimenDate && ` ${b.specimenDate}`}
                </>
              ),
            },
            { label: t("cases:form.biomarkerNote"), cell: (b) => <LabelledTextView label={null} text={b.note} /> },
          ]}
        />
      )}

      <h3>{t("cases:form.treatmentLines")}</h3>
      {detail.treatmentLines.length === 0 ? (
        <p className="muted">{t("cases:summary.none")}</p>
      ) : (
        <StackedTable
          rows={detail.treatmentLines}
          rowKey={(l) => l.id}
          columns={[
            { label: t("cases:summary.line"), cell: (l) => l.lineNumber },
            { label: t("cases:summary.regimen"), cell: (l) => <ClinicalValueView value={l.regimenValue} /> },
            { label: t("cases:summary.dates"), cell: (l) => [l.startDate, l.endDate].filter(Boolean).join(" – ") || "—" },
            { label: t("cases:form.bestResponse"), cell: (l) => label(RESPONSE_KEYS, l.bestResponse) },
            { label: t("cases:summary.reasonStopped"), cell: (l) => <LabelledTextView label={labelOrNull(STOP_KEYS, l.stopReason)} text={l.reasonStopped} /> },
          ]}
        />
      )}
    </section>
  );
}
