-- Institution inbox: PACS studies that matched no case, already de-identified,
-- waiting for a physician to attach them to a case; and each case's imaging byte total.

CREATE TABLE "InboxStudy" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "institutionId" TEXT NOT NULL,
    "studyInstanceUid" TEXT NOT NULL,
    "callingAeTitle" TEXT NOT NULL,
    "description" TEXT,
    "accessionHash" TEXT,
    "patientIdHash" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "InboxStudy_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "InboxInstance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "studyId" TEXT NOT NULL,
    "sopInstanceUid" TEXT NOT NULL,
    "seriesInstanceUid" TEXT NOT NULL,
    "modality" TEXT,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "InboxInstance_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "InboxStudy" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE UNIQUE INDEX "InboxStudy_institutionId_studyInstanceUid_key" ON "InboxStudy"("institutionId", "studyInstanceUid");
CREATE INDEX "InboxStudy_accessionHash_idx" ON "InboxStudy"("accessionHash");
CREATE INDEX "InboxStudy_patientIdHash_idx" ON "InboxStudy"("patientIdHash");
CREATE UNIQUE INDEX "InboxInstance_studyId_sopInstanceUid_key" ON "InboxInstance"("studyId", "sopInstanceUid");
CREATE INDEX "InboxInstance_sha256_idx" ON "InboxInstance"("sha256");

-- Per-case running total of imaging bytes for the quota, filled from what is stored.
ALTER TABLE "Case" ADD COLUMN "imagingBytes" BIGINT NOT NULL DEFAULT 0;
UPDATE "Case" SET "imagingBytes" = (
    SELECT COALESCE(SUM(i."size"), 0)
    FROM "ImagingInstance" i
    JOIN "ImagingSeries" s ON s."id" = i."seriesId"
    JOIN "ImagingStudy" st ON st."id" = s."studyId"
    WHERE st."caseId" = "Case"."id"
);
