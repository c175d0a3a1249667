package org.tollgate.diameter.peer;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured peers in memory, for the CER check. Reloaded whole on every configuration
 * change; a failed reload keeps the last good list. Peers no longer configured are handed to
 * {@code onRemoved} so their connections can be closed.
 */
public class DiameterPeerRegistry {

    private static final Logger log = LoggerFactory.getLogger(DiameterPeerRegistry.class);

    private final Supplier<List<DiameterPeer>> source;
    private volatile List<DiameterPeer> peers = List.of();
    private volatile Consumer<DiameterPeer> onRemoved = p -> { };

    public DiameterPeerRegistry(Supplier<List<DiameterPeer>> source) {
        this.source = source;
        reload();
    }

    public final void reload() {
        List<DiameterPeer> before = peers;
        try {
            peers = List.copyOf(source.get());
        } catch (RuntimeException e) {
            log.warn("Diameter peers not reloaded, keeping {}: {}", before.size(), e.getMessage());
            return;
        }
        for (DiameterPeer p : before) {
            if (!peers.contains(p)) {
                onRemoved.accept(p);
            }
        }
    }

    public void onRemoved(Consumer<DiameterPeer> listener) {
        this.onRemoved = listener;
    }

    /** The peer a CER announcing {@code originHost}/{@code originRealm} from {@code from} is, if configured. */
    public Optional<DiameterPeer> admit(String originHost, String originRealm, InetAddress from) {
        for (DiameterPeer p : peers) {
            if (p.matches(originHost, originRealm, from)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The configured peer with this Origin-Host, whatever its address. */
    public Optional<DiameterPeer> byOriginHost(String originHost) {
        return peers.stream().filter(p -> p.originHost().equalsIgnoreCase(originHost)).findFirst();
    }
}
