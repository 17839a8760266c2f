-- The audit log (issue #22): administrative actions and security events (logins, lockouts,
-- flag changes by superusers, deletions, password changes and resets, token revocations),
-- written by the server's one audit service and read by superusers. No foreign key to users:
-- an entry outlives the account it names (a deleted account's deletion is itself an entry).
-- `detail` is a JSON object kept as text (see 0001); it never holds secrets.
CREATE TABLE audit_log (
    id          UUID PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    action      TEXT NOT NULL,
    actor_id    UUID,
    actor_name  TEXT,
    target_type TEXT,
    target_id   TEXT,
    ip          TEXT,
    detail      TEXT NOT NULL DEFAULT '{}'
);
-- Newest first, for everyone; by actor; by action.
CREATE INDEX audit_log_at_idx ON audit_log (at, id);
CREATE INDEX audit_log_actor_at_idx ON audit_log (actor_id, at);
CREATE INDEX audit_log_action_at_idx ON audit_log (action, at);
