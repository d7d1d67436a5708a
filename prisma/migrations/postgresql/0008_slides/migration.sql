-- Pathology slides: tile pyramids made from uploaded slide images.

CREATE TABLE "Slide" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "errorKey" TEXT,
    "width" INTEGER,
    "height" INTEGER,
    "micronsPerPixel" DOUBLE PRECISION,
    "uploadedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Slide_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "Slide_caseId_createdAt_idx" ON "Slide"("caseId", "createdAt");
CREATE INDEX "Slide_status_idx" ON "Slide"("status");

ALTER TABLE "Slide" ADD CONSTRAINT "Slide_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;
