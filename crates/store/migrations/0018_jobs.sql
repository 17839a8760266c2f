-- Long work any instance can run (gear optimizations first): a durable queue. A worker claims
-- a ready job with a lease (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: its single writer),
-- renews it by heartbeats, and completes it only while it still holds the lease, so a job
-- whose instance died is claimed again by another after its lease expires and is never
-- completed twice. Failures are retried with backoff up to max_attempts.
CREATE TABLE jobs (
    id               UUID PRIMARY KEY,
    kind             TEXT NOT NULL,
    owner_id         UUID REFERENCES users (id) ON DELETE CASCADE,
    input            TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    run_after        TIMESTAMPTZ NOT NULL,
    lease_owner      TEXT,
    lease_until      TIMESTAMPTZ,
    heartbeat_at     TIMESTAMPTZ,
    cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
    progress         TEXT,
    result           TEXT,
    error            TEXT,
    completed_by     TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    finished_at      TIMESTAMPTZ
);
-- The claim's scan: ready jobs oldest first, and running ones whose lease may have expired.
CREATE INDEX jobs_ready_idx ON jobs (status, run_after, created_at);
-- An owner's jobs, newest first.
CREATE INDEX jobs_owner_idx ON jobs (owner_id, created_at);
