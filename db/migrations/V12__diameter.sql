-- Diameter peers, as NAS clients are for RADIUS: a CER is accepted only from a configured
-- Origin-Host and realm, over a connection from its address (or network).
CREATE TABLE diameter_peer (
    id          bigserial PRIMARY KEY,
    name        text        NOT NULL UNIQUE,
    origin_host text        NOT NULL UNIQUE CHECK (origin_host = lower(origin_host)),
    realm       text        NOT NULL CHECK (realm = lower(realm)),
    address     cidr        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER diameter_peer_changed AFTER INSERT OR UPDATE OR DELETE ON diameter_peer
    FOR EACH STATEMENT EXECUTE FUNCTION notify_config_change();
