-- Opinions: versions with per-section drafts, recipients, follow-ups, the reported outcome, the archive date, opinion notifications, and the search documents.

ALTER TABLE "Case" ADD COLUMN "archivedAt" TIMESTAMP(3);
ALTER TABLE "Notification" ADD COLUMN "caseId" TEXT;

CREATE TABLE "Opinion" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "previousId" TEXT,
    "amendmentReason" TEXT,
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "origin" TEXT NOT NULL,
    "englishOnly" BOOLEAN NOT NULL DEFAULT false,
    "englishOnlyById" TEXT,
    "signedContent" TEXT,
    "contentHash" TEXT,
    "signedById" TEXT,
    "signedAt" TIMESTAMP(3),
    "deliveredById" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Opinion_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Opinion_previousId_key" ON "Opinion"("previousId");
CREATE INDEX "Opinion_status_idx" ON "Opinion"("status");
CREATE INDEX "Opinion_deliveredAt_idx" ON "Opinion"("deliveredAt");
CREATE UNIQUE INDEX "Opinion_caseId_version_key" ON "Opinion"("caseId", "version");

CREATE TABLE "OpinionSection" (
    "id" TEXT NOT NULL,
    "opinionId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "OpinionSection_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "OpinionSection_opinionId_name_key" ON "OpinionSection"("opinionId", "name");

CREATE TABLE "OpinionRecipient" (
    "id" TEXT NOT NULL,
    "opinionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "deliveredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledgedAt" TIMESTAMP(3),
    CONSTRAINT "OpinionRecipient_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "OpinionRecipient_opinionId_userId_key" ON "OpinionRecipient"("opinionId", "userId");
CREATE INDEX "OpinionRecipient_userId_idx" ON "OpinionRecipient"("userId");

CREATE TABLE "OpinionFollowUp" (
    "id" TEXT NOT NULL,
    "opinionId" TEXT NOT NULL,
    "askedById" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "askedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answer" TEXT,
    "answeredById" TEXT,
    "answeredAt" TIMESTAMP(3),
    CONSTRAINT "OpinionFollowUp_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "OpinionFollowUp_opinionId_askedAt_idx" ON "OpinionFollowUp"("opinionId", "askedAt");

CREATE TABLE "CaseOutcome" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "changedDiagnosis" TEXT NOT NULL,
    "changedTreatment" TEXT NOT NULL,
    "actionTaken" TEXT NOT NULL DEFAULT '',
    "reportedById" TEXT NOT NULL,
    "reportedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CaseOutcome_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "CaseOutcome_caseId_key" ON "CaseOutcome"("caseId");

CREATE TABLE "SearchDocument" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "tokens" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "SearchDocument_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "SearchDocument_caseId_idx" ON "SearchDocument"("caseId");

ALTER TABLE "Opinion" ADD CONSTRAINT "Opinion_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Opinion" ADD CONSTRAINT "Opinion_previousId_fkey" FOREIGN KEY ("previousId") REFERENCES "Opinion"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Opinion" ADD CONSTRAINT "Opinion_signedById_fkey" FOREIGN KEY ("signedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "OpinionSection" ADD CONSTRAINT "OpinionSection_opinionId_fkey" FOREIGN KEY ("opinionId") REFERENCES "Opinion"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "OpinionRecipient" ADD CONSTRAINT "OpinionRecipient_opinionId_fkey" FOREIGN KEY ("opinionId") REFERENCES "Opinion"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "OpinionRecipient" ADD CONSTRAINT "OpinionRecipient_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "OpinionFollowUp" ADD CONSTRAINT "OpinionFollowUp_opinionId_fkey" FOREIGN KEY ("opinionId") REFERENCES "Opinion"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CaseOutcome" ADD CONSTRAINT "CaseOutcome_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
