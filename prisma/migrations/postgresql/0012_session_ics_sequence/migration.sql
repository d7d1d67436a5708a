-- The iCalendar SEQUENCE of a session, raised on every change of its schedule.

ALTER TABLE "BoardSession" ADD COLUMN "icsSequence" INTEGER NOT NULL DEFAULT 0;
