-- Pathology slides: tile pyramids made from uploaded slide images.

CREATE TABLE "Slide" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "errorKey" TEXT,
    "width" INTEGER,
    "height" INTEGER,
    "micronsPerPixel" REAL,
    "uploadedById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Slide_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE INDEX "Slide_caseId_createdAt_idx" ON "Slide"("caseId", "createdAt");
CREATE INDEX "Slide_status_idx" ON "Slide"("status");
