package org.tollgate.diameter.peer;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;
import org.tollgate.api.net.Cidr;

/**
 * A Diameter client allowed to connect, as a NAS client is for RADIUS: a short name, the
 * Origin-Host it announces in its CER, its realm, and where it may connect from.
 */
public record DiameterPeer(String name, String originHost, String realm, Cidr address) {

    public DiameterPeer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(originHost, "originHost");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(address, "address");
        if (name.isBlank() || originHost.isBlank() || realm.isBlank()) {
            throw new IllegalArgumentException("a Diameter peer needs a name, an Origin-Host and a realm");
        }
        if (!originHost.matches("[A-Za-z0-9.-]+") || !realm.matches("[A-Za-z0-9.-]+")) {
            throw new IllegalArgumentException("Origin-Host and realm are DiameterIdentity values (letters, digits, '.', '-'): "
                    + originHost + ", " + realm);
        }
        originHost = originHost.toLowerCase(Locale.ROOT);
        realm = realm.toLowerCase(Locale.ROOT);
    }

    /** Whether a CER with this Origin-Host and Origin-Realm, over a connection from {@code from}, is this peer. */
    public boolean matches(String host, String originRealm, InetAddress from) {
        return originHost.equalsIgnoreCase(host) && realm.equalsIgnoreCase(originRealm) && address.contains(from);
    }

    @Override
    public String toString() {
        return name + " (" + originHost + ", realm " + realm + ", from " + address + ")";
    }
}
