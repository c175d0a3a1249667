package org.tollgate.proxy.aaa.diameter;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The proxy as a Diameter client ({@code tollgate.proxy.diameter.*}): its identity and realm, the
 * servers in order of preference (the first one up is used, the next on failure), the realm the
 * requests go to, and Tx, how long a request waits for its answer (RFC 4006 §13).
 */
public record DiameterClientSettings(String identity, String realm, List<Server> servers, String destinationRealm,
                                     Duration txTimeout, Duration watchdogInterval) {

    /** A Diameter server: where it listens and the identity (Origin-Host) it answers CER with. */
    public record Server(String host, int port, String identity) {

        /** {@code host:port/identity}, e.g. {@code 10.0.0.7:3868/ocs1.example.net}. */
        public static Server parse(String s) {
            int slash = s.indexOf('/');
            int colon = s.lastIndexOf(':', slash < 0 ? s.length() : slash);
            if (slash < 0 || colon < 0) {
                throw new IllegalArgumentException("a Diameter server is host:port/identity, not '" + s + "'");
            }
            try {
                return new Server(s.substring(0, colon).trim(), Integer.parseInt(s.substring(colon + 1, slash).trim()),
                        s.substring(slash + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a Diameter server is host:port/identity, not '" + s + "'");
            }
        }
    }

    public DiameterClientSettings {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(destinationRealm, "destinationRealm");
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("tollgate.proxy.diameter.servers: at least one server");
        }
        if (txTimeout.isNegative() || txTimeout.isZero()) {
            throw new IllegalArgumentException("tollgate.proxy.diameter.tx-timeout must be positive");
        }
    }
}
