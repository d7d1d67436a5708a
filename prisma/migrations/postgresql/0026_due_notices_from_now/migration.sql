-- Cases already past their due date when due notices began count as told: the first sweep after an upgrade
-- would otherwise email every coordinator once for each case overdue for weeks or months.

UPDATE "Case"
SET "overdueNoticeAt" = CURRENT_TIMESTAMP,
    "dueSoonNoticeAt" = COALESCE("dueSoonNoticeAt", CURRENT_TIMESTAMP)
WHERE "dueAt" IS NOT NULL AND "dueAt" <= CURRENT_TIMESTAMP AND "overdueNoticeAt" IS NULL;
