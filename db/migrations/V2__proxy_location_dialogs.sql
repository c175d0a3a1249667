-- SIP proxy: the location service (registrar bindings) and the dialogs the proxy tracks.

CREATE TABLE sip_location (
    aor         text        NOT NULL,               -- user@domain the binding belongs to
    contact     text        NOT NULL,               -- Contact URI to route to
    expires_at  timestamptz NOT NULL,
    q           real,
    call_id     text        NOT NULL,
    cseq        bigint      NOT NULL,
    received    text        NOT NULL,               -- source of the REGISTER: transport:ip:port
    user_agent  text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (aor, contact)
);
CREATE INDEX sip_location_expires ON sip_location (expires_at);

-- Written behind by the proxy (about once a second), so calls shorter than that never land here.
CREATE TABLE sip_dialog (
    call_id          text        NOT NULL,
    caller_tag       text        NOT NULL,
    callee_tag       text        NOT NULL,
    proxy            text        NOT NULL,          -- host:port of the proxy instance tracking it
    caller           text        NOT NULL,          -- From URI of the INVITE
    callee           text        NOT NULL,          -- To URI of the INVITE
    user_name        text,
    answered_at      timestamptz NOT NULL,
    last_refresh     timestamptz NOT NULL,
    session_interval integer     NOT NULL,          -- seconds, 0 without session timer
    expires_at       timestamptz NOT NULL,
    data             jsonb       NOT NULL,          -- contacts, route set, CSeqs, accounting facts
    PRIMARY KEY (call_id, caller_tag, callee_tag)
);
CREATE INDEX sip_dialog_proxy ON sip_dialog (proxy);
