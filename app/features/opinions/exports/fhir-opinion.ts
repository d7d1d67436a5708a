/**
 * A delivered opinion as a FHIR R4 document Bundle: the Composition (the
 * signed opinion, first, as a document needs) and the ServiceRequest (the
 * consult request), Consent, CarePlan (one activity per recommended plan
 * item) and Communications (the delivery, each follow-up question and its
 * answer) it points to, with the practitioners and the submitting institution.
 *
 * There is no Patient resource and no patient identity: we never have one.
 * Where R4 requires a subject (ServiceRequest, CarePlan) or a privacy consent
 * requires a patient (invariant ppc-2), the reference is logical: only the
 * pseudonymous case code, never a resource.
 *
 * Full URLs are `urn:uuid:` name-based UUIDs of our ids and every timestamp
 * comes from the input, so the same input always gives the same JSON.
 * Pure; no I/O.
 */
import { CANCER_TYPES, labelKeys, type CancerType } from "~/features/cases/clinical-vocabulary";
import { fhirString } from "./fhir-primitives";
import { resourceUrn, uuidV5 } from "./fhir-uuid";
import { bilingualDiv, labelled, list, LANGUAGE_TAGS, opinionSectionDiv, type BilingualLabels, type Translate } from "./fhir-opinion-narrative";
import { element, xhtmlText } from "./fhir-xhtml";
import type { CaseQuestion, OpinionContent, PlanItem, SectionName } from "~/features/opinions/opinion-content";
import { isSpecialty, SPECIALTY_LABEL_KEYS } from "~/features/identity/specialties";

export type { BilingualLabels, Translate } from "./fhir-opinion-narrative";

/** A user as the export names them: our id and the name shown in the platform. */
export type FhirPerson = { id: string; displayName: string };
/** A code with its English and Chinese display, as in the reference data. */
export type FhirCodedTerm = { code: string; en: string | null; zh: string | null };

/** Everything the export needs, as plain data. Instants are ISO 8601 with a zone (`Date.toISOString()`). */
export type FhirOpinionInput = {
  case: {
    id: string;
    code: string;
    cancerType: string | null;
    primarySite: string | null;
    /** The primary site's ICD-O-3 topography, when coded. */
    topography: FhirCodedTerm | null;
    histology: string | null;
    icd10: FhirCodedTerm | null;
    /** ICD-O-3 morphology. */
    icdO3: FhirCodedTerm | null;
    submittedAt: string;
    institution: { id: string; nameEn: string; nameZh: string };
  };
  request: {
    questions: readonly CaseQuestion[];
    specialties: readonly string[];
    urgency: "ROUTINE" | "URGENT";
    requestedBy: FhirPerson;
  };
  /** The patient's consent to cross-border review; `givenAt` is a date (YYYY-MM-DD) or an instant. */
  consent: { id: string; givenAt: string };
  opinion: {
    id: string;
    version: number;
    /** Set when this version amends an earlier one. */
    amendment: { previousId: string; reason: string } | null;
    /** The signed content, as frozen in `Opinion.signedContent`. */
    content: OpinionContent;
    contentHash: string;
    /** The coordinator's decision to deliver without Chinese translations. */
    englishOnly: boolean;
    signers: readonly FhirPerson[];
    signedAt: string;
    deliveredAt: string;
    recipients: readonly FhirPerson[];
  };
  followUps: readonly {
    id: string;
    question: string;
    askedAt: string;
    askedBy: FhirPerson;
    answer: string | null;
    answeredAt: string | null;
    answeredBy: FhirPerson | null;
  }[];
};

const CANCER_TYPE_KEYS = labelKeys("cancerTypes", CANCER_TYPES);

export type FhirResource = { resourceType: string; id: string; [element: string]: unknown };
export type FhirBundleEntry = { fullUrl: string; resource: FhirResource };
export type FhirBundle = {
  resourceType: "Bundle";
  id: string;
  identifier: { system: string; value: string };
  type: "document";
  timestamp: string;
  entry: FhirBundleEntry[];
};

