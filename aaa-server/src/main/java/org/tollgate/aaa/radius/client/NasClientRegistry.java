package org.tollgate.aaa.radius.client;

import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The NAS clients a running server accepts, matched by source address, most specific
 * network first (as FreeRADIUS does). Reloaded whenever the table changes.
 */
public class NasClientRegistry {

    private final Supplier<List<NasClient>> source;
    private volatile List<NasClient> clients = List.of();

    public NasClientRegistry(Supplier<List<NasClient>> source) {
        this.source = source;
        reload();
    }

    public final void reload() {
        clients = source.get().stream()
                .sorted(Comparator.comparingInt((NasClient c) -> c.address().prefixLength()).reversed())
                .toList();
    }

    public Optional<NasClient> match(InetAddress address) {
        for (NasClient c : clients) {
            if (c.address().contains(address)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public int size() {
        return clients.size();
    }
}
