-- Full-text index over SearchDocument.tokens (see app/domain/search-tokens.ts).
-- SearchDocument has a text primary key, so its implicit rowid may change on
-- VACUUM; "SearchDocumentFtsRow" gives each document a stable integer key
-- (INTEGER PRIMARY KEY survives VACUUM) that the FTS5 table uses as its rowid.
-- Triggers keep both in step with SearchDocument inside the writing transaction.
CREATE TABLE "SearchDocumentFtsRow" (
    "rowid" INTEGER PRIMARY KEY,
    "docId" TEXT NOT NULL UNIQUE
);

CREATE VIRTUAL TABLE "SearchDocumentFts" USING fts5(
    "tokens",
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER "SearchDocument_fts_insert" AFTER INSERT ON "SearchDocument" BEGIN
    INSERT INTO "SearchDocumentFtsRow" ("docId") VALUES (NEW."id");
    INSERT INTO "SearchDocumentFts" ("rowid", "tokens")
        VALUES ((SELECT "rowid" FROM "SearchDocumentFtsRow" WHERE "docId" = NEW."id"), NEW."tokens");
END;

CREATE TRIGGER "SearchDocument_fts_delete" AFTER DELETE ON "SearchDocument" BEGIN
    DELETE FROM "SearchDocumentFts" WHERE "rowid" = (SELECT "rowid" FROM "SearchDocumentFtsRow" WHERE "docId" = OLD."id");
    DELETE FROM "SearchDocumentFtsRow" WHERE "docId" = OLD."id";
END;

CREATE TRIGGER "SearchDocument_fts_update" AFTER UPDATE ON "SearchDocument" BEGIN
    DELETE FROM "SearchDocumentFts" WHERE "rowid" = (SELECT "rowid" FROM "SearchDocumentFtsRow" WHERE "docId" = OLD."id");
    DELETE FROM "SearchDocumentFtsRow" WHERE "docId" = OLD."id";
    INSERT INTO "SearchDocumentFtsRow" ("docId") VALUES (NEW."id");
    INSERT INTO "SearchDocumentFts" ("rowid", "tokens")
        VALUES ((SELECT "rowid" FROM "SearchDocumentFtsRow" WHERE "docId" = NEW."id"), NEW."tokens");
END;

-- Documents written before this migration (none are expected, but the index must be complete).
INSERT INTO "SearchDocumentFtsRow" ("docId") SELECT "id" FROM "SearchDocument";
INSERT INTO "SearchDocumentFts" ("rowid", "tokens")
    SELECT r."rowid", d."tokens" FROM "SearchDocument" d JOIN "SearchDocumentFtsRow" r ON r."docId" = d."id";
