-- Case packets: structured clinical content, bilingual narratives, consent, attachments,
-- assignment, lifecycle history, discussion and the oncology glossary.

CREATE TABLE "Case" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "institutionId" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "ageAtSubmission" INTEGER,
    "sex" TEXT,
    "cancerType" TEXT,
    "primarySite" TEXT,
    "histology" TEXT,
    "icd10Code" TEXT,
    "icdO3Code" TEXT,
    "diagnosisDate" TEXT,
    "staging" TEXT NOT NULL DEFAULT '{}',
    "ecog" INTEGER,
    "urgency" TEXT NOT NULL DEFAULT 'ROUTINE',
    "urgencyReason" TEXT,
    "requestedSpecialties" TEXT NOT NULL DEFAULT '[]',
    "submittedAt" TIMESTAMP(3),
    "dueAt" TIMESTAMP(3),
    "returnReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "CaseCodeCounter" (
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,
    CONSTRAINT "CaseCodeCounter_pkey" PRIMARY KEY ("year")
);

CREATE TABLE "NarrativeField" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "originalLanguage" TEXT NOT NULL,
    "originalText" TEXT NOT NULL,
    "translationText" TEXT,
    "translationStatus" TEXT NOT NULL DEFAULT 'NONE',
    "translatedById" TEXT,
    "translatedAt" TIMESTAMP(3),
    CONSTRAINT "NarrativeField_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Biomarker" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "gene" TEXT NOT NULL,
    "alteration" TEXT,
    "method" TEXT,
    "result" TEXT,
    "vaf" DOUBLE PRECISION,
    "specimen" TEXT,
    "specimenDate" TEXT,
    CONSTRAINT "Biomarker_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "TreatmentLine" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "lineNumber" INTEGER NOT NULL,
    "regimen" TEXT NOT NULL,
    "startDate" TEXT,
    "endDate" TEXT,
    "bestResponse" TEXT,
    "reasonStopped" TEXT,
    CONSTRAINT "TreatmentLine_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Consent" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "consentDate" TEXT,
    "form" TEXT,
    "recipientInstitutionId" TEXT,
    "purpose" TEXT,
    "dataCategories" TEXT NOT NULL DEFAULT '[]',
    "signedFormAttachmentId" TEXT,
    "recordedById" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Consent_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Attachment" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "uploadedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Attachment_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "CaseAssignment" (
    "caseId" TEXT NOT NULL,
    "consultantId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "assignedById" TEXT NOT NULL,
    "assignedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CaseAssignment_pkey" PRIMARY KEY ("caseId", "consultantId")
);

CREATE TABLE "CaseTransition" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "fromStatus" TEXT NOT NULL,
    "toStatus" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "reason" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CaseTransition_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "CaseComment" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CaseComment_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "GlossaryTerm" (
    "id" TEXT NOT NULL,
    "en" TEXT NOT NULL,
    "zh" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "note" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "GlossaryTerm_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "Case_code_key" ON "Case"("code");
CREATE INDEX "Case_status_idx" ON "Case"("status");
CREATE INDEX "Case_institutionId_status_idx" ON "Case"("institutionId", "status");
CREATE INDEX "Case_cancerType_idx" ON "Case"("cancerType");
CREATE INDEX "Case_dueAt_idx" ON "Case"("dueAt");
CREATE INDEX "Case_submittedAt_idx" ON "Case"("submittedAt");
CREATE INDEX "Case_updatedAt_idx" ON "Case"("updatedAt");
CREATE UNIQUE INDEX "NarrativeField_caseId_key_key" ON "NarrativeField"("caseId", "key");
CREATE INDEX "Biomarker_caseId_idx" ON "Biomarker"("caseId");
CREATE INDEX "Biomarker_gene_idx" ON "Biomarker"("gene");
CREATE INDEX "TreatmentLine_caseId_idx" ON "TreatmentLine"("caseId");
CREATE UNIQUE INDEX "Consent_caseId_key" ON "Consent"("caseId");
CREATE INDEX "Attachment_caseId_idx" ON "Attachment"("caseId");
CREATE INDEX "Attachment_sha256_idx" ON "Attachment"("sha256");
CREATE INDEX "CaseAssignment_consultantId_idx" ON "CaseAssignment"("consultantId");
CREATE INDEX "CaseTransition_caseId_idx" ON "CaseTransition"("caseId");
CREATE INDEX "CaseComment_caseId_createdAt_idx" ON "CaseComment"("caseId", "createdAt");
CREATE UNIQUE INDEX "GlossaryTerm_en_key" ON "GlossaryTerm"("en");
CREATE INDEX "GlossaryTerm_zh_idx" ON "GlossaryTerm"("zh");

ALTER TABLE "Case" ADD CONSTRAINT "Case_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Case" ADD CONSTRAINT "Case_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "NarrativeField" ADD CONSTRAINT "NarrativeField_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Biomarker" ADD CONSTRAINT "Biomarker_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TreatmentLine" ADD CONSTRAINT "TreatmentLine_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_recipientInstitutionId_fkey" FOREIGN KEY ("recipientInstitutionId") REFERENCES "Institution"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CaseAssignment" ADD CONSTRAINT "CaseAssignment_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CaseAssignment" ADD CONSTRAINT "CaseAssignment_consultantId_fkey" FOREIGN KEY ("consultantId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CaseTransition" ADD CONSTRAINT "CaseTransition_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CaseComment" ADD CONSTRAINT "CaseComment_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;
