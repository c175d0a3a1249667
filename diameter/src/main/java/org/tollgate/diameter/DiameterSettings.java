package org.tollgate.diameter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The Diameter server's configuration (keys {@code tollgate.diameter.*}).
 *
 * @param identity         our Origin-Host (DiameterIdentity), in every CEA and answer
 * @param realm            our Origin-Realm; requests must name it as Destination-Realm
 * @param bindAddress      the address to listen on (TCP)
 * @param port             the port (3868)
 * @param watchdogInterval Tw: an idle connection is probed with DWR after this long
 * @param watchdogTimeout  a DWR unanswered this long marks the peer down
 * @param dictionaryDir    extra Diameter dictionary files, or null
 */
public record DiameterSettings(String identity, String realm, String bindAddress, int port, Duration watchdogInterval,
                               Duration watchdogTimeout, Path dictionaryDir) {

    public DiameterSettings {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (!identity.matches("[A-Za-z0-9.-]+") || !realm.matches("[A-Za-z0-9.-]+")) {
            throw new IllegalArgumentException("tollgate.diameter.identity and .realm are DiameterIdentity values "
                    + "(letters, digits, '.', '-'): " + identity + ", " + realm);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("tollgate.diameter.port must be 0-65535: " + port);
        }
        if (watchdogInterval.toSeconds() < 6) {
            // RFC 3539 §3.4.1: Tw is at least 6 s
            throw new IllegalArgumentException("tollgate.diameter.watchdog-interval must be at least 6s (RFC 3539)");
        }
        if (watchdogTimeout.isNegative() || watchdogTimeout.isZero()) {
            throw new IllegalArgumentException("tollgate.diameter.watchdog-timeout must be positive");
        }
    }
}