/** Our own identifier and code systems, and the extensions FHIR has no element for. Fixed, so exports stay comparable. */
export const FHIR_SYSTEMS = {
  caseId: "urn:tumorboard:case",
  caseCode: "urn:tumorboard:case-code",
  opinion: "urn:tumorboard:opinion",
  consent: "urn:tumorboard:consent",
  followUp: "urn:tumorboard:opinion-follow-up",
  user: "urn:tumorboard:user",
  institution: "urn:tumorboard:institution",
  specialty: "urn:tumorboard:specialty",
  cancerType: "urn:tumorboard:cancer-type",
  consentPurpose: "urn:tumorboard:consent-purpose",
  opinionSection: "urn:tumorboard:opinion-section",
  communicationCategory: "urn:tumorboard:communication-category",
  escatTier: "urn:tumorboard:escat-tier",
  nccnCategory: "urn:tumorboard:nccn-category",
} as const;

export const FHIR_EXTENSIONS = {
  /** SHA-256 (hex) of the canonical JSON of the signed content, on the Composition. */
  signedContentSha256: "urn:tumorboard:extension:signed-content-sha256",
  treatmentIntent: "urn:tumorboard:extension:treatment-intent",
  priority: "urn:tumorboard:extension:recommendation-priority",
  evidenceLevel: "urn:tumorboard:extension:evidence-level",
} as const;

const HL7 = {
  translation: "http://hl7.org/fhir/StructureDefinition/translation",
  snomed: "http://snomed.info/sct",
  loinc: "http://loinc.org",
  icd10: "http://hl7.org/fhir/sid/icd-10",
  icdO3: "http://terminology.hl7.org/CodeSystem/icd-o-3",
  consentScope: "http://terminology.hl7.org/CodeSystem/consentscope",
  actCode: "http://terminology.hl7.org/CodeSystem/v3-ActCode",
  actReason: "http://terminology.hl7.org/CodeSystem/v3-ActReason",
  rfc3986: "urn:ietf:rfc:3986",
} as const;

const SNOMED_CONSULTATION = { system: HL7.snomed, code: "11429006", display: "Consultation" };
const LOINC_CONSULT_NOTE = { system: HL7.loinc, code: "11488-4", display: "Consult note" };
const LOINC_PATIENT_CONSENT = { system: HL7.loinc, code: "59284-0" };
const SNOMED_INTENT = {
  CURATIVE: { system: HL7.snomed, code: "373808002", display: "Curative - procedure intent" },
  PALLIATIVE: { system: HL7.snomed, code: "363676003", display: "Palliative - procedure intent" },
} as const;
const EVIDENCE_SYSTEM = { ESCAT: FHIR_SYSTEMS.escatTier, NCCN: FHIR_SYSTEMS.nccnCategory } as const;

/** Opinion sections in the order the printed opinion shows them. */
const SECTION_ORDER: readonly SectionName[] = ["answers", "diagnosis", "plan", "workup", "trials", "references", "dissent"];

type Json = Record<string, unknown>;
type Reference = { reference: string; display?: string };

const nonEmpty = <T>(items: readonly T[]): T[] | undefined => (items.length ? [...items] : undefined);
const reference = (fullUrl: string, display?: string): Reference => ({ reference: fullUrl, display: fhirString(display) });
const narrative = (div: string) => ({ status: "generated", div });
const both = (labels: BilingualLabels, key: string, values?: Record<string, string | number>) => `${labels.en(key, values)} / ${labels.zh(key, values)}`;

/** The Chinese version of a text, as R4's translation extension on the element's `_name` sibling. */
function zhTranslation(zh: string | null | undefined): Json | undefined {
  const content = fhirString(zh);
  if (!content) return undefined;
  return {
    extension: [
      {
        url: HL7.translation,
        extension: [
          { url: "lang", valueCode: LANGUAGE_TAGS.zh },
          { url: "content", valueString: content },
        ],
      },
    ],
  };
}

