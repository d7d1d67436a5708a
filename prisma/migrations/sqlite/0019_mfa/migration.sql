-- Second factor: TOTP per user with one-time recovery codes, a pending state for sessions between password and code,
-- and the administrator's per-role requirement.

ALTER TABLE "User" ADD COLUMN "mfaSecret" TEXT;
ALTER TABLE "User" ADD COLUMN "mfaEnabledAt" DATETIME;
ALTER TABLE "User" ADD COLUMN "mfaLastStep" INTEGER;
ALTER TABLE "User" ADD COLUMN "mfaExempt" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Session" ADD COLUMN "mfaPending" BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE "RecoveryCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RecoveryCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "RecoveryCode_userId_idx" ON "RecoveryCode"("userId");

CREATE TABLE "MfaPolicy" (
    "role" TEXT NOT NULL PRIMARY KEY,
    "required" BOOLEAN NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
