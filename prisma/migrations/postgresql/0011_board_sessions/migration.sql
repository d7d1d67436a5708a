-- Tumor board sessions: schedule, agenda, invitees, the live room's numbered events, attendance, and in-app notifications.

CREATE TABLE "BoardSession" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "durationMinutes" INTEGER NOT NULL,
    "timeZone" TEXT NOT NULL,
    "chairId" TEXT NOT NULL,
    "videoUrl" TEXT,
    "status" TEXT NOT NULL DEFAULT 'SCHEDULED',
    "presenterId" TEXT,
    "focusItemId" TEXT,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "reminderSentAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "BoardSession_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "BoardSession_startsAt_idx" ON "BoardSession"("startsAt");
CREATE INDEX "BoardSession_status_startsAt_idx" ON "BoardSession"("status", "startsAt");

CREATE TABLE "AgendaItem" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "minutes" INTEGER NOT NULL DEFAULT 15,
    "boardSummary" TEXT NOT NULL DEFAULT '',
    "summaryById" TEXT,
    "summaryAt" TIMESTAMP(3),
    "discussedAt" TIMESTAMP(3),
    CONSTRAINT "AgendaItem_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "AgendaItem_sessionId_caseId_key" ON "AgendaItem"("sessionId", "caseId");
CREATE INDEX "AgendaItem_caseId_idx" ON "AgendaItem"("caseId");

CREATE TABLE "SessionInvitee" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "invitedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SessionInvitee_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "SessionInvitee_sessionId_userId_key" ON "SessionInvitee"("sessionId", "userId");
CREATE INDEX "SessionInvitee_userId_idx" ON "SessionInvitee"("userId");

CREATE TABLE "SessionEvent" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "agendaItemId" TEXT,
    "actorId" TEXT NOT NULL,
    "clientMessageId" TEXT,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SessionEvent_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "SessionEvent_sessionId_seq_key" ON "SessionEvent"("sessionId", "seq");
CREATE UNIQUE INDEX "SessionEvent_sessionId_actorId_clientMessageId_key" ON "SessionEvent"("sessionId", "actorId", "clientMessageId");

CREATE TABLE "Attendance" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leftAt" TIMESTAMP(3),
    CONSTRAINT "Attendance_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Attendance_sessionId_userId_idx" ON "Attendance"("sessionId", "userId");

CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sessionId" TEXT,
    "params" TEXT NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMP(3),
    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Notification_userId_createdAt_idx" ON "Notification"("userId", "createdAt");


ALTER TABLE "BoardSession" ADD CONSTRAINT "BoardSession_chairId_fkey" FOREIGN KEY ("chairId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "AgendaItem" ADD CONSTRAINT "AgendaItem_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "BoardSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "AgendaItem" ADD CONSTRAINT "AgendaItem_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "SessionInvitee" ADD CONSTRAINT "SessionInvitee_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "BoardSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "SessionInvitee" ADD CONSTRAINT "SessionInvitee_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "SessionEvent" ADD CONSTRAINT "SessionEvent_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "BoardSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "BoardSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
