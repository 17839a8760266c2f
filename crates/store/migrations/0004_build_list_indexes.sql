-- Composite indexes for the build list's most common filtered views: each starts with the
-- visibility column and ends with the sort key, so one index range serves both the count
-- and the ordered page (measured with `cargo bench -p gw2opt-store --bench build_list`).

CREATE INDEX builds_public_profession_created_idx ON builds (is_public, profession, created_at);
CREATE INDEX builds_public_profession_score_idx ON builds (is_public, profession, score, created_at);
CREATE INDEX builds_public_mode_role_idx ON builds (is_public, game_mode, role, created_at);
