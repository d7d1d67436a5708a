-- A coordinator the chair makes co-chair runs the live room with the chair's controls.

ALTER TABLE "BoardSession" ADD COLUMN "coChairId" TEXT;
