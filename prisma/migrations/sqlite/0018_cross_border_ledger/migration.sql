-- The PIPL export ledger: each institution's legal basis for providing data abroad, and every case readable abroad, once per calendar year.

ALTER TABLE "Institution" ADD COLUMN "crossBorderBasis" TEXT;
ALTER TABLE "Institution" ADD COLUMN "crossBorderReference" TEXT;
ALTER TABLE "Institution" ADD COLUMN "crossBorderDate" DATETIME;

CREATE TABLE "CrossBorderExport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "institutionId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "firstAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CrossBorderExport_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CrossBorderExport_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE UNIQUE INDEX "CrossBorderExport_institutionId_year_caseId_key" ON "CrossBorderExport"("institutionId", "year", "caseId");
CREATE INDEX "CrossBorderExport_caseId_idx" ON "CrossBorderExport"("caseId");
