/** A complete case packet as the browser form posts it. */
export function packetForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    narrativeLanguage: "zh-CN",
    ageAtSubmission: "61",
    sex: "MALE",
    cancerType: "SOLID",
    primarySiteCode: "C34.1",
    primarySite: "右肺上叶",
    icdO3Code: "8140/3",
    histology: "腺癌",
    icd10Code: "C34.1",
    diagnosisDate: "2026-03-02",
    tnmPrefix: "c",
    tnmT: "T2a",
    tnmN: "N2",
    tnmM: "M1c",
    stageGroup: "IVB",
    ecog: "1",
    clinicalHistory: "2026年3月因咳嗽就诊，CT示右肺上叶占位，穿刺病理为腺癌。",
    "biomarkers[0].gene": "MET",
    "biomarkers[0].alterationType": "EXON14_SKIPPING",
    "biomarkers[0].method": "NGS",
    "biomarkers[0].resultCode": "POSITIVE",
    "biomarkers[0].vaf": "18.5",
    "treatmentLines[0].drugs[0]": "培美曲塞",
    "treatmentLines[0].drugs[1]": "卡铂",
    "treatmentLines[0].startDate": "2026-04-01",
    "treatmentLines[0].bestResponse": "PR",
    "questions[0]": "下一步是否推荐赛沃替尼？",
    urgency: "ROUTINE",
    requestedSpecialties: ["THORACIC_ONCOLOGY"],
    consentDate: "2026-10-01",
    consentForm: "WRITTEN",
    consentRecipientInstitutionId: "demo-pacific",
    consentPurpose: "跨境第二诊疗意见",
    consentDataCategories: ["CLINICAL_HISTORY", "PATHOLOGY"],
    ...overrides,
  };
}

export function without(form: Record<string, string | string[]>, ...keys: string[]) {
  return Object.fromEntries(Object.entries(form).filter(([key]) => !keys.some((k) => key === k || key.startsWith(k))));
}

/** A case is created by its packet's first save that holds something; this is enough (`post("/cases/new", FIRST_ENTRY, cookie)`). */
export const FIRST_ENTRY = { ageAtSubmission: "61" };
