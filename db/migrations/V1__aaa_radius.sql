-- Tollgate schema, part 1: the RADIUS AAA server (NAS clients, users, accounting).
-- Migrations are the single source of the schema. PostgreSQL only.

-- NAS clients, as FreeRADIUS clients.conf describes them.
CREATE TABLE nas_client (
    id                            bigserial PRIMARY KEY,
    name                          text        NOT NULL UNIQUE,
    address                       cidr        NOT NULL UNIQUE,
    secret                        text        NOT NULL CHECK (secret <> ''),
    nas_type                      text        NOT NULL DEFAULT 'other',
    dictionary_profile            text        NOT NULL DEFAULT 'sip-acc'
                                              CHECK (dictionary_profile IN ('sip-acc', 'rfc')),
    require_message_authenticator boolean     NOT NULL DEFAULT true,
    created_at                    timestamptz NOT NULL DEFAULT now()
);

-- Subscribers. Credentials are stored in the weakest form the method needs:
-- PAP a salted SHA-256 ({SSHA256}), Digest the HA1 for the realm, CHAP alone the cleartext.
CREATE TABLE radius_user (
    id                 bigserial PRIMARY KEY,
    username           text        NOT NULL,
    realm              text        NOT NULL DEFAULT '',
    status             text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    auth_type          text        CHECK (auth_type IN ('accept', 'reject', 'digest')),
    pap_hash           text,
    digest_ha1         text        CHECK (digest_ha1 ~ '^[0-9a-f]{32}$'),
    cleartext_password text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (username, realm)
);

CREATE TABLE radius_user_group (
    user_id    bigint NOT NULL REFERENCES radius_user (id) ON DELETE CASCADE,
    group_name text   NOT NULL,
    PRIMARY KEY (user_id, group_name)
);

-- Check items beyond credentials (FreeRADIUS "users" check list), ANDed.
CREATE TABLE radius_user_check (
    id        bigserial PRIMARY KEY,
    user_id   bigint NOT NULL REFERENCES radius_user (id) ON DELETE CASCADE,
    attribute text   NOT NULL,
    op        text   NOT NULL CHECK (op IN ('==', '!=', '=~', '!~', '>', '>=', '<', '<=')),
    value     text   NOT NULL
);

-- Reply items. service_type NULL: the reply to an authentication; otherwise the reply to
-- that Service-Type (Group-Check, SIP-Caller-AVPs, SIP-Callee-AVPs, Call-Check).
CREATE TABLE radius_user_reply (
    id           bigserial PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES radius_user (id) ON DELETE CASCADE,
    service_type text,
    attribute    text   NOT NULL,
    op           text   NOT NULL CHECK (op IN ('=', ':=', '+=')),
    value        text   NOT NULL,
    ordinal      int    NOT NULL
);
CREATE INDEX radius_user_reply_user ON radius_user_reply (user_id, ordinal);

-- DEFAULT entries of an imported users file, evaluated in order for users without a match.
CREATE TABLE radius_default_entry (
    id           bigserial PRIMARY KEY,
    ordinal      int     NOT NULL,
    auth_type    text    CHECK (auth_type IN ('accept', 'reject', 'digest')),
    check_items  jsonb   NOT NULL DEFAULT '[]',
    reply_items  jsonb   NOT NULL DEFAULT '[]',
    fall_through boolean NOT NULL DEFAULT false
);

-- Every accounting record, typed keys plus all attributes. record_key (an MD5 of the NAS and
-- the attributes a retransmission keeps) is the idempotency key and the row's identity: a
-- retransmission maps to the same key and is answered without a second row. Indexes are kept
-- to the two the write path and time-range reads need; each one costs accounting throughput.
CREATE TABLE acc_event (
    record_key             uuid        PRIMARY KEY,
    session_key            uuid,
    received_at            timestamptz NOT NULL,
    event_time             timestamptz NOT NULL,
    nas_name               text,
    nas_address            inet,
    status                 text        NOT NULL,
    status_code            int         NOT NULL,
    acct_session_id        text,
    acct_unique_session_id text,
    user_name              text,
    calling_station_id     text,
    called_station_id      text,
    sip_method             text,
    sip_response_code      int,
    sip_from_tag           text,
    sip_to_tag             text,
    sip_cseq               text,
    sip_translated_uri     text,
    sip_src_ip             text,
    sip_src_port           int,
    session_time           bigint,
    terminate_cause        int,
    delay_time             int,
    attributes             jsonb       NOT NULL
);
CREATE INDEX acc_event_event_time ON acc_event (event_time);

