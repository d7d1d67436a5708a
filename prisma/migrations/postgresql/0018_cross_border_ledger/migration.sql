-- The PIPL export ledger: each institution's legal basis for providing data abroad, and every case readable abroad, once per calendar year.

ALTER TABLE "Institution" ADD COLUMN "crossBorderBasis" TEXT;
ALTER TABLE "Institution" ADD COLUMN "crossBorderReference" TEXT;
ALTER TABLE "Institution" ADD COLUMN "crossBorderDate" TIMESTAMP(3);

CREATE TABLE "CrossBorderExport" (
    "id" TEXT NOT NULL,
    "institutionId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "firstAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CrossBorderExport_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "CrossBorderExport_institutionId_year_caseId_key" ON "CrossBorderExport"("institutionId", "year", "caseId");
CREATE INDEX "CrossBorderExport_caseId_idx" ON "CrossBorderExport"("caseId");

ALTER TABLE "CrossBorderExport" ADD CONSTRAINT "CrossBorderExport_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CrossBorderExport" ADD CONSTRAINT "CrossBorderExport_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;