/** `{ name: en, _name: zh translation }`, leaving out what is empty. */
function translatable(name: string, en: string | null | undefined, zh: string | null | undefined): Json {
  const value = fhirString(en);
  return value ? { [name]: value, [`_${name}`]: zhTranslation(zh) } : {};
}

function textConcept(en: string | null | undefined, zh: string | null | undefined): Json | undefined {
  return fhirString(en) ? translatable("text", en, zh) : undefined;
}

/** Drops the `undefined` members left by optional elements. */
function withoutUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

class EntryUrls {
  readonly composition: string;
  readonly serviceRequest: string;
  readonly consent: string;
  readonly carePlan: string;
  readonly delivery: string;
  readonly organization: string;
  readonly requesterRole: string;

  constructor(input: FhirOpinionInput) {
    this.composition = resourceUrn("Composition", input.opinion.id);
    this.serviceRequest = resourceUrn("ServiceRequest", input.case.id);
    this.consent = resourceUrn("Consent", input.consent.id);
    this.carePlan = resourceUrn("CarePlan", input.opinion.id);
    this.delivery = resourceUrn("Communication", `${input.opinion.id}/delivery`);
    this.organization = resourceUrn("Organization", input.case.institution.id);
    this.requesterRole = resourceUrn("PractitionerRole", `${input.request.requestedBy.id}/${input.case.institution.id}`);
  }

  practitioner(person: FhirPerson): string {
    return resourceUrn("Practitioner", person.id);
  }
  followUpQuestion(followUpId: string): string {
    return resourceUrn("Communication", `${followUpId}/question`);
  }
  followUpAnswer(followUpId: string): string {
    return resourceUrn("Communication", `${followUpId}/answer`);
  }
}

const idOf = (fullUrl: string) => fullUrl.slice("urn:uuid:".length);

export function opinionBundle(input: FhirOpinionInput, labels: BilingualLabels): FhirBundle {
  const { opinion } = input;
  if (opinion.signers.length === 0) throw new Error("A signed opinion has at least one signer.");
  const urls = new EntryUrls(input);
  const resources: [string, FhirResource][] = [
    [urls.composition, composition(input, urls, labels)],
    [urls.serviceRequest, serviceRequest(input, urls, labels)],
    [urls.consent, consent(input, urls)],
    [urls.carePlan, carePlan(input, urls, labels)],
    [urls.delivery, delivery(input, urls)],
    ...followUpCommunications(input, urls),
    ...practitioners(input, urls),
    [
      urls.requesterRole,
      {
        resourceType: "PractitionerRole",
        id: idOf(urls.requesterRole),
        practitioner: personReference(input.request.requestedBy, urls),
        organization: reference(urls.organization, input.case.institution.nameEn),
      },
    ],
    [urls.organization, organization(input, urls)],
  ];
  const bundleId = uuidV5(`Bundle/${opinion.id}`);
  return withoutUndefined<FhirBundle>({
    resourceType: "Bundle",
    id: bundleId,
    identifier: { system: HL7.rfc3986, value: `urn:uuid:${bundleId}` },
    type: "document",
    timestamp: opinion.deliveredAt,
    entry: resources.map(([fullUrl, resource]) => ({ fullUrl, resource })),
  });
}

function personReference(person: FhirPerson, urls: EntryUrls): Reference {
  return reference(urls.practitioner(person), person.displayName);
}

/** The pseudonymous subject: the case code, and nothing that could identify the patient. */
function caseSubject(input: FhirOpinionInput): Json {
  return { identifier: { system: FHIR_SYSTEMS.caseCode, value: input.case.code }, display: input.case.code };
}

/** The primary site in a language: its topography title where coded, else as entered. */
function siteText(kase: FhirOpinionInput["case"], language: "en" | "zh"): string | null {
  return kase.topography ? (kase.topography[language] ?? kase.topography.en ?? kase.topography.code) : kase.primarySite;
}

