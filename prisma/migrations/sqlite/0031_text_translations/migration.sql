-- Translations of the texts of a case that cross sides outside the board room: return reasons, follow-up questions and answers, comments.

CREATE TABLE "TextTranslation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "originalSha256" TEXT NOT NULL,
    "sourceLanguage" TEXT NOT NULL,
    "sourceDeclared" BOOLEAN NOT NULL,
    "language" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "translatedById" TEXT NOT NULL,
    "translatedAt" DATETIME NOT NULL,
    CONSTRAINT "TextTranslation_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE UNIQUE INDEX "TextTranslation_subjectType_subjectId_key" ON "TextTranslation"("subjectType", "subjectId");
CREATE INDEX "TextTranslation_caseId_idx" ON "TextTranslation"("caseId");
