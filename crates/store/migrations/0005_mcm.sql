-- WvW (McM) analytics: one row per uploaded arcdps log holding its parsed report (not the
-- raw log unless the uploader asked to keep it), and sessions grouping the fights of one
-- evening. Summary columns are copied out of the report so lists never parse JSON.

CREATE TABLE fights (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    file_name    TEXT NOT NULL,
    file_size    BIGINT NOT NULL,
    -- SHA-256 of the uploaded bytes: the same log uploaded twice by one user is one fight.
    file_sha256  TEXT NOT NULL,
    fight_name   TEXT NOT NULL,
    map_id       BIGINT,
    is_wvw       BOOLEAN NOT NULL,
    -- Server time the log started (from arcdps' log-start event), when recorded.
    started_at   TIMESTAMPTZ,
    duration_ms  BIGINT NOT NULL,
    squad_size   INTEGER NOT NULL,
    enemy_count  INTEGER NOT NULL,
    outcome      TEXT NOT NULL,
    squad_damage BIGINT NOT NULL,
    commander    TEXT,
    report       TEXT NOT NULL,
    raw_path     TEXT,
    is_public    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX fights_user_sha_idx ON fights (user_id, file_sha256);
CREATE INDEX fights_user_created_idx ON fights (user_id, created_at);
CREATE INDEX fights_public_created_idx ON fights (is_public, created_at);

CREATE TABLE mcm_sessions (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT,
    is_public   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX mcm_sessions_user_created_idx ON mcm_sessions (user_id, created_at);
CREATE INDEX mcm_sessions_public_created_idx ON mcm_sessions (is_public, created_at);

CREATE TABLE mcm_session_fights (
    session_id UUID NOT NULL REFERENCES mcm_sessions (id) ON DELETE CASCADE,
    fight_id   UUID NOT NULL REFERENCES fights (id) ON DELETE CASCADE,
    added_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (session_id, fight_id)
);
CREATE INDEX mcm_session_fights_fight_idx ON mcm_session_fights (fight_id);
