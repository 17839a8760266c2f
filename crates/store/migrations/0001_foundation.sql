-- GW2Optimizer schema, part 1: the seed's core tables (UserDB, LoginHistory, BuildDB,
-- TeamCompositionDB, TeamSlotDB).
--
-- One schema for SQLite and PostgreSQL: only types both understand are used.
--   UUID         native on PostgreSQL; a 16-byte BLOB on SQLite (the seed's portable GUID type)
--   TIMESTAMPTZ  native on PostgreSQL; RFC 3339 UTC text on SQLite (sorts chronologically)
--   TEXT (JSON)  structured fields are validated JSON documents kept as text on both
-- Case-insensitive uniqueness uses expression indexes on LOWER(...), supported by both.

CREATE TABLE users (
    id                    UUID PRIMARY KEY,
    email                 TEXT NOT NULL,
    username              TEXT NOT NULL,
    hashed_password       TEXT NOT NULL,
    is_active             BOOLEAN NOT NULL DEFAULT TRUE,
    is_verified           BOOLEAN NOT NULL DEFAULT FALSE,
    is_superuser          BOOLEAN NOT NULL DEFAULT FALSE,
    full_name             TEXT,
    bio                   TEXT,
    profile_picture_url   TEXT,
    preferences           TEXT NOT NULL DEFAULT '{}',
    failed_login_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until          TIMESTAMPTZ,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX users_email_lower_key ON users (LOWER(email));
CREATE UNIQUE INDEX users_username_lower_key ON users (LOWER(username));

CREATE TABLE login_history (
    id         UUID PRIMARY KEY,
    user_id    UUID REFERENCES users (id) ON DELETE CASCADE,
    ip         TEXT,
    user_agent TEXT,
    success    BOOLEAN NOT NULL,
    reason     TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_history_user_time_idx ON login_history (user_id, created_at);

CREATE TABLE builds (
    id             UUID PRIMARY KEY,
    user_id        UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    profession     TEXT NOT NULL,
    specialization TEXT,
    game_mode      TEXT NOT NULL,
    role           TEXT NOT NULL,
    trait_lines    TEXT NOT NULL DEFAULT '[]',
    skills         TEXT NOT NULL DEFAULT '{}',
    equipment      TEXT NOT NULL DEFAULT '{}',
    synergies      TEXT NOT NULL DEFAULT '[]',
    counters       TEXT NOT NULL DEFAULT '[]',
    description    TEXT,
    tags           TEXT NOT NULL DEFAULT '[]',
    is_public      BOOLEAN NOT NULL DEFAULT TRUE,
    upvotes        INTEGER NOT NULL DEFAULT 0,
    downvotes      INTEGER NOT NULL DEFAULT 0,
    views          BIGINT NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX builds_user_idx ON builds (user_id);
CREATE INDEX builds_public_created_idx ON builds (is_public, created_at);
CREATE INDEX builds_profession_idx ON builds (profession, created_at);
CREATE INDEX builds_game_mode_idx ON builds (game_mode, created_at);
CREATE INDEX builds_role_idx ON builds (role, created_at);

CREATE TABLE team_compositions (
    id              UUID PRIMARY KEY,
    user_id         UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    game_mode       TEXT NOT NULL,
    description     TEXT,
    total_dps       DOUBLE PRECISION,
    total_healing   DOUBLE PRECISION,
    total_toughness DOUBLE PRECISION,
    is_public       BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX team_compositions_user_idx ON team_compositions (user_id);
CREATE INDEX team_compositions_public_created_idx ON team_compositions (is_public, created_at);

-- A slot keeps its place when its build is deleted by its author's account deletion
-- (build_id becomes NULL: an empty slot); deleting a build in use through the API is refused.
CREATE TABLE team_slots (
    id            UUID PRIMARY KEY,
    team_id       UUID NOT NULL REFERENCES team_compositions (id) ON DELETE CASCADE,
    build_id      UUID REFERENCES builds (id) ON DELETE SET NULL,
    party         INTEGER NOT NULL CHECK (party BETWEEN 1 AND 10),
    position      INTEGER NOT NULL CHECK (position BETWEEN 1 AND 5),
    player_name   TEXT,
    role_override TEXT,
    UNIQUE (team_id, party, position)
);
CREATE INDEX team_slots_build_idx ON team_slots (build_id);
