-- The institution's PACS for query and retrieve (C-FIND, C-GET), and the pulls from it into a case (counts only).

ALTER TABLE "Institution" ADD COLUMN "pacsHost" TEXT;
ALTER TABLE "Institution" ADD COLUMN "pacsPort" INTEGER;
ALTER TABLE "Institution" ADD COLUMN "pacsAeTitle" TEXT;
ALTER TABLE "Institution" ADD COLUMN "pacsCallingAeTitle" TEXT;

CREATE TABLE "PacsPull" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "studies" INTEGER NOT NULL DEFAULT 0,
    "series" INTEGER NOT NULL DEFAULT 0,
    "expected" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "stored" INTEGER NOT NULL DEFAULT 0,
    "duplicate" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "errorKey" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    CONSTRAINT "PacsPull_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PacsPull_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "PacsPull_caseId_createdAt_idx" ON "PacsPull"("caseId", "createdAt");
CREATE INDEX "PacsPull_status_idx" ON "PacsPull"("status");
