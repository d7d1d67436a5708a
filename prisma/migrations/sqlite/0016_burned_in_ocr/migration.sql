-- OCR of instances flagged for burned-in text: each instance's OCR status, the word boxes found per frame
-- (or drawn by a coordinator), and the de-identified file kept for the coordinator once consultants receive a redacted copy.

ALTER TABLE "ImagingInstance" ADD COLUMN "ocrStatus" TEXT;
ALTER TABLE "ImagingInstance" ADD COLUMN "ocrErrorKey" TEXT;
ALTER TABLE "ImagingInstance" ADD COLUMN "unredactedSha256" TEXT;
ALTER TABLE "ImagingInstance" ADD COLUMN "unredactedTransferSyntax" TEXT;

CREATE INDEX "ImagingInstance_ocrStatus_idx" ON "ImagingInstance"("ocrStatus");

CREATE TABLE "BurnedInTextBox" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "instanceId" TEXT NOT NULL,
    "frame" INTEGER NOT NULL,
    "x" INTEGER NOT NULL,
    "y" INTEGER NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "confidence" REAL NOT NULL,
    "text" TEXT NOT NULL,
    "addedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "BurnedInTextBox_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "ImagingInstance" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE INDEX "BurnedInTextBox_instanceId_frame_idx" ON "BurnedInTextBox"("instanceId", "frame");
