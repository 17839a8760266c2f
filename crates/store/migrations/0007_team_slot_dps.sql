-- Each slot's estimated DPS (the build's own gear and traits under its specialization's
-- benchmark rotation, optimizer::benchmark) and what it was measured with, so a team's
-- total_dps can be read slot by slot. dps_basis holds the benchmark's name, or why the slot
-- has no estimate. Both NULL for an empty slot and for slots saved before this migration.
ALTER TABLE team_slots ADD COLUMN estimated_dps DOUBLE PRECISION;
ALTER TABLE team_slots ADD COLUMN dps_basis TEXT;
