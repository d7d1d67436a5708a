/** The treating physician's case packet form, with explicit saves, autosave and submission. */
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, useFetcher, useNavigate, useNavigation } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { PacketSchema, type FieldProblems, type Packet } from "~/features/cases/case-packet";
import { DRUGS, drugTerm, MORPHOLOGY, morphologyTerm, TOPOGRAPHY, topographyCodeOf, topographyTerm } from "~/features/cases/clinical-codes";
import { titleIn, type CodedTerm } from "~/features/cases/clinical-value";
import { useReaderLanguage } from "~/features/cases/clinical-value-view";
import {
  AJCC_STAGE_GROUPS,
  ALTERATION_TYPES,
  BIOMARKER_METHODS,
  CANCER_TYPES,
  CONSENT_DATA_CATEGORIES,
  CONSENT_FORMS,
  ELN2022_RISKS,
  GENES,
  labelKeys,
  LUGANO_STAGES,
  M_CATEGORIES,
  N_CATEGORIES,
  RESPONSES,
  RESULT_CODES,
  RESULT_UNITS,
  RISS_STAGES,
  SEXES,
  SPECIMEN_TYPES,
  STAGING_SYSTEM_BY_CANCER_TYPE,
  STOP_REASONS,
  T_CATEGORIES,
  TNM_PREFIXES,
  URGENCIES,
  type CancerType,
} from "~/features/cases/clinical-vocabulary";
import { SPECIALTIES, SPECIALTY_LABEL_KEYS } from "~/features/identity/specialties";
import { FieldErrors, RefusedFieldsContext } from "~/ui/field-errors";
import { GlossaryLookup } from "~/features/glossary/glossary-lookup";
import { SelectField } from "~/ui/select-field";
import { TextAreaField, TextField } from "~/ui/text-field";
import { useFocusWhenAdded } from "~/ui/use-focus-when-added";
import { useWarnBeforeUnload } from "~/ui/use-warn-before-unload";
import { TEXT_LANGUAGE_LABEL_KEYS, TEXT_LANGUAGES } from "~/features/translation/translated-text";

const AUTOSAVE_DELAY_MS = 3_000;
const DATA_CATEGORY_KEYS = labelKeys("dataCategories", CONSENT_DATA_CATEGORIES);
const RESULT_UNIT_NAMES = Object.keys(RESULT_UNITS);

export type PacketReference = {
  icd10: { code: string; en: string; zh: string; cancerType: string }[];
  consultingInstitutions: { id: string; nameEn: string; nameZh: string }[];
};
/** A save's answer; `caseId` names the case a new packet's first save created. */
export type SaveReply = {
  result?: SubmissionResult<string[]>;
  caseId?: string;
  version?: number;
  savedAt?: string;
  formError?: string | null;
  refused?: FieldProblems;
};
/** The history state that keeps one form across its own navigations (see `PacketEditorPage`). */
export type PacketFormState = { packetForm: string };

/**
 * The packet form of a case, or of a new packet (`caseId` null) that becomes a case with its first save
 * holding something; the page then moves to the case's address, keeping this form and what is being typed.
 */