function diagnosisLine(input: FhirOpinionInput, language: "en" | "zh"): string {
  const { icd10, icdO3, histology } = input.case;
  const term = (coded: FhirCodedTerm | null) => (coded ? [coded.code, coded[language] ?? coded.en].filter(Boolean).join(" ") : null);
  return [term(icd10), term(icdO3) ?? histology, siteText(input.case, language)].filter((part): part is string => Boolean(part?.trim())).join(" · ");
}

// ---- Composition: the signed opinion ----------------------------------------

function composition(input: FhirOpinionInput, urls: EntryUrls, labels: BilingualLabels): FhirResource {
  const { opinion, request } = input;
  const sections: Json[] = SECTION_ORDER.map((name) => ({
    title: both(labels, `pdf:sections.${name}`),
    code: { coding: [{ system: FHIR_SYSTEMS.opinionSection, code: name }] },
    text: narrative(opinionSectionDiv(name, opinion.content, request.questions, opinion.englishOnly, labels)),
    entry: name === "answers" ? [reference(urls.serviceRequest)] : name === "plan" ? [reference(urls.carePlan)] : undefined,
  }));
  if (opinion.amendment) sections.push(amendmentSection(input, labels));
  sections.push(signaturesSection(input, labels));
  if (input.followUps.length) sections.push(followUpsSection(input, urls, labels));

  return {
    resourceType: "Composition",
    id: idOf(urls.composition),
    text: narrative(bilingualDiv((t, language) => headerXhtml(input, t, language), labels)),
    extension: [{ url: FHIR_EXTENSIONS.signedContentSha256, valueString: opinion.contentHash }],
    identifier: { system: FHIR_SYSTEMS.opinion, value: opinion.id },
    status: "final",
    type: { coding: [LOINC_CONSULT_NOTE], text: both(labels, "pdf:title") },
    date: opinion.signedAt,
    author: opinion.signers.map((signer) => personReference(signer, urls)),
    title: `${both(labels, "pdf:title")} ${input.case.code} (${labels.en("pdf:version", { version: opinion.version })})`,
    attester: opinion.signers.map((signer) => ({ mode: "legal", time: opinion.signedAt, party: personReference(signer, urls) })),
    relatesTo: opinion.amendment ? [{ code: "replaces", targetIdentifier: { system: FHIR_SYSTEMS.opinion, value: opinion.amendment.previousId } }] : undefined,
    section: sections,
  };
}

function headerXhtml(input: FhirOpinionInput, t: Translate, language: "en" | "zh"): string {
  const diagnosis = diagnosisLine(input, language);
  return [
    element("p", element("b", xhtmlText(t("pdf:title")))),
    element("p", labelled(t("pdf:caseCode"), input.case.code)),
    diagnosis ? element("p", labelled(t("pdf:diagnosisLine"), diagnosis)) : "",
    element("p", xhtmlText(t("pdf:version", { version: input.opinion.version }))),
  ].join("");
}

function amendmentSection(input: FhirOpinionInput, labels: BilingualLabels): Json {
  const { version, amendment } = input.opinion;
  const render = (t: Translate) =>
    element("p", element("b", xhtmlText(t("pdf:amendment", { previous: version - 1 })))) +
    element("p", labelled(t("pdf:amendmentReason"), amendment?.reason ?? ""));
  return {
    title: both(labels, "pdf:amendmentReason"),
    code: { coding: [{ system: FHIR_SYSTEMS.opinionSection, code: "amendment" }] },
    text: narrative(bilingualDiv(render, labels)),
  };
}

function signaturesSection(input: FhirOpinionInput, labels: BilingualLabels): Json {
  const { signers, signedAt, contentHash } = input.opinion;
  const render = (t: Translate) =>
    list(
      "ul",
      signers.map((signer) => labelled(t("pdf:signatures.signedBy"), signer.displayName)),
    ) +
    element("p", labelled(t("pdf:signatures.signedAt"), signedAt)) +
    element("p", labelled(t("pdf:signatures.contentHash"), contentHash));
  return {
    title: both(labels, "pdf:sections.signatures"),
    code: { coding: [{ system: FHIR_SYSTEMS.opinionSection, code: "signatures" }] },
    text: narrative(bilingualDiv(render, labels)),
  };
}

