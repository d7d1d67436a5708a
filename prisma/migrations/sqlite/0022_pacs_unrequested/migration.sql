-- Instances a PACS sent during a pull that the pull had not asked for: refused, never stored, counted for the page.

ALTER TABLE "PacsPull" ADD COLUMN "unrequested" INTEGER NOT NULL DEFAULT 0;
