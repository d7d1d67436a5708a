-- Key images: slices marked with a note and the view they were seen in.

CREATE TABLE "KeyImage" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "seriesId" TEXT NOT NULL,
    "sopInstanceUid" TEXT NOT NULL,
    "frame" INTEGER NOT NULL DEFAULT 0,
    "viewState" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "KeyImage_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "KeyImage_caseId_createdAt_idx" ON "KeyImage"("caseId", "createdAt");

ALTER TABLE "KeyImage" ADD CONSTRAINT "KeyImage_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "KeyImage" ADD CONSTRAINT "KeyImage_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "ImagingSeries"("id") ON DELETE CASCADE ON UPDATE CASCADE;
