-- Saved builds (the original client's "My Builds": a player's private bookmarks of analysed
-- builds) and feedback on the AI answers (kept for the learning work).
--
-- The original client types a saved build's id as a number, so saved_builds has an integer
-- key. SQLite and PostgreSQL share no auto-increment syntax (INTEGER PRIMARY KEY aliases the
-- rowid only on SQLite; SERIAL and IDENTITY exist only on PostgreSQL), so ids come from a
-- counter row in id_counters, bumped with UPDATE ... RETURNING inside the inserting
-- transaction: ids are never reused, and on PostgreSQL the counter's row lock also orders
-- concurrent inserts (which keeps the per-user cap exact).

CREATE TABLE id_counters (
    name    TEXT PRIMARY KEY,
    last_id BIGINT NOT NULL
);
INSERT INTO id_counters (name, last_id) VALUES ('saved_builds', 0);

CREATE TABLE saved_builds (
    id             BIGINT PRIMARY KEY,
    user_id        UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    chat_code      TEXT,
    profession     TEXT,
    specialization TEXT,
    game_mode      TEXT,
    synergy_score  TEXT CHECK (synergy_score IN ('S', 'A', 'B', 'C')),
    source_url     TEXT,
    notes          TEXT,
    created_at     TIMESTAMPTZ NOT NULL
);
-- A user's list, newest first.
CREATE INDEX saved_builds_user_created_idx ON saved_builds (user_id, created_at);
-- The meta overview: one game mode over a time window.
CREATE INDEX saved_builds_mode_created_idx ON saved_builds (game_mode, created_at);

-- Feedback may be anonymous (user_id NULL); a deleted account takes its feedback with it.
CREATE TABLE ai_feedback (
    id         UUID PRIMARY KEY,
    user_id    UUID REFERENCES users (id) ON DELETE CASCADE,
    target_id  TEXT NOT NULL,
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 10),
    comment    TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ai_feedback_target_idx ON ai_feedback (target_id, created_at);
CREATE INDEX ai_feedback_user_idx ON ai_feedback (user_id);

-- The meta overview also reads public teams of a mode saved within a window.
CREATE INDEX team_compositions_mode_updated_idx ON team_compositions (game_mode, updated_at);