export function CasePacketForm({
  caseId: loadedCaseId,
  formKey,
  defaults,
  version,
  reference,
  lastReply,
}: {
  caseId: string | null;
  formKey: string;
  defaults: Record<string, unknown>;
  version: number;
  reference: PacketReference;
  lastReply?: SaveReply;
}) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language === "zh-CN";
  const language = useReaderLanguage();
  const chosen = (term: CodedTerm | undefined) => (term ? t("cases:form.chosen", { title: `${term.code} ${titleIn(term, language)}` }) : undefined);
  const navigation = useNavigation();
  const navigate = useNavigate();
  const autosave = useFetcher<SaveReply>();
  const formRef = useRef<HTMLFormElement>(null);
  const [currentVersion, setCurrentVersion] = useState(version);
  const [dirty, setDirty] = useState(false);
  const [saveState, setSaveState] = useState<{ kind: "idle" | "saving" | "saved" | "failed" | "conflict"; at?: string }>({ kind: "idle" });
  const [refused, setRefused] = useState<FieldProblems>(lastReply?.refused ?? {});
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const autosaving = useRef(false);
  const saveUrlNow = useRef("");
  const focusWhenAdded = useFocusWhenAdded((name) => formRef.current?.elements.namedItem(name));
  const caseId = loadedCaseId ?? autosave.data?.caseId ?? lastReply?.caseId ?? null;
  const saveUrl = caseId ? `/cases/${caseId}/edit` : "/cases/new";
  const navigationState: PacketFormState = { packetForm: formKey };
  useEffect(() => {
    saveUrlNow.current = saveUrl;
  }, [saveUrl]);

  const [form, fields] = useForm<Packet>({
    id: "case-packet",
    lastResult: lastReply?.result,
    defaultValue: useMemo(() => withDrugNames(defaults, language), [defaults, language]) as Parameters<typeof useForm<Packet>>[0]["defaultValue"],
    constraint: getZodConstraint(PacketSchema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PacketSchema }),
  });

  // The newest version the server confirmed, from an explicit save or an autosave.
  for (const reply of [lastReply, autosave.data]) {
    if (reply?.version && reply.version > currentVersion) setCurrentVersion(reply.version);
  }
  useEffect(() => {
    autosaving.current = autosave.state !== "idle";
    const reply = autosave.state === "idle" ? autosave.data : undefined;
    if (!reply) return;
    if (reply.formError === "cases:errors.versionConflict") setSaveState({ kind: "conflict" });
    else if (reply.savedAt) setSaveState({ kind: "saved", at: reply.savedAt });
    else if (reply.formError === "cases:errors.nothingToSave") setSaveState({ kind: "idle" });
    else setSaveState({ kind: "failed" });
    if (reply.refused) setRefused(reply.refused);
  }, [autosave.state, autosave.data]);
  useEffect(() => {
    if (lastReply?.savedAt) {
      setDirty(false);
      setSaveState({ kind: "saved", at: lastReply.savedAt });
    } else if (lastReply?.formError === "cases:errors.versionConflict") setSaveState({ kind: "conflict" });
    if (lastReply) setRefused(lastReply.refused ?? {});
  }, [lastReply]);
  // The first save of a new packet created its case: the page moves to the case's address, keeping this form.
  const settled = autosave.state === "idle" && navigation.state === "idle";
  useEffect(() => {
    if (!loadedCaseId && caseId && settled) navigate(saveUrl, { replace: true, preventScrollReset: true, state: navigationState });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loadedCaseId, caseId, settled]);
  const hasRefused = Object.keys(refused).length > 0;
  useWarnBeforeUnload(dirty || hasRefused);

  function scheduleAutosave() {
    setDirty(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(function autosaveNow() {
      if (!formRef.current) return;
      // One save at a time: a second one racing the first would meet its new version (or, for a new packet, create a second case).
      if (autosaving.current) {
        timer.current = setTimeout(autosaveNow, AUTOSAVE_DELAY_MS);
        return;
      }
      const data = new FormData(formRef.current);
      data.set("intent", "autosave");
      setSaveState({ kind: "saving" });
      autosaving.current = true;
      autosave.submit(data, { method: "post", action: saveUrlNow.current });
      setDirty(false);
    }, AUTOSAVE_DELAY_MS);
  }
  useEffect(() => () => clearTimeout(timer.current), []);

  const cancerType = fields.cancerType.value as CancerType | undefined;
  const staging = cancerType ? STAGING_SYSTEM_BY_CANCER_TYPE[cancerType] : null;
  const narrativeLang = (fields.narrativeLanguage.value as string) ?? "zh-CN";
  const biomarkers = fields.biomarkers.getFieldList();
  const lines = fields.treatmentLines.getFieldList();
  const questions = fields.questions.getFieldList();
  const selected = (field: { value?: unknown }) => new Set(([] as string[]).concat((field.value as string[] | string | undefined) ?? []));
  const specialties = selected(fields.requestedSpecialties);
  const categories = selected(fields.consentDataCategories);
  // An autosave in flight would make the explicit save look like a conflicting edit.
  const busy = navigation.state === "submitting" || autosave.state !== "idle";

  return (
    <div className="packet-layout">
      <Form
        method="post"
        action={saveUrl}
        state={navigationState}
        {...getFormProps(form)}
        onSubmit={(event) => {
          clearTimeout(timer.current);
          form.onSubmit(event);
        }}
        ref={formRef}
        onChange={scheduleAutosave}
        className="packet-form"
      >
        <input type="hidden" name="version" value={currentVersion} />
        {(lastReply?.formError ?? form.errors?.[0]) && lastReply?.formError !== "cases:errors.versionConflict" && (
          <div className="alert alert-error" role="alert">
            <p>{t(lastReply?.formError ?? form.errors?.[0] ?? "")}</p>
          </div>
        )}
        <SaveStatus state={saveState} dirty={dirty} refused={hasRefused} />
        <RefusedFieldsContext.Provider value={refused}>
          <fieldset className="section">
            <legend>{t("cases:form.patient")}</legend>
            <p className="hint">{t("cases:form.noIdentity")}</p>
            <div className="field-row">
              <TextField field={fields.ageAtSubmission} label={t("cases:form.age")} type="number" />
              <SelectField field={fields.sex} label={t("cases:form.sex")} options={SEXES} labels={labelKeys("sexes", SEXES)} />
              <SelectField
                field={fields.narrativeLanguage}
                label={t("cases:form.narrativeLanguage")}
                options={TEXT_LANGUAGES}
                labels={TEXT_LANGUAGE_LABEL_KEYS}
                blank={false}
              />
            </div>
          </fieldset>

          <fieldset className="section">
            <legend>{t("cases:form.diagnosis")}</legend>
            <div className="field-row">
              <SelectField
                field={fields.cancerType}
                label={t("cases:form.cancerType")}
                options={CANCER_TYPES}
                labels={labelKeys("cancerTypes", CANCER_TYPES)}
              />
              <TextField field={fields.icd10Code} label={t("cases:form.icd10")} list="icd10-codes" hint={t("cases:form.icd10Hint")} />
              <TextField field={fields.diagnosisDate} label={t("cases:form.diagnosisDate")} type="date" />
            </div>
            <datalist id="icd10-codes">
              {reference.icd10.map((c) => (
                <option key={c.code} value={c.code}>{`${c.code} ${zh ? c.zh : c.en} / ${zh ? c.en : c.zh}`}</option>
              ))}
            </datalist>
            <CodeList id="icdo3-sites" terms={TOPOGRAPHY} />
            <CodeList id="icdo3-codes" terms={MORPHOLOGY} />
            <CodeList id="drug-names" terms={DRUGS} byName />
            <div className="field-row">
              <TextField
                field={fields.primarySiteCode}
                label={t("cases:form.primarySiteCode")}
                list="icdo3-sites"
                hint={chosen(topographyTerm(topographyCodeOf(String(fields.primarySiteCode.value ?? "")))) ?? t("cases:form.primarySiteCodeHint")}
              />
              <TextField field={fields.primarySite} label={t("cases:form.primarySite")} lang={narrativeLang} hint={t("cases:form.asWrittenHint")} />
            </div>
            <div className="field-row">
              <TextField
                field={fields.icdO3Code}
                label={t("cases:form.icdO3")}
                list="icdo3-codes"
                hint={chosen(morphologyTerm(String(fields.icdO3Code.value ?? "").trim())) ?? t("cases:form.icdO3Hint")}
              />
              <TextField field={fields.histology} label={t("cases:form.histology")} lang={narrativeLang} hint={t("cases:form.asWrittenHint")} />
            </div>
          </fieldset>

          <fieldset className="section">
            <legend>{t("cases:form.staging")}</legend>
            {!staging && <p className="hint">{t("cases:form.stagingChooseType")}</p>}
            {staging === "AJCC8" && (
              <div className="field-row">
                <SelectField field={fields.tnmPrefix} label={t("cases:form.tnmPrefix")} options={TNM_PREFIXES} />
                <SelectField field={fields.tnmT} label={t("cases:form.tnmT")} options={T_CATEGORIES} />
                <SelectField field={fields.tnmN} label={t("cases:form.tnmN")} options={N_CATEGORIES} />
                <SelectField field={fields.tnmM} label={t("cases:form.tnmM")} options={M_CATEGORIES} />
                <SelectField field={fields.stageGroup} label={t("cases:form.stageGroup")} options={AJCC_STAGE_GROUPS} />
              </div>
            )}
            {staging === "AJCC8" && <p className="hint">{t("cases:form.ajccEdition")}</p>}
            {staging === "LUGANO" && (
              <div className="field-row">
                <SelectField
                  field={fields.luganoStage}
                  label={t("cases:form.luganoStage")}
                  options={LUGANO_STAGES}
                  labels={labelKeys("lugano", LUGANO_STAGES)}
                />
                <div className="field">
                  <label className="checkbox">
                    <input {...getInputProps(fields.bSymptoms, { type: "checkbox" })} />
                    {t("cases:form.bSymptoms")}
                  </label>
                </div>
              </div>
            )}
            {staging === "RISS" && <SelectField field={fields.rissStage} label={t("cases:form.rissStage")} options={RISS_STAGES} />}
            {staging === "ELN2022" && (
              <SelectField field={fields.eln2022Risk} label={t("cases:form.eln2022Risk")} options={ELN2022_RISKS} labels={labelKeys("eln", ELN2022_RISKS)} />
            )}
          </fieldset>

          <fieldset className="section">
            <legend>{t("cases:form.condition")}</legend>
            <SelectField
              field={fields.ecog as never}
              label={t("cases:form.ecog")}
              options={["0", "1", "2", "3", "4"]}
              labels={labelKeys("ecog", ["0", "1", "2", "3", "4"])}
            />
            <TextAreaField field={fields.comorbidities} label={t("cases:form.comorbidities")} lang={narrativeLang} rows={3} />
            <TextAreaField field={fields.clinicalHistory} label={t("cases:form.clinicalHistory")} lang={narrativeLang} rows={8} />
          </fieldset>

          <fieldset className="section">
            <legend>{t("cases:form.biomarkers")}</legend>
            {biomarkers.map((row, index) => {
              const f = row.getFieldset();
              return (
                <fieldset key={row.key} className="repeat-row">
                  <legend>{t("cases:form.biomarkerN", { n: index + 1 })}</legend>
                  <div className="field-row">
                    <SelectField field={f.gene} label={t("cases:form.gene")} options={GENES} />
                    <SelectField
                      field={f.alterationType}
                      label={t("cases:form.alterationType")}
                      options={ALTERATION_TYPES}
                      labels={labelKeys("alterationTypes", ALTERATION_TYPES)}
                    />
                    <TextField field={f.hgvs} label={t("cases:form.hgvs")} hint={t("cases:form.hgvsHint")} lang="en" />
                    <SelectField field={f.method} label={t("cases:form.method")} options={BIOMARKER_METHODS} />
                  </div>
                  <div className="field-row">
                    <SelectField
                      field={f.resultCode}
                      label={t("cases:form.resultCode")}
                      options={RESULT_CODES}
                      labels={labelKeys("resultCodes", RESULT_CODES)}
                    />
                    <TextField field={f.resultValue} label={t("cases:form.resultValue")} type="number" step="0.1" />
                    <SelectField
                      field={f.resultUnit}
                      label={t("cases:form.resultUnit")}
                      options={RESULT_UNIT_NAMES}
                      labels={labelKeys("resultUnitNames", RESULT_UNIT_NAMES)}
                    />
                    <TextField field={f.vaf} label={t("cases:form.vaf")} type="number" step="0.1" />
                  </div>
                  <div className="field-row">
                    <SelectField
                      field={f.specimenType}
                      label={t("cases:form.specimenType")}
                      options={SPECIMEN_TYPES}
                      labels={labelKeys("specimenTypes", SPECIMEN_TYPES)}
                    />
                    <TextField field={f.specimen} label={t("cases:form.specimen")} lang={narrativeLang} />
                    <TextField field={f.specimenDate} label={t("cases:form.specimenDate")} type="date" />
                  </div>
                  <TextField field={f.note} label={t("cases:form.biomarkerNote")} lang={narrativeLang} hint={t("cases:form.biomarkerNoteHint")} />
                  <button {...form.remove.getButtonProps({ name: fields.biomarkers.name, index })} className="button-link">
                    {t("cases:form.removeBiomarker", { n: index + 1 })}
                  </button>
                </fieldset>
              );
            })}
            <button
              {...form.insert.getButtonProps({ name: fields.biomarkers.name, defaultValue: {} })}
              onClick={() => focusWhenAdded(`${fields.biomarkers.name}[${biomarkers.length}].gene`)}
              className="button-secondary"
            >
              {t("cases:form.addBiomarker")}
            </button>
          </fieldset>

          <fieldset className="section">
            <legend>{t("cases:form.treatmentLines")}</legend>
            {lines.map((row, index) => {
              const f = row.getFieldset();
              const drugs = f.drugs.getFieldList();
              return (
                <fieldset key={row.key} className="repeat-row">
                  <legend>{t("cases:form.lineN", { n: index + 1 })}</legend>
                  <fieldset className="field">
                    <legend>{t("cases:form.drugs")}</legend>
                    <p className="hint">{t("cases:form.drugsHint")}</p>
                    {drugs.map((drug, d) => (
                      <div key={drug.key} className="field-row">
                        <TextField field={drug} label={t("cases:form.drugN", { n: d + 1 })} list="drug-names" />
                        <button {...form.remove.getButtonProps({ name: f.drugs.name, index: d })} className="button-link">
                          {t("cases:form.removeDrug", { n: d + 1 })}
                        </button>
                      </div>
                    ))}
                    <FieldErrors field={f.drugs} />
                    <button {...form.insert.getButtonProps({ name: f.drugs.name, defaultValue: "" })} className="button-secondary">
                      {t("cases:form.addDrug")}
                    </button>
                  </fieldset>
                  <div className="field-row">
                    <TextField field={f.regimen} label={t("cases:form.regimen")} lang={narrativeLang} hint={t("cases:form.regimenHint")} />
                    <TextField field={f.startDate} label={t("cases:form.startDate")} type="date" />
                    <TextField field={f.endDate} label={t("cases:form.endDate")} type="date" />
                  </div>
                  <div className="field-row">
                    <SelectField field={f.bestResponse} label={t("cases:form.bestResponse")} options={RESPONSES} labels={labelKeys("responses", RESPONSES)} />
                    <SelectField
                      field={f.stopReason}
                      label={t("cases:form.stopReason")}
                      options={STOP_REASONS}
                      labels={labelKeys("stopReasons", STOP_REASONS)}
                    />
                    <TextField field={f.reasonStopped} label={t("cases:form.reasonStopped")} lang={narrativeLang} />
                  </div>
                  <button {...form.remove.getButtonProps({ name: fields.treatmentLines.name, index })} className="button-link">
                    {t("cases:form.removeLine", { n: index + 1 })}
                  </button>
                </fieldset>
              );
            })}
            <button
              {...form.insert.getButtonProps({ name: fields.treatmentLines.name, defaultValue: { drugs: [""] } })}
              onClick={() => focusWhenAdded(`${fields.treatmentLines.name}[${lines.length}].drugs[0]`)}
              className="button-secondary"
            >
              {t("cases:form.addLine")}
            </button>
          </fieldset>

          <fieldset className="section">
            <legend>{t("cases:form.questions")}</legend>
            <FieldErrors field={fields.questions} />
            {questions.map((question, index) => (
              <div key={question.key} className="question-row">
                <TextAreaField field={question} label={t("cases:form.questionN", { n: index + 1 })} lang={narrativeLang} rows={2} />
                {questions.length > 1 && (
                  <button {...form.remove.getButtonProps({ name: fields.questions.name, index })} className="button-link">
                    {t("cases:form.removeQuestion", { n: index + 1 })}
                  </button>
                )}
              </div>
            ))}
            <button
              {...form.insert.getButtonProps({ name: fields.questions.name, defaultValue: "" })}
              onClick={() => focusWhenAdded(`${fields.questions.name}[${questions.length}]`)}
              className="button-secondary"
            >
              {t("cases:form.addQuestion")}
            </button>
            <div className="field-row">
              <SelectField field={fields.urgency} label={t("cases:form.urgency")} options={URGENCIES} labels={labelKeys("urgency", URGENCIES)} blank={false} />
              {fields.urgency.value === "URGENT" && <TextField field={fields.urgencyReason} label={t("cases:form.urgencyReason")} lang={narrativeLang} />}
            </div>
            <fieldset className="field">
              <legend>{t("cases:form.requestedSpecialties")}</legend>
              <div className="checkbox-grid">
                {SPECIALTIES.map((s) => (
                  <label key={s} className="checkbox">
                    <input type="checkbox" name={fields.requestedSpecialties.name} value={s} defaultChecked={specialties.has(s)} />
                    {t(SPECIALTY_LABEL_KEYS[s])}
                  </label>
                ))}
              </div>
              <FieldErrors field={fields.requestedSpecialties} />
            </fieldset>
          </fieldset>

          <fieldset className="section">
            <legend>{t("cases:form.consent")}</legend>
            <p className="hint">{t("cases:form.consentIntro")}</p>
            <div className="field-row">
              <TextField field={fields.consentDate} label={t("cases:form.consentDate")} type="date" />
              <SelectField
                field={fields.consentForm}
                label={t("cases:form.consentForm")}
                options={CONSENT_FORMS}
                labels={labelKeys("consentForms", CONSENT_FORMS)}
              />
              <SelectField
                field={fields.consentRecipientInstitutionId}
                label={t("cases:form.consentRecipient")}
                options={reference.consultingInstitutions.map((i) => i.id)}
                labels={Object.fromEntries(reference.consultingInstitutions.map((i) => [i.id, zh ? i.nameZh : i.nameEn]))}
              />
            </div>
            <TextAreaField field={fields.consentPurpose} label={t("cases:form.consentPurpose")} lang={narrativeLang} rows={2} />
            <fieldset className="field">
              <legend>{t("cases:form.consentDataCategories")}</legend>
              <div className="checkbox-grid">
                {CONSENT_DATA_CATEGORIES.map((c) => (
                  <label key={c} className="checkbox">
                    <input type="checkbox" name={fields.consentDataCategories.name} value={c} defaultChecked={categories.has(c)} />
                    {t(DATA_CATEGORY_KEYS[c])}
                  </label>
                ))}
              </div>
              <FieldErrors field={fields.consentDataCategories} />
            </fieldset>
          </fieldset>
        </RefusedFieldsContext.Provider>
        <div className="form-actions">
          <button type="submit" name="intent" value="save" className="button-secondary" disabled={busy}>
            {t("cases:form.saveDraft")}
          </button>
          {caseId && (
            <button type="submit" name="intent" value="submit" className="button-primary" disabled={busy}>
              {t("cases:form.submit")}
            </button>
          )}
        </div>
      </Form>
      <aside className="packet-aside" aria-label={t("cases:glossary.title")}>
        <GlossaryLookup />
      </aside>
    </div>
  );
}

