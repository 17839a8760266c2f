-- Builds: votes (one per user per build), tags as rows (so the tag filter uses an index),
-- a maintained score (upvotes - downvotes) and indexes for every list filter and sort.

ALTER TABLE builds ADD COLUMN score INTEGER NOT NULL DEFAULT 0;

CREATE TABLE build_votes (
    build_id   UUID NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    value      INTEGER NOT NULL CHECK (value IN (-1, 1)),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (build_id, user_id)
);
CREATE INDEX build_votes_user_idx ON build_votes (user_id);

CREATE TABLE build_tags (
    build_id UUID NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    PRIMARY KEY (build_id, tag)
);
CREATE INDEX build_tags_tag_idx ON build_tags (tag, build_id);

CREATE INDEX builds_public_score_idx ON builds (is_public, score, created_at);
CREATE INDEX builds_public_views_idx ON builds (is_public, views, created_at);
CREATE INDEX builds_specialization_idx ON builds (specialization, created_at);
