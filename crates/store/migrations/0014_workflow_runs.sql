-- The AI adviser's workflow runs: which agents ran in which order, with what input and
-- output and for how long, so a run can be read back (GET /ai/workflows/runs/{id}) after its
-- WebSocket stream is gone. Structured fields are JSON documents kept as text (see 0001).
CREATE TABLE workflow_runs (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workflow    TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
    input       TEXT NOT NULL,
    steps       TEXT NOT NULL DEFAULT '[]',
    output      TEXT,
    error       TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);
-- A user's runs, newest first.
CREATE INDEX workflow_runs_user_created_idx ON workflow_runs (user_id, created_at);
