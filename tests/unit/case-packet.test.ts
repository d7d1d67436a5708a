import { describe, expect, it } from "vitest";
import { packetHasContent, PacketSchema, stagingOf, submissionProblems, withoutIdentifiers } from "~/features/cases/case-packet";
import { detectFileType } from "~/platform/file-type";
import { findIdentifiers, residentIdChecksumValid } from "~/features/cases/identifier-check";
import { turnaround } from "~/features/cases/turnaround";

const complete = {
  narrativeLanguage: "zh-CN",
  ageAtSubmission: 61,
  sex: "MALE",
  cancerType: "SOLID",
  primarySiteCode: "C34.1",
  primarySite: "右肺上叶",
  icdO3Code: "8140/3",
  histology: "腺癌",
  icd10Code: "C34.1",
  diagnosisDate: "2025-03-02",
  tnmPrefix: "c",
  tnmT: "T2a",
  tnmN: "N2",
  tnmM: "M1c",
  stageGroup: "IVB",
  ecog: 1,
  clinicalHistory: "2025年3月因咳嗽就诊，CT示右肺上叶占位。",
  biomarkers: [{ gene: "MET", alterationType: "EXON14_SKIPPING", method: "NGS", resultCode: "POSITIVE", vaf: 18.5 }],
  treatmentLines: [{ drugs: ["培美曲塞", "carboplatin"], startDate: "2025-04-01", endDate: "2025-08-01", bestResponse: "PR" }],
  questions: ["下一步是否推荐赛沃替尼？"],
  urgency: "ROUTINE",
  requestedSpecialties: ["THORACIC_ONCOLOGY"],
  consentDate: "2025-10-01",
  consentForm: "WRITTEN",
  consentRecipientInstitutionId: "demo-pacific",
  consentPurpose: "跨境第二诊疗意见",
  consentDataCategories: ["CLINICAL_HISTORY", "PATHOLOGY"],
};
const parse = (over: Record<string, unknown> = {}) => PacketSchema.parse({ ...complete, ...over });

