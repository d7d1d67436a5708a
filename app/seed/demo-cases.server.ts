/** Three realistic demo cases in different states, created once on an empty database. */
import { PacketSchema } from "~/features/cases/case-packet";
import { defaultDueDate } from "~/features/cases/turnaround";
import { createDraftCase, savePacket } from "~/features/cases/case-store.server";
import { indexCase } from "~/features/search-reports/search.server";
import { recordTranslation } from "~/features/glossary/translation-aids.server";
import type { Db } from "~/platform/db.server";

const DAY = 86_400_000;
const consent = (recipient: string) => ({
  consentDate: "2026-10-28",
  consentForm: "WRITTEN",
  consentRecipientInstitutionId: recipient,
  consentPurpose: "跨境远程第二诊疗意见（多学科会诊）",
  consentDataCategories: ["CLINICAL_HISTORY", "PATHOLOGY", "IMAGING", "GENOMICS", "TREATMENT_HISTORY"],
});

/** Three realistic packets in different states, created once on an empty database. */
export async function seedDemoCases(db: Db): Promise<number> {
  if ((await db.case.count()) > 0) return 0;
  const user = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email } })).id;
  const physician = await user("physician@demo.test");
  const physician2 = await user("physician2@demo.test");
  const consultant = await user("consultant@demo.test");
  const consultant2 = await user("consultant2@demo.test");
  const coordinator = await user("coordinator@demo.test");
  const now = Date.now();

  const cases = [
    {
      institutionId: "demo-wuhan",
      createdById: physician,
      submittedDaysAgo: 9,
      status: "IN_REVIEW",
      assign: [consultant2],
      packet: {
        narrativeLanguage: "zh-CN",
        ageAtSubmission: 71,
        sex: "MALE",
        cancerType: "SOLID",
        primarySiteCode: "C34.1",
        primarySite: "右肺上叶",
        histology: "肺腺癌（肉瘤样成分约10%）",
        icd10Code: "C34.1",
        icdO3Code: "8140/3",
        diagnosisDate: "2026-08-12",
        tnmPrefix: "c",
        tnmT: "T3",
        tnmN: "N2",
        tnmM: "M1b",
        stageGroup: "IVA",
        ecog: 1,
        comorbidities: "高血压10年，口服氨氯地平控制良好；慢性阻塞性肺疾病（轻度）。",
        clinicalHistory:
          "患者2026年7月因咳嗽、痰中带血就诊。胸部CT示右肺上叶肿块约5.2 cm，纵隔4R、7组淋巴结肿大，PET-CT另见右侧肾上腺单发转移。CT引导下肺穿刺病理：腺癌。组织NGS检测示MET 14号外显子跳跃突变，未见EGFR、ALK、ROS1改变；PD-L1 TPS 60%。因高龄及患者意愿，一线予赛沃替尼600 mg每日一次，2个月后评效部分缓解。",
        biomarkers: [
          {
            gene: "MET",
            alterationType: "SEQUENCE_VARIANT",
            hgvs: "c.3028+1G>T",
            method: "NGS",
            resultCode: "POSITIVE",
            vaf: 21.4,
            specimenType: "TISSUE_BIOPSY",
            specimen: "右肺穿刺组织",
            specimenDate: "2026-08-10",
            note: "导致14号外显子跳跃",
          },
          {
            gene: "PD-L1",
            alterationType: "EXPRESSION",
            method: "IHC",
            resultValue: 60,
            resultUnit: "TPS",
            specimenType: "TISSUE_BIOPSY",
            specimen: "右肺穿刺组织",
            specimenDate: "2026-08-10",
            note: "22C3抗体",
          },
          { gene: "EGFR", method: "NGS", resultCode: "NEGATIVE", specimenType: "TISSUE_BIOPSY", specimen: "右肺穿刺组织", specimenDate: "2026-08-10" },
        ],
        treatmentLines: [{ drugs: ["savolitinib"], regimen: "600 mg qd", startDate: "2026-08-25", bestResponse: "PR" }],
        questions: ["肾上腺寡转移灶是否建议局部治疗（SBRT或手术）？", "若出现进展，后续是否考虑化疗联合免疫治疗？"],
        urgency: "ROUTINE",
        requestedSpecialties: ["THORACIC_ONCOLOGY", "RADIATION_ONCOLOGY"],
        ...consent("demo-pacific"),
      },
      translations: {
        clinicalHistory: [
          "The patient presented in July 2026 with cough and blood-streaked sputum.",
          "Chest CT showed a 5.2 cm right upper lobe mass with enlarged mediastinal 4R and 7 lymph nodes; PET-CT also showed a solitary right adrenal metastasis.",
          "CT-guided lung biopsy: adenocarcinoma. Tissue NGS showed MET exon 14 skipping; no EGFR, ALK or ROS1 alteration; PD-L1 TPS 60%.",
          "Given his age and preference, first-line savolitinib 600 mg once daily was started; partial response at 2 months.",
        ].join(" "),
        comorbidities: "Hypertension for 10 years, well controlled on amlodipine; mild COPD.",
        "question.01": "Is local therapy (SBRT or surgery) recommended for the oligometastatic adrenal lesion?",
        "question.02": "On progression, should chemotherapy plus immunotherapy be considered next?",
      },
    },
    {
      institutionId: "demo-hangzhou",
      createdById: physician2,
      submittedDaysAgo: 2,
      status: "SUBMITTED",
      assign: [],
      packet: {
        narrativeLanguage: "zh-CN",
        ageAtSubmission: 58,
        sex: "FEMALE",
        cancerType: "LYMPHOMA",
        primarySiteCode: "C77.0",
        primarySite: "左颈部淋巴结、胃",
        histology: "弥漫大B细胞淋巴瘤，非生发中心型（Hans分型）",
        icd10Code: "C83.3",
        icdO3Code: "9680/3",
        diagnosisDate: "2026-09-30",
        luganoStage: "IV",
        bSymptoms: true,
        ecog: 2,
        clinicalHistory:
          "患者近3个月体重下降约8 kg，伴夜间盗汗。PET-CT示左颈部、腹膜后多发淋巴结及胃壁受累。颈部淋巴结切除活检：弥漫大B细胞淋巴瘤，CD20阳性，Ki-67约90%，MYC蛋白表达40%、BCL2蛋白表达70%（双表达）；FISH未见MYC重排。LDH 486 U/L，IPI评分4分。",
        biomarkers: [
          {
            gene: "MYC",
            alterationType: "FUSION",
            method: "FISH",
            resultCode: "NEGATIVE",
            specimenType: "RESECTION",
            specimen: "颈部淋巴结",
            specimenDate: "2026-09-28",
            note: "未见重排",
          },
          {
            gene: "BCL2",
            alterationType: "EXPRESSION",
            method: "IHC",
            resultCode: "POSITIVE",
            resultValue: 70,
            resultUnit: "PERCENT",
            specimenType: "RESECTION",
            specimen: "颈部淋巴结",
            specimenDate: "2026-09-28",
          },
          {
            gene: "Ki-67",
            alterationType: "EXPRESSION",
            method: "IHC",
            resultValue: 90,
            resultUnit: "PERCENT",
            specimenType: "RESECTION",
            specimen: "颈部淋巴结",
            specimenDate: "2026-09-28",
            note: "约90%",
          },
        ],
        treatmentLines: [],
        questions: ["一线治疗选择R-CHOP还是Pola-R-CHP？", "胃受累是否需要预防出血或穿孔的特殊处理？"],
        urgency: "URGENT",
        urgencyReason: "高IPI评分，需尽快开始一线治疗",
        requestedSpecialties: ["HEMATOLOGIC_MALIGNANCIES"],
        ...consent("demo-pacific"),
      },
      translations: {},
    },
    {
      institutionId: "demo-wuhan",
      createdById: physician,
      submittedDaysAgo: 12,
      status: "TRIAGED",
      assign: [consultant, consultant2],
      packet: {
        narrativeLanguage: "zh-CN",
        ageAtSubmission: 63,
        sex: "FEMALE",
        cancerType: "SOLID",
        primarySiteCode: "C34.3",
        primarySite: "左肺下叶",
        histology: "浸润性腺癌，腺泡为主型",
        icd10Code: "C34.3",
        icdO3Code: "8551/3",
        diagnosisDate: "2024-05-06",
        tnmPrefix: "c",
        tnmT: "T2a",
        tnmN: "N1",
        tnmM: "M1c",
        stageGroup: "IVB",
        ecog: 1,
        clinicalHistory:
          "2024年5月确诊左肺下叶腺癌伴骨及脑转移，EGFR L858R突变。一线奥希替尼80 mg每日一次，最佳疗效部分缓解，无进展生存约26个月。2026年7月CT示肺内病灶增大、新发肝转移。再次活检及血液NGS：EGFR L858R持续存在，新发MET扩增（拷贝数8），未见T790M以外的EGFR耐药突变。",
        biomarkers: [
          {
            gene: "EGFR",
            alterationType: "SEQUENCE_VARIANT",
            hgvs: "p.Leu858Arg",
            method: "NGS",
            resultCode: "POSITIVE",
            vaf: 32.5,
            specimenType: "TISSUE_BIOPSY",
            specimen: "肺组织",
            specimenDate: "2024-05-04",
          },
          {
            gene: "MET",
            alterationType: "AMPLIFICATION",
            method: "NGS",
            resultCode: "POSITIVE",
            resultValue: 8,
            resultUnit: "COPY_NUMBER",
            specimenType: "TISSUE_BIOPSY",
            specimen: "肝转移灶活检",
            specimenDate: "2026-07-20",
          },
          {
            gene: "TP53",
            alterationType: "SEQUENCE_VARIANT",
            hgvs: "p.Arg273His",
            method: "NGS",
            resultCode: "POSITIVE",
            vaf: 28.1,
            specimenType: "TISSUE_BIOPSY",
            specimen: "肝转移灶活检",
            specimenDate: "2026-07-20",
          },
        ],
        treatmentLines: [
          {
            drugs: ["osimertinib"],
            regimen: "80 mg qd",
            startDate: "2024-05-20",
            endDate: "2026-07-25",
            bestResponse: "PR",
            stopReason: "PROGRESSION",
            reasonStopped: "肺内病灶增大，新发肝转移",
          },
        ],
        questions: ["奥希替尼联合赛沃替尼与含铂化疗相比，哪种方案更合适？", "脑转移目前稳定，是否需要局部放疗？"],
        urgency: "ROUTINE",
        requestedSpecialties: ["THORACIC_ONCOLOGY", "MEDICAL_ONCOLOGY"],
        ...consent("demo-pacific"),
      },
      translations: {
        "question.01": "Osimertinib plus savolitinib versus platinum-based chemotherapy: which is more appropriate?",
      },
    },
  ];

  for (const demo of cases) {
    const created = await createDraftCase(db, { institutionId: demo.institutionId, createdById: demo.createdById });
    await savePacket(db, created.id, PacketSchema.parse(demo.packet), created.version);
    const submittedAt = new Date(now - demo.submittedDaysAgo * DAY);
    await db.case.update({ where: { id: created.id }, data: { status: demo.status, submittedAt, dueAt: defaultDueDate(submittedAt, 7) } });
    await db.consent.update({ where: { caseId: created.id }, data: { recordedById: demo.createdById, recordedAt: submittedAt } });
    await db.caseTransition.create({
      data: { caseId: created.id, fromStatus: "DRAFT", toStatus: "SUBMITTED", action: "submit", actorId: demo.createdById, occurredAt: submittedAt },
    });
    if (demo.assign.length > 0) {
      await db.caseAssignment.createMany({
        data: demo.assign.map((consultantId, i) => ({ caseId: created.id, consultantId, role: i === 0 ? "PRIMARY" : "SECONDARY", assignedById: coordinator })),
      });
      await db.caseTransition.create({
        data: {
          caseId: created.id,
          fromStatus: "SUBMITTED",
          toStatus: "TRIAGED",
          action: "triage",
          actorId: coordinator,
          occurredAt: new Date(submittedAt.getTime() + DAY),
        },
      });
    }
    for (const [key, text] of Object.entries(demo.translations)) {
      const narrative = await db.narrativeField.update({
        where: { caseId_key: { caseId: created.id, key } },
        data: { translationText: text, translationStatus: "REVIEWED", translatedById: coordinator, translatedAt: new Date(submittedAt.getTime() + DAY) },
      });
      await recordTranslation(db, {
        caseId: created.id,
        narrativeKey: key,
        source: narrative.originalText,
        sourceLanguage: narrative.originalLanguage,
        target: text,
        reviewed: true,
        acceptedTermIds: [],
        userId: coordinator,
      });
    }
    await indexCase(db, created.id);
  }
  return cases.length;
}
