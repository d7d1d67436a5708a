-- Issue 17: the board's call is handed off to the programme's meeting tool, per session: a provider (ZOOM, TEAMS,
-- TENCENT, JITSI or OTHER), its invitation link ("videoUrl", as before) or a meeting ID, and a passcode.
-- An existing link (always https, checked when it was saved) is given the provider whose hosts it is on, else OTHER.

ALTER TABLE "BoardSession" ADD COLUMN "meetingProvider" TEXT;
ALTER TABLE "BoardSession" ADD COLUMN "meetingId" TEXT;
ALTER TABLE "BoardSession" ADD COLUMN "meetingPasscode" TEXT;

UPDATE "BoardSession" AS s SET "meetingProvider" = CASE
    WHEN h."host" IN ('zoom.us', 'zoom.com', 'zoom.com.cn') OR h."host" LIKE '%.zoom.us' OR h."host" LIKE '%.zoom.com' OR h."host" LIKE '%.zoom.com.cn' THEN 'ZOOM'
    WHEN h."host" IN ('teams.microsoft.com', 'teams.live.com') OR h."host" LIKE '%.teams.microsoft.com' OR h."host" LIKE '%.teams.live.com' THEN 'TEAMS'
    WHEN h."host" IN ('meeting.tencent.com', 'voovmeeting.com') OR h."host" LIKE '%.meeting.tencent.com' OR h."host" LIKE '%.voovmeeting.com' THEN 'TENCENT'
    WHEN h."host" = 'meet.jit.si' OR h."host" LIKE '%.meet.jit.si' THEN 'JITSI'
    ELSE 'OTHER'
  END
FROM (SELECT "id", substring(lower("videoUrl") FROM '^https://([^/?#:]*)') AS "host" FROM "BoardSession" WHERE "videoUrl" IS NOT NULL) AS h
WHERE h."id" = s."id";
