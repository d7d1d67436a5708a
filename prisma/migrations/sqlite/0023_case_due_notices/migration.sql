-- When the "due soon" and "overdue" notices for a case's current due date went out (each once per due date).

ALTER TABLE "Case" ADD COLUMN "dueSoonNoticeAt" DATETIME;
ALTER TABLE "Case" ADD COLUMN "overdueNoticeAt" DATETIME;
