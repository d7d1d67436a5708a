-- API tokens get a scope (dicomweb, or gateway for an institution's on-premise DICOM gateway) and an expiry.
-- Tokens made before keep the dicomweb scope and no expiry.

ALTER TABLE "ApiToken" ADD COLUMN "scope" TEXT NOT NULL DEFAULT 'dicomweb';
ALTER TABLE "ApiToken" ADD COLUMN "institutionId" TEXT;
ALTER TABLE "ApiToken" ADD COLUMN "expiresAt" TIMESTAMP(3);

CREATE INDEX "ApiToken_institutionId_idx" ON "ApiToken"("institutionId");

ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE CASCADE ON UPDATE CASCADE;
