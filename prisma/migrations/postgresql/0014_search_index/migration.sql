-- Full-text index over SearchDocument.tokens (see app/domain/search-tokens.ts):
-- the tokens are already folded and split (Chinese as bigrams), so the
-- 'simple' configuration only has to cut them at spaces. The tsvector is
-- stored (a generated column the application never writes), so a phrase
-- query's recheck reads it instead of parsing every candidate's tokens again.
ALTER TABLE "SearchDocument" ADD COLUMN "tokensTsv" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "tokens")) STORED;
CREATE INDEX "SearchDocument_tokens_fts_idx" ON "SearchDocument" USING GIN ("tokensTsv");
