-- Admin API tokens (issue 18). Only the SHA-256 of a token is kept: the token itself is shown once,
-- when it is created. A token has one role; one scoped to accounts sees and changes only those.
CREATE TABLE api_token (
    id          bigserial   PRIMARY KEY,
    name        text        NOT NULL UNIQUE CHECK (name <> ''),
    role        text        NOT NULL CHECK (role IN ('admin', 'operator', 'finance')),
    accounts    text[]      NOT NULL DEFAULT '{}',
    token_hash  bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz,
    revoked_at  timestamptz,
    CHECK (role = 'finance' OR accounts = '{}')
);