describe("case packet", () => {
  it("accepts a complete packet for submission", () => {
    expect(submissionProblems(parse(), ["demo-pacific"])).toEqual({});
  });

  it("lets a draft be empty but lists what submission needs, field by field", () => {
    const problems = submissionProblems(PacketSchema.parse({}), ["demo-pacific"]);
    expect(problems).toMatchObject({
      ageAtSubmission: ["cases:errors.ageRequired"],
      clinicalHistory: ["cases:errors.historyRequired"],
      questions: ["cases:errors.questionRequired"],
      consentDate: ["cases:errors.consentDateRequired"],
      consentRecipientInstitutionId: ["cases:errors.consentRecipientRequired"],
    });
  });

  it("says what each missing part of the consent needs, each in its own words", () => {
    const problems = submissionProblems(parse({ consentDate: undefined, consentForm: undefined, consentPurpose: undefined, consentDataCategories: [] }), [
      "demo-pacific",
    ]);
    const keys = ["consentDate", "consentForm", "consentPurpose", "consentDataCategories"].map((field) => problems[field]);
    expect(keys).toEqual([
      ["cases:errors.consentDateRequired"],
      ["cases:errors.consentFormRequired"],
      ["cases:errors.consentPurposeRequired"],
      ["cases:errors.consentDataCategoriesRequired"],
    ]);
  });

  it("counts as content anything entered, but not where every form starts", () => {
    expect(packetHasContent(PacketSchema.parse({}))).toBe(false);
    expect(packetHasContent(PacketSchema.parse({ narrativeLanguage: "en", questions: ["  "], biomarkers: [{}], bSymptoms: false }))).toBe(false);
    for (const entered of [
      { ageAtSubmission: 0 },
      { urgency: "URGENT" },
      { questions: ["?"] },
      { biomarkers: [{ gene: "EGFR" }] },
      { requestedSpecialties: ["PATHOLOGY"] },
    ]) {
      expect(packetHasContent(PacketSchema.parse(entered)), JSON.stringify(entered)).toBe(true);
    }
  });

  it("keeps identifiers out of what a draft stores: the field keeps its last clean text, or none", () => {
    const storedBefore = { clinicalHistory: "咳嗽两月。", questions: ["旧问题 138 0013 8000"], biomarkers: [{ note: "阳性" }] };
    const { packet, refused } = withoutIdentifiers(
      parse({
        clinicalHistory: "咳嗽两月。电话 138 0013 8000",
        questions: ["请回复 li.wei@hospital.cn"],
        biomarkers: [{ gene: "MET", note: "邮箱 a@b.cn" }],
      }),
      storedBefore,
    );
    expect(refused).toEqual({
      clinicalHistory: ["cases:errors.identifierPhone"],
      "questions[0]": ["cases:errors.identifierEmail"],
      "biomarkers[0].note": ["cases:errors.identifierEmail"],
    });
    expect(packet).toMatchObject({ clinicalHistory: "咳嗽两月。", questions: [undefined], biomarkers: [{ gene: "MET", note: "阳性" }], histology: "腺癌" });
  });

  it("asks for the staging that fits the cancer type", () => {
    expect(stagingOf(parse())).toMatchObject({ system: "AJCC8", edition: 8, t: "T2a", group: "IVB" });
    expect(submissionProblems(parse({ cancerType: "LYMPHOMA" }), ["demo-pacific"])).toHaveProperty("luganoStage", ["cases:errors.stagingRequired"]);
    expect(submissionProblems(parse({ cancerType: "MYELOMA", rissStage: "II" }), ["demo-pacific"])).toEqual({});
    expect(submissionProblems(parse({ cancerType: "AML" }), ["demo-pacific"])).toHaveProperty("eln2022Risk");
  });

  it("takes the ICD-10 code only from the bilingual list", () => {
    const known = new Set(["C34.1", "C83.3"]);
    expect(submissionProblems(parse(), ["demo-pacific"], known)).toEqual({});
    expect(submissionProblems(parse({ icd10Code: "C34.95" }), ["demo-pacific"], known)).toHaveProperty("icd10Code", ["cases:errors.icd10NotInList"]);
  });

  it("codes the primary site and the drugs from what was picked or typed, in either language", () => {
    const packet = parse({ primarySiteCode: "c34.1", treatmentLines: [{ drugs: ["奥希替尼", "Carboplatin", ""] }] });
    expect(packet.primarySiteCode).toBe("C34.1");
    expect(packet.treatmentLines[0].drugs).toEqual(["osimertinib", "carboplatin", undefined]);
    expect(parse({ primarySiteCode: "肺上叶" }).primarySiteCode).toBe("C34.1");
    expect(parse({ primarySiteCode: "Lung, NOS" }).primarySiteCode).toBe("C34.9");
  });

  it("refuses a site or a drug that is not in its list, naming the field", () => {
    const result = PacketSchema.safeParse({ ...complete, primarySiteCode: "右肺上叶尖段", treatmentLines: [{ drugs: ["奥希替尼80mg"] }] });
    const messages = result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}:${i.message}`);
    expect(messages).toEqual(["primarySiteCode:cases:errors.siteNotInList", "treatmentLines.0.drugs.0:cases:errors.drugNotInList"]);
  });

  it("needs a coded site, a histology (coded or as written) and each line's drugs or regimen for submission", () => {
    const problems = submissionProblems(
      parse({ primarySiteCode: undefined, icdO3Code: undefined, histology: undefined, treatmentLines: [{ drugs: [undefined], startDate: "2025-04-01" }] }),
      ["demo-pacific"],
    );
    expect(problems).toMatchObject({
      primarySiteCode: ["cases:errors.siteRequired"],
      icdO3Code: ["cases:errors.histologyRequired"],
      "treatmentLines[0].drugs": ["cases:errors.regimenRequired"],
    });
    expect(submissionProblems(parse({ icdO3Code: undefined, treatmentLines: [{ regimen: "胸部放疗 60 Gy" }] }), ["demo-pacific"])).toEqual({});
    // A line added and left empty is no line at all.
    expect(submissionProblems(parse({ treatmentLines: [{ drugs: [""] }] }), ["demo-pacific"])).toEqual({});
  });

  it("codes a biomarker's alteration, result and value, refusing what does not fit together", () => {
    const issues = (biomarker: Record<string, unknown>) => {
      const result = PacketSchema.safeParse({ biomarkers: [biomarker] });
      return result.success ? [] : result.error.issues.map((i) => `${i.path.slice(2).join(".")}:${i.message}`);
    };
    expect(issues({ gene: "EGFR", alterationType: "SEQUENCE_VARIANT", hgvs: "p.Leu858Arg", resultCode: "POSITIVE" })).toEqual([]);
    expect(issues({ gene: "EGFR", alterationType: "EXON19_DELETION", method: "PCR", resultCode: "POSITIVE" })).toEqual([]);
    expect(issues({ gene: "PD-L1", alterationType: "EXPRESSION", method: "IHC", resultValue: 60, resultUnit: "TPS" })).toEqual([]);
    expect(issues({ gene: "EGFR", alterationType: "SEQUENCE_VARIANT" })).toEqual(["hgvs:cases:errors.hgvsRequired"]);
    expect(issues({ gene: "EGFR", alterationType: "SEQUENCE_VARIANT", hgvs: "L858R" })).toEqual(["hgvs:cases:errors.hgvsInvalid"]);
    expect(issues({ gene: "EGFR", alterationType: "FUSION", hgvs: "c.2573T>G" })).toEqual(["alterationType:cases:errors.hgvsNeedsSequenceVariant"]);
    expect(issues({ gene: "PD-L1", resultValue: 60 })).toEqual(["resultUnit:cases:errors.resultUnitRequired"]);
    expect(issues({ gene: "PD-L1", resultUnit: "TPS" })).toEqual(["resultValue:cases:errors.resultValueRequired"]);
    expect(issues({ gene: "PD-L1", resultValue: 160, resultUnit: "TPS" })).toEqual(["resultValue:cases:errors.resultValueInvalid"]);
    expect(issues({ gene: "TMB", resultValue: 160, resultUnit: "MUT_PER_MB" })).toEqual([]);
    expect(issues({ gene: "EGFR", resultCode: "阳性" })).toEqual(["resultCode:cases:errors.notInList"]);
  });

  it("refuses a consent naming an institution that is not an overseas consulting centre", () => {
    expect(submissionProblems(parse({ consentRecipientInstitutionId: "demo-wuhan" }), ["demo-pacific"])).toHaveProperty("consentRecipientInstitutionId");
  });

  it("rejects malformed values with keys", () => {
    const result = PacketSchema.safeParse({ ageAtSubmission: 200, icd10Code: "lung", diagnosisDate: "2025-02-30", ecog: 7, biomarkers: [{ vaf: 140 }] });
    expect(result.success).toBe(false);
    const messages = result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}:${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        "ageAtSubmission:cases:errors.ageInvalid",
        "icd10Code:cases:errors.icd10Invalid",
        "diagnosisDate:cases:errors.dateInvalid",
        "ecog:cases:errors.ecogInvalid",
        "biomarkers.0.vaf:cases:errors.vafInvalid",
      ]),
    );
  });

  it("points at the field that holds patient identifiers or contact details", () => {
    const problems = submissionProblems(
      parse({ clinicalHistory: "患者身份证 11010519491231002X，电话 138 0013 8000", questions: ["请回复 li.wei@hospital.cn"] }),
      ["demo-pacific"],
    );
    expect(problems.clinicalHistory).toEqual(expect.arrayContaining(["cases:errors.identifierResidentId", "cases:errors.identifierPhone"]));
    expect(problems["questions[0]"]).toEqual(["cases:errors.identifierEmail"]);
  });
});

describe("identifier detection", () => {
  it("recognises resident ids by their check digit, not just their length", () => {
    expect(residentIdChecksumValid("11010519491231002X")).toBe(true);
    expect(findIdentifiers("ID 11010519491231002X")).toEqual(["residentId"]);
    expect(findIdentifiers("ID 110105194912310021")).toEqual([]);
  });

  it("finds phones and emails but leaves clinical numbers alone", () => {
    expect(findIdentifiers("手机13800138000")).toEqual(["phone"]);
    expect(findIdentifiers("call 027-83662688")).toEqual(["phone"]);
    expect(findIdentifiers("+1 415 555 0100")).toEqual(["phone"]);
    expect(findIdentifiers("a.b@example.org")).toEqual(["email"]);
    const clinical = "CEA 12.5 ng/mL, PD-L1 TPS 80%, VAF 18.5%, EGFR L858R, 2025-03-02, 奥希替尼 80 mg qd, T790M, Ki-67 60%, 3 cycles";
    expect(findIdentifiers(clinical)).toEqual([]);
  });
});

describe("file types by content", () => {
  it("knows PDF, JPEG and PNG by their first bytes", () => {
    expect(detectFileType(new TextEncoder().encode("%PDF-1.7\n"))?.mimeType).toBe("application/pdf");
    expect(detectFileType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))?.mimeType).toBe("image/jpeg");
    expect(detectFileType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))?.mimeType).toBe("image/png");
    expect(detectFileType(new TextEncoder().encode("MZ\x90\x00 pretending to be a pdf"))).toBeNull();
  });
});

describe("turnaround", () => {
  it("counts days open and flags open cases past their due date", () => {
    const now = new Date("2026-11-21T12:00:00Z");
    const submittedAt = new Date("2026-11-10T12:00:00Z");
    expect(turnaround({ status: "TRIAGED", submittedAt, dueAt: new Date("2026-11-17T12:00:00Z") }, now)).toMatchObject({ daysOpen: 11, overdue: true });
    expect(turnaround({ status: "WITHDRAWN", submittedAt, dueAt: new Date("2026-11-17T12:00:00Z") }, now)).toMatchObject({ overdue: false });
    expect(turnaround({ status: "DRAFT", submittedAt: null, dueAt: null }, now)).toMatchObject({ daysOpen: null, overdue: false });
  });
});