function followUpsSection(input: FhirOpinionInput, urls: EntryUrls, labels: BilingualLabels): Json {
  const render = (t: Translate) =>
    list(
      "ol",
      input.followUps.map(
        (f) =>
          element("p", labelled(`${t("pdf:followUps.question")} (${t("pdf:followUps.asked")} ${f.askedAt})`, f.question)) +
          element(
            "p",
            f.answer != null && f.answer.trim() !== ""
              ? labelled(`${t("pdf:followUps.answer")} (${t("pdf:followUps.answered")} ${f.answeredAt ?? ""})`, f.answer)
              : xhtmlText(t("pdf:followUps.awaiting")),
          ),
      ),
    );
  return {
    title: both(labels, "pdf:sections.followUps"),
    code: { coding: [{ system: FHIR_SYSTEMS.opinionSection, code: "follow-ups" }] },
    text: narrative(bilingualDiv(render, labels)),
    entry: input.followUps.flatMap((f) => [reference(urls.followUpQuestion(f.id)), ...(answered(f) ? [reference(urls.followUpAnswer(f.id))] : [])]),
  };
}

// ---- ServiceRequest and Consent: what was asked, and on what authority ------

function serviceRequest(input: FhirOpinionInput, urls: EntryUrls, labels: BilingualLabels): FhirResource {
  const { case: kase, request } = input;
  const reasons: Json[] = [];
  const withSite = (diagnosis: string, language: "en" | "zh") => [diagnosis, siteText(kase, language)].filter((part) => part?.trim()).join(" · ");
  if (kase.icd10) {
    reasons.push({
      coding: [{ system: HL7.icd10, code: kase.icd10.code, display: fhirString(kase.icd10.en) }],
      ...translatable("text", withSite(kase.icd10.en ?? kase.icd10.code, "en"), kase.icd10.zh ? withSite(kase.icd10.zh, "zh") : null),
    });
  }
  const bodySite = kase.topography
    ? {
        coding: [{ system: HL7.icdO3, code: kase.topography.code, display: fhirString(kase.topography.en) }],
        ...translatable("text", kase.topography.en ?? kase.topography.code, kase.topography.zh),
      }
    : fhirString(kase.primarySite)
      ? { text: kase.primarySite }
      : null;
  if (kase.icdO3 || fhirString(kase.histology)) {
    reasons.push({
      coding: kase.icdO3 ? [{ system: HL7.icdO3, code: kase.icdO3.code, display: fhirString(kase.icdO3.en) }] : undefined,
      ...translatable("text", kase.histology || kase.icdO3?.en, kase.icdO3?.zh),
    });
  }
  const key = kase.cancerType ? CANCER_TYPE_KEYS[kase.cancerType as CancerType] : undefined;
  if (kase.cancerType && key) {
    reasons.push({
      coding: [{ system: FHIR_SYSTEMS.cancerType, code: kase.cancerType, display: labels.en(key) }],
      ...translatable("text", labels.en(key), labels.zh(key)),
    });
  }
  const specialties = request.specialties.filter(isSpecialty).map((specialty) => ({
    coding: [{ system: FHIR_SYSTEMS.specialty, code: specialty, display: labels.en(SPECIALTY_LABEL_KEYS[specialty]) }],
    ...translatable("text", labels.en(SPECIALTY_LABEL_KEYS[specialty]), labels.zh(SPECIALTY_LABEL_KEYS[specialty])),
  }));
  return {
    resourceType: "ServiceRequest",
    id: idOf(urls.serviceRequest),
    identifier: [
      { system: FHIR_SYSTEMS.caseId, value: kase.id },
      { system: FHIR_SYSTEMS.caseCode, value: kase.code },
    ],
    status: "completed",
    intent: "order",
    priority: request.urgency === "URGENT" ? "urgent" : "routine",
    code: { coding: [SNOMED_CONSULTATION], ...translatable("text", labels.en("pdf:title"), labels.zh("pdf:title")) },
    orderDetail: nonEmpty(specialties),
    subject: caseSubject(input),
    authoredOn: kase.submittedAt,
    requester: reference(urls.requesterRole, request.requestedBy.displayName),
    reasonCode: nonEmpty(reasons),
    bodySite: bodySite ? [bodySite] : undefined,
    supportingInfo: [reference(urls.consent)],
    note: nonEmpty(
      request.questions.flatMap((question) => {
        const text = fhirString(question.text);
        return text ? [{ id: question.key, text }] : [];
      }),
    ),
  };
}

