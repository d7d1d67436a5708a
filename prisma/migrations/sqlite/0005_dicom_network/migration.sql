-- DICOM network ingest: institutions' calling AE titles, cases' linkage-key hashes,
-- and installation secrets.

ALTER TABLE "Institution" ADD COLUMN "aeTitles" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "Case" ADD COLUMN "linkageKeyHash" TEXT;

CREATE TABLE "SystemSecret" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX "Case_linkageKeyHash_idx" ON "Case"("linkageKeyHash");
