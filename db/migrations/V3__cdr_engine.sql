-- CDR engine: call detail records paired from acc_event, the rows it could not pair, the calls it
-- must look at again, media-timeout evidence and its checkpoint.

-- When PostgreSQL stored the row (transaction start). The incremental checkpoint follows this
-- rather than received_at, which a journal replay after an outage sets to the original receipt.
ALTER TABLE acc_event ADD COLUMN stored_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX acc_event_stored_at ON acc_event (stored_at);
-- Every record of a call, found by Call-ID whichever NAS sent it (proxy, gateway, media relay).
CREATE INDEX acc_event_call_id ON acc_event (acct_session_id);

CREATE TABLE cdr (
    cdr_key          uuid        PRIMARY KEY,   -- from the record that anchors the call and the leg
    call_id          text        NOT NULL,
    leg_index        int         NOT NULL DEFAULT 0,
    from_tag         text,
    to_tag           text,
    call_date        date        NOT NULL,      -- the day it belongs to: answer (or attempt) day in tollgate.cdr.zone
    setup_time       timestamptz,               -- the INVITE, when the records carry it
    answer_time      timestamptz,               -- the Start; NULL when the call did not connect
    end_time         timestamptz NOT NULL,      -- the Stop, the repair's end, or the failure
    duration_seconds bigint      NOT NULL CHECK (duration_seconds >= 0),
    billable_seconds bigint      NOT NULL CHECK (billable_seconds >= 0),
    disposition      text        NOT NULL CHECK (disposition IN
                     ('ANSWERED', 'BUSY', 'CANCELLED', 'NO_ANSWER', 'NOT_FOUND', 'FORBIDDEN', 'FAILED')),
    sip_code         int,
    sip_reason       text,
    caller           text,
    callee           text,
    translated_uri   text,
    billing_party    text,                      -- who pays: the caller, or the party that forwarded this leg
    user_name        text,
    source_ip        text,
    nas_name         text,
    nas_address      inet,
    terminate_cause  int,
    repair           text CHECK (repair IN ('MEDIA_TIMEOUT', 'SESSION_TIMER', 'NAS_REBOOT', 'UNTERMINATED')),
    source_keys      uuid[]      NOT NULL,      -- the acc_event rows it came from
    version          int         NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cdr_call_id ON cdr (call_id);
CREATE INDEX cdr_call_date ON cdr (call_date);

-- Every earlier version of a CDR that a later run corrected (a real Stop after a repair) or
-- superseded (its call now pairs differently).
CREATE TABLE cdr_audit (
    id          bigserial   PRIMARY KEY,
    cdr_key     uuid        NOT NULL,
    version     int         NOT NULL,
    change      text        NOT NULL CHECK (change IN ('CORRECTED', 'SUPERSEDED')),
    replaced_at timestamptz NOT NULL DEFAULT now(),
    old_row     jsonb       NOT NULL
);
CREATE INDEX cdr_audit_key ON cdr_audit (cdr_key);

-- acc_event rows that are in no CDR, with the reason. Rows are resolved, never deleted.
CREATE TABLE cdr_review (
    record_key  uuid        PRIMARY KEY,        -- the acc_event row
    call_id     text,
    reason      text        NOT NULL CHECK (reason IN
                ('STOP_WITHOUT_START', 'INTERIM_WITHOUT_START', 'NO_CALL_ID', 'NOT_A_CALL', 'NAS_STATE',
                 'UNPARSEABLE')),
    detail      text,
    event_time  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    resolution  text
);
CREATE INDEX cdr_review_call_id ON cdr_review (call_id);
CREATE INDEX cdr_review_open ON cdr_review (event_time) WHERE resolved_at IS NULL;

-- Calls to pair again once revisit_at has passed: a Start still waiting for its Stop, a Stop
-- still waiting for its Start.
CREATE TABLE cdr_pending (
    call_id    text        PRIMARY KEY,
    revisit_at timestamptz NOT NULL,
    reason     text        NOT NULL
);
CREATE INDEX cdr_pending_revisit ON cdr_pending (revisit_at);

-- Media-timeout evidence posted to POST /api/media-events (media relays, RTP engines).
CREATE TABLE media_event (
    id            bigserial   PRIMARY KEY,
    call_id       text        NOT NULL,
    last_media_at timestamptz NOT NULL,
    source        text        NOT NULL DEFAULT 'api',
    received_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (call_id, last_media_at, source)
);
CREATE INDEX media_event_received ON media_event (received_at);

-- CDRs new, changed or superseded since the steps after pairing (rating) last took them: the
-- pairing writer adds keys, a consumer removes the ones it has handled in its own transaction.
CREATE TABLE cdr_change (
    cdr_key    uuid        PRIMARY KEY,
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- How far incremental runs have read (acc_event.stored_at, media_event.received_at).
CREATE TABLE cdr_checkpoint (
    name       text        PRIMARY KEY,
    read_until timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
