-- Full-text index over SearchDocument.tokens (see app/domain/search-tokens.ts):
-- the tokens are already folded and split (Chinese as bigrams), so the
-- 'simple' configuration only has to cut them at spaces.
CREATE INDEX "SearchDocument_tokens_fts_idx" ON "SearchDocument" USING GIN (to_tsvector('simple'::regconfig, "tokens"));
