-- Revoked access tokens (a logout) and revoked login families (a logout, a replayed refresh
-- token): an access token whose `jti` or `fam` claim is listed here is refused until
-- expires_at, when the token would have expired anyway and the row can be purged.
CREATE TABLE revoked_tokens (
    id         UUID PRIMARY KEY,          -- an access token's jti, or a refresh family id
    kind       TEXT NOT NULL,             -- access | family
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX revoked_tokens_expires_idx ON revoked_tokens (expires_at);

-- Failed logins, counted per (account, client address) and per account over all addresses
-- (address '*'). The account is the user's id, or the login name as typed (lower case) when
-- no account has it, so unknown names are throttled exactly like real ones. This replaces
-- the per-account lock (users.failed_login_attempts / locked_until) that let anyone lock
-- out a known player.
CREATE TABLE login_throttle (
    account         TEXT NOT NULL,
    address         TEXT NOT NULL,
    failures        INTEGER NOT NULL,
    last_failure_at TIMESTAMPTZ NOT NULL,
    blocked_until   TIMESTAMPTZ,
    PRIMARY KEY (account, address)
);
CREATE INDEX login_throttle_last_failure_idx ON login_throttle (last_failure_at);

-- "Has this account logged in from this address before?" (the known-device check).
CREATE INDEX login_history_user_ip_idx ON login_history (user_id, ip, success);

ALTER TABLE users DROP COLUMN failed_login_attempts;
ALTER TABLE users DROP COLUMN locked_until;