-- Accounting-On/Off rows, found fast by NAS and time (a tiny partial index).
CREATE INDEX acc_event_nas_state ON acc_event (nas_address, event_time)
    WHERE status IN ('ACCOUNTING_ON', 'ACCOUNTING_OFF');

-- Sessions as radacct shows them, derived from the accounting log rather than updated on every
-- packet (measured: maintaining a table cost a quarter of the accounting throughput). Start
-- opens, Interim updates, Stop closes; a session still open when its NAS (the address it
-- accounts from, as one client entry may cover a network) sent Accounting-On or Accounting-Off
-- is closed at that moment with Acct-Terminate-Cause NAS-Reboot (11).
CREATE VIEW acc_session AS
WITH s AS (
    SELECT session_key,
           min(nas_name)                                                  AS nas_name,
           min(nas_address)                                               AS nas_address,
           min(acct_session_id)                                           AS acct_session_id,
           min(acct_unique_session_id)                                    AS acct_unique_session_id,
           coalesce(min(user_name) FILTER (WHERE status = 'START'), min(user_name)) AS user_name,
           min(event_time) FILTER (WHERE status = 'START')                AS start_time,
           max(event_time)                                                AS last_update,
           max(event_time) FILTER (WHERE status = 'STOP')                 AS stop_time,
           max(session_time)                                              AS session_time,
           max(terminate_cause) FILTER (WHERE status = 'STOP')            AS terminate_cause
    FROM acc_event
    WHERE session_key IS NOT NULL AND status IN ('START', 'INTERIM_UPDATE', 'STOP')
    GROUP BY session_key
)
SELECT s.session_key, s.nas_name, s.nas_address, s.acct_session_id, s.acct_unique_session_id, s.user_name, s.start_time,
       s.last_update,
       coalesce(s.stop_time, r.reboot_time)                                          AS stop_time,
       s.session_time,
       CASE WHEN s.stop_time IS NULL AND r.reboot_time IS NOT NULL THEN 11 ELSE s.terminate_cause END
                                                                                     AS terminate_cause,
       s.stop_time IS NULL AND r.reboot_time IS NOT NULL                             AS closed_by_nas_reboot
FROM s
LEFT JOIN LATERAL (
    SELECT min(e.event_time) AS reboot_time
    FROM acc_event e
    WHERE e.nas_address = s.nas_address AND e.status IN ('ACCOUNTING_ON', 'ACCOUNTING_OFF')
      AND e.event_time >= s.last_update
) r ON true;

-- Provisioning changes reach running servers at once (their caches listen on this channel).
CREATE FUNCTION notify_config_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tollgate_config', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

CREATE TRIGGER nas_client_changed AFTER INSERT OR UPDATE OR DELETE ON nas_client
    FOR EACH STATEMENT EXECUTE FUNCTION notify_config_change();
CREATE TRIGGER radius_user_changed AFTER INSERT OR UPDATE OR DELETE ON radius_user
    FOR EACH STATEMENT EXECUTE FUNCTION notify_config_change();
CREATE TRIGGER radius_user_group_changed AFTER INSERT OR UPDATE OR DELETE ON radius_user_group
    FOR EACH STATEMENT EXECUTE FUNCTION notify_config_change();
CREATE TRIGGER radius_user_check_changed AFTER INSERT OR UPDATE OR DELETE ON radius_user_check
    FOR EACH STATEMENT EXECUTE FUNCTION notify_config_change();
CREATE TRIGGER radius_user_reply_changed AFTER INSERT OR UPDATE OR DELETE ON radius_user_reply
    FOR EACH STATEMENT EXECUTE FUNCTION notify_config_change();
CREATE TRIGGER radius_default_entry_changed AFTER INSERT OR UPDATE OR DELETE ON radius_default_entry
    FOR EACH STATEMENT EXECUTE FUNCTION notify_config_change();
