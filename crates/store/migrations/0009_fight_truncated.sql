-- A log cut in the middle of an event (a crashed client) is parsed up to its last complete
-- event and stored with the byte offset (in the decompressed log) where the incomplete
-- data starts; NULL for a complete log and for fights stored before this migration.
ALTER TABLE fights ADD COLUMN truncated_at BIGINT;
