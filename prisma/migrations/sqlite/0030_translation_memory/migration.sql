-- Translation memory and the glossary check of translations: glossary terms whose Chinese rendering needs review,
-- translators' "accept anyway" for a term, and reviewed translation segments.

ALTER TABLE "GlossaryTerm" ADD COLUMN "needsReview" BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE "GlossaryTermAcceptance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "narrativeKey" TEXT NOT NULL,
    "sourceHash" TEXT NOT NULL,
    "termId" TEXT NOT NULL,
    "acceptedById" TEXT NOT NULL,
    "acceptedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "GlossaryTermAcceptance_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "GlossaryTermAcceptance_termId_fkey" FOREIGN KEY ("termId") REFERENCES "GlossaryTerm" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "GlossaryTermAcceptance_caseId_narrativeKey_sourceHash_termId_key" ON "GlossaryTermAcceptance"("caseId", "narrativeKey", "sourceHash", "termId");

CREATE TABLE "TranslationMemorySegment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "sourceLanguage" TEXT NOT NULL,
    "sourceText" TEXT NOT NULL,
    "sourceHash" TEXT NOT NULL,
    "sourceLength" INTEGER NOT NULL,
    "targetText" TEXT NOT NULL,
    "specific" BOOLEAN NOT NULL,
    "translatedById" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "TranslationMemorySegment_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "TranslationMemorySegment_caseId_sourceLanguage_sourceHash_key" ON "TranslationMemorySegment"("caseId", "sourceLanguage", "sourceHash");
CREATE INDEX "TranslationMemorySegment_sourceLanguage_sourceHash_idx" ON "TranslationMemorySegment"("sourceLanguage", "sourceHash");
CREATE INDEX "TranslationMemorySegment_sourceLanguage_specific_sourceLength_idx" ON "TranslationMemorySegment"("sourceLanguage", "specific", "sourceLength");
