-- Concurrent-call limits (like Kamailio's dialog profiles / cnxcc_set_max_channels): at most max_calls
-- calls at once, being set up or answered, billed to `name` (the caller's account: in Tollgate a
-- subscriber bills to the account of its own name, user@realm). Changes reach the running proxies at
-- once (NOTIFY tollgate_call_limits).
CREATE TABLE call_limit (
    name       text        PRIMARY KEY,
    max_calls  integer     NOT NULL CHECK (max_calls >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION call_limit_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tollgate_call_limits', COALESCE(NEW.name, OLD.name));
    RETURN NULL;
END $$;

CREATE TRIGGER call_limit_notify AFTER INSERT OR UPDATE OR DELETE ON call_limit
    FOR EACH ROW EXECUTE FUNCTION call_limit_notify();
