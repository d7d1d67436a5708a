-- Cases already past their due date when due notices began count as told: the first sweep after an upgrade
-- would otherwise email every coordinator once for each case overdue for weeks or months.

UPDATE "Case"
SET "overdueNoticeAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'),
    "dueSoonNoticeAt" = COALESCE("dueSoonNoticeAt", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
WHERE "dueAt" IS NOT NULL AND "dueAt" <= strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') AND "overdueNoticeAt" IS NULL;