function consent(input: FhirOpinionInput, urls: EntryUrls): FhirResource {
  return {
    resourceType: "Consent",
    id: idOf(urls.consent),
    identifier: [{ system: FHIR_SYSTEMS.consent, value: input.consent.id }],
    status: "active",
    scope: { coding: [{ system: HL7.consentScope, code: "patient-privacy", display: "Privacy Consent" }] },
    category: [{ coding: [LOINC_PATIENT_CONSENT] }, { coding: [{ system: FHIR_SYSTEMS.consentPurpose, code: "cross-border-second-opinion" }] }],
    patient: caseSubject(input),
    dateTime: input.consent.givenAt,
    organization: [reference(urls.organization, input.case.institution.nameEn)],
    policyRule: { coding: [{ system: HL7.actCode, code: "OPTIN", display: "opt-in" }] },
    provision: { type: "permit", purpose: [{ system: HL7.actReason, code: "TREAT", display: "treatment" }] },
  };
}

// ---- CarePlan: the recommendations ------------------------------------------

function planActivity(item: PlanItem, zh: PlanItem | undefined, labels: BilingualLabels): Json {
  const intent = item.intent
    ? {
        url: FHIR_EXTENSIONS.treatmentIntent,
        valueCodeableConcept: {
          coding: [SNOMED_INTENT[item.intent]],
          ...translatable("text", labels.en(`pdf:intent.${item.intent}`), labels.zh(`pdf:intent.${item.intent}`)),
        },
      }
    : undefined;
  const priority = item.priority ? { url: FHIR_EXTENSIONS.priority, valuePositiveInt: item.priority } : undefined;
  const evidence = item.evidence
    ? {
        url: FHIR_EXTENSIONS.evidenceLevel,
        valueCodeableConcept: {
          coding: [{ system: EVIDENCE_SYSTEM[item.evidence.system], code: item.evidence.level }],
          ...translatable(
            "text",
            labels.en(`pdf:evidence.${item.evidence.system}`, { level: item.evidence.level }),
            labels.zh(`pdf:evidence.${item.evidence.system}`, { level: item.evidence.level }),
          ),
        },
      }
    : undefined;
  return {
    detail: {
      extension: nonEmpty([intent, priority, evidence].filter((e) => e !== undefined)),
      code: textConcept(item.treatment, zh?.treatment),
      status: "not-started",
      productCodeableConcept: textConcept(item.regimen, zh?.regimen),
      ...translatable("description", item.rationale, zh?.rationale),
    },
  };
}

function carePlan(input: FhirOpinionInput, urls: EntryUrls, labels: BilingualLabels): FhirResource {
  const { opinion, request } = input;
  const plan = opinion.content.plan;
  return {
    resourceType: "CarePlan",
    id: idOf(urls.carePlan),
    text: narrative(opinionSectionDiv("plan", opinion.content, request.questions, opinion.englishOnly, labels)),
    identifier: [{ system: FHIR_SYSTEMS.opinion, value: opinion.id }],
    status: "active",
    intent: "proposal",
    ...translatable("title", labels.en("pdf:sections.plan"), labels.zh("pdf:sections.plan")),
    ...translatable("description", plan.en.summary, plan.zh?.summary),
    subject: caseSubject(input),
    created: opinion.signedAt,
    author: personReference(opinion.signers[0], urls),
    contributor: opinion.signers.map((signer) => personReference(signer, urls)),
    activity: nonEmpty(plan.en.items.map((item, index) => planActivity(item, plan.zh?.items[index], labels))),
  };
}

