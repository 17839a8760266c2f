-- Builds imported from a community guide page (`gw2opt scrape`, POST /admin/import/builds)
-- keep the page they came from: shown read-only on the build, and the key that makes a
-- re-import of the same page by the same account update its build instead of adding another.
-- NULL for builds written by hand. Unique per account (NULLs never collide, in both
-- dialects).
ALTER TABLE builds ADD COLUMN source_url TEXT;
CREATE UNIQUE INDEX builds_user_source_idx ON builds (user_id, source_url);