/** A searchable list of codes for an input: each option's value is the code (or, `byName`, the name in the reader's language), its label both titles. */
function CodeList({ id, terms, byName = false }: { id: string; terms: readonly CodedTerm[]; byName?: boolean }) {
  const language = useReaderLanguage();
  const other = language === "zh-CN" ? "en" : "zh-CN";
  return (
    <datalist id={id}>
      {terms.map((term) => (
        <option key={term.code} value={byName ? titleIn(term, language) : term.code}>
          {byName ? titleIn(term, other) : `${titleIn(term, language)} / ${titleIn(term, other)}`}
        </option>
      ))}
    </datalist>
  );
}

/** A stored line's drug codes as the reader picks them: by name in the reader's language. */
function withDrugNames(defaults: Record<string, unknown>, language: "en" | "zh-CN") {
  const lines = (defaults.treatmentLines ?? []) as { drugs?: string[] }[];
  return {
    ...defaults,
    treatmentLines: lines.map((line) => ({
      ...line,
      drugs: (line.drugs ?? []).map((code) => {
        const drug = drugTerm(code);
        return drug ? titleIn(drug, language) : code;
      }),
    })),
  };
}

function SaveStatus({ state, dirty, refused }: { state: { kind: string; at?: string }; dirty: boolean; refused: boolean }) {
  const { t, i18n } = useTranslation();
  const time = state.at ? new Intl.DateTimeFormat(i18n.language, { timeStyle: "short" }).format(new Date(state.at)) : "";
  const text =
    state.kind === "saving"
      ? t("cases:save.saving")
      : state.kind === "failed"
        ? t("cases:save.failed")
        : state.kind === "conflict"
          ? t("cases:save.conflict")
          : dirty
            ? t("cases:save.unsaved")
            : state.kind === "saved"
              ? refused
                ? t("cases:save.savedExceptIdentifiers", { time })
                : t("cases:save.savedAt", { time })
              : "";
  return (
    <p role="status" className={`save-status save-${state.kind}`}>
      {text}
    </p>
  );
}
