-- SIP proxy: the key of its dialog tokens, and the sources and users it bans.

-- Keys shared by the proxy instances of an installation (made at random by the first that needs one).
-- 'dialog-token' signs the parameter the proxy puts in its Record-Route, so in-dialog requests can be
-- checked after a restart and on any instance.
CREATE TABLE sip_proxy_key (
    name       text        PRIMARY KEY,
    key        bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Bans, written behind by the proxy that made them (it keeps them in memory; SIP never waits on this
-- table). `tollgate bans lift` sets lifted_at; the proxies poll for that about once a second.
CREATE TABLE sip_ban (
    id        bigserial   PRIMARY KEY,
    kind      text        NOT NULL CHECK (kind IN ('source', 'user')),
    subject   text        NOT NULL,               -- an IP address (kind source) or user@realm (kind user)
    source    text        NOT NULL,               -- the address whose requests caused it
    reason    text        NOT NULL,               -- flood, auth-failures
    detail    text,                               -- e.g. "312 requests in 2s"
    banned_at timestamptz NOT NULL,
    until     timestamptz NOT NULL,
    proxy     text        NOT NULL,               -- host:port of the proxy that banned
    lifted_at timestamptz,
    lifted_by text
);
CREATE INDEX sip_ban_until ON sip_ban (until);
CREATE INDEX sip_ban_subject ON sip_ban (kind, subject);