// ---- Communications: delivery and follow-ups --------------------------------

const communicationCategory = (code: string) => [{ coding: [{ system: FHIR_SYSTEMS.communicationCategory, code }] }];
const textPayload = (text: string | null) => {
  const content = fhirString(text);
  return content ? [{ contentString: content }] : undefined;
};
const answered = (f: FhirOpinionInput["followUps"][number]) => fhirString(f.answer) !== undefined && f.answeredAt !== null;

function delivery(input: FhirOpinionInput, urls: EntryUrls): FhirResource {
  return {
    resourceType: "Communication",
    id: idOf(urls.delivery),
    basedOn: [reference(urls.serviceRequest)],
    status: "completed",
    category: communicationCategory("opinion-delivery"),
    about: [reference(urls.composition)],
    sent: input.opinion.deliveredAt,
    recipient: nonEmpty(input.opinion.recipients.map((person) => personReference(person, urls))),
    payload: [{ contentReference: reference(urls.composition) }],
  };
}

function followUpCommunications(input: FhirOpinionInput, urls: EntryUrls): [string, FhirResource][] {
  return input.followUps.flatMap((f) => {
    const questionUrl = urls.followUpQuestion(f.id);
    const question: [string, FhirResource] = [
      questionUrl,
      {
        resourceType: "Communication",
        id: idOf(questionUrl),
        identifier: [{ system: FHIR_SYSTEMS.followUp, value: f.id }],
        status: "completed",
        category: communicationCategory("follow-up-question"),
        about: [reference(urls.composition)],
        sent: f.askedAt,
        recipient: input.opinion.signers.map((signer) => personReference(signer, urls)),
        sender: personReference(f.askedBy, urls),
        payload: textPayload(f.question),
      },
    ];
    if (!answered(f)) return [question];
    const answerUrl = urls.followUpAnswer(f.id);
    const answer: [string, FhirResource] = [
      answerUrl,
      {
        resourceType: "Communication",
        id: idOf(answerUrl),
        identifier: [{ system: FHIR_SYSTEMS.followUp, value: f.id }],
        inResponseTo: [reference(questionUrl)],
        status: "completed",
        category: communicationCategory("follow-up-answer"),
        about: [reference(urls.composition)],
        sent: f.answeredAt ?? undefined,
        recipient: [personReference(f.askedBy, urls)],
        sender: f.answeredBy ? personReference(f.answeredBy, urls) : undefined,
        payload: textPayload(f.answer),
      },
    ];
    return [question, answer];
  });
}

// ---- who: practitioners and the submitting institution ----------------------

/** Everyone the bundle names, once each, in order of first mention. */
function practitioners(input: FhirOpinionInput, urls: EntryUrls): [string, FhirResource][] {
  const people = new Map<string, FhirPerson>();
  const mention = (person: FhirPerson | null) => {
    if (person && !people.has(person.id)) people.set(person.id, person);
  };
  input.opinion.signers.forEach(mention);
  mention(input.request.requestedBy);
  input.opinion.recipients.forEach(mention);
  for (const f of input.followUps) {
    mention(f.askedBy);
    mention(f.answeredBy);
  }
  return [...people.values()].map((person) => {
    const url = urls.practitioner(person);
    return [
      url,
      {
        resourceType: "Practitioner",
        id: idOf(url),
        identifier: [{ system: FHIR_SYSTEMS.user, value: person.id }],
        name: fhirString(person.displayName) ? [{ text: fhirString(person.displayName) }] : undefined,
      },
    ];
  });
}

function organization(input: FhirOpinionInput, urls: EntryUrls): FhirResource {
  const { institution } = input.case;
  return {
    resourceType: "Organization",
    id: idOf(urls.organization),
    identifier: [{ system: FHIR_SYSTEMS.institution, value: institution.id }],
    ...translatable("name", institution.nameEn, institution.nameZh),
    alias: nonEmpty([fhirString(institution.nameZh)].filter((name): name is string => name !== undefined)),
  };
}
