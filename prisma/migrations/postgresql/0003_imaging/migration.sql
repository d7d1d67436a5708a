-- Imaging: de-identified studies, series and instances per case, and each case's
-- de-identification secret and date shift.

ALTER TABLE "Case" ADD COLUMN "imagingSecret" TEXT;
ALTER TABLE "Case" ADD COLUMN "imagingDateShiftDays" INTEGER;

CREATE TABLE "ImagingStudy" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "studyInstanceUid" TEXT NOT NULL,
    "studyDate" TEXT,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ImagingStudy_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ImagingSeries" (
    "id" TEXT NOT NULL,
    "studyId" TEXT NOT NULL,
    "seriesInstanceUid" TEXT NOT NULL,
    "modality" TEXT,
    "seriesNumber" INTEGER,
    "description" TEXT,
    "bodyPart" TEXT,
    "burnedInRisk" BOOLEAN NOT NULL DEFAULT false,
    "burnedInClearedBy" TEXT,
    "burnedInClearedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ImagingSeries_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ImagingInstance" (
    "id" TEXT NOT NULL,
    "seriesId" TEXT NOT NULL,
    "sopInstanceUid" TEXT NOT NULL,
    "sopClassUid" TEXT,
    "instanceNumber" INTEGER,
    "imagePosition" TEXT,
    "imageOrientation" TEXT,
    "sliceLocation" DOUBLE PRECISION,
    "frames" INTEGER NOT NULL,
    "rows" INTEGER,
    "columns" INTEGER,
    "pixelSpacing" TEXT,
    "bitsAllocated" INTEGER,
    "photometricInterpretation" TEXT,
    "transferSyntax" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ImagingInstance_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "ImagingStudy_caseId_studyInstanceUid_key" ON "ImagingStudy"("caseId", "studyInstanceUid");
CREATE UNIQUE INDEX "ImagingSeries_studyId_seriesInstanceUid_key" ON "ImagingSeries"("studyId", "seriesInstanceUid");
CREATE UNIQUE INDEX "ImagingInstance_seriesId_sopInstanceUid_key" ON "ImagingInstance"("seriesId", "sopInstanceUid");
CREATE INDEX "ImagingInstance_sha256_idx" ON "ImagingInstance"("sha256");

ALTER TABLE "ImagingStudy" ADD CONSTRAINT "ImagingStudy_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ImagingSeries" ADD CONSTRAINT "ImagingSeries_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "ImagingStudy"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ImagingInstance" ADD CONSTRAINT "ImagingInstance_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "ImagingSeries"("id") ON DELETE CASCADE ON UPDATE CASCADE;
