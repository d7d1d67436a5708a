-- API tokens get a scope (dicomweb, or gateway for an institution's on-premise DICOM gateway) and an expiry.
-- Tokens made before keep the dicomweb scope and no expiry.

ALTER TABLE "ApiToken" ADD COLUMN "scope" TEXT NOT NULL DEFAULT 'dicomweb';
ALTER TABLE "ApiToken" ADD COLUMN "institutionId" TEXT REFERENCES "Institution" ("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ApiToken" ADD COLUMN "expiresAt" DATETIME;

CREATE INDEX "ApiToken_institutionId_idx" ON "ApiToken"("institutionId");
