-- Operator requests to end a live call (`tollgate dialogs end CALL-ID`, POST /api/dialogs/{callId}/end).
-- The proxy holding the call's dialog hears of it (NOTIFY tollgate_dialog_end), sends BYE to both sides,
-- accounts the Stop with Acct-Terminate-Cause Admin-Reset and marks the request ENDED; when no proxy
-- does within the requester's wait, the requester marks it NOT_FOUND, so no proxy acts on it later.
CREATE TABLE sip_dialog_end (
    id           bigserial   PRIMARY KEY,
    call_id      text        NOT NULL,
    requested_at timestamptz NOT NULL DEFAULT now(),
    requested_by text        NOT NULL,
    handled_at   timestamptz,
    handled_by   text,
    result       text CHECK (result IN ('ENDED', 'NOT_FOUND'))
);
CREATE INDEX sip_dialog_end_open ON sip_dialog_end (requested_at) WHERE result IS NULL;

CREATE FUNCTION sip_dialog_end_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tollgate_dialog_end', NEW.id::text);
    RETURN NEW;
END $$;

CREATE TRIGGER sip_dialog_end_notify AFTER INSERT ON sip_dialog_end
    FOR EACH ROW EXECUTE FUNCTION sip_dialog_end_notify();
