package org.tollgate.proxy.location;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.tollgate.proxy.sip.HostPort;

/**
 * The location service: bindings are written to PostgreSQL before the REGISTER is answered
 * and kept in memory for lookups (loaded at start, so they survive a restart). It also knows
 * which addresses are our users' (their contacts and where they registered from), which the
 * relay rules ask about in-dialog requests.
 */
public final class LocationService {

    private static final Comparator<Binding> BY_Q = Comparator.comparing((Binding b) -> b.q() == null ? 1.0f : b.q()).reversed();

    private final JdbcLocationStore store;
    private final Clock clock;
    private final Map<String, List<Binding>> byAor = new ConcurrentHashMap<>();
    // contact and source addresses of the bindings, with the AORs having them
    private final Map<HostPort, Set<String>> aorsAt = new ConcurrentHashMap<>();

    public LocationService(JdbcLocationStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Loads the live bindings; returns how many. */
    public int load() {
        List<Binding> all = store.live(clock.instant());
        Map<String, List<Binding>> grouped = new java.util.HashMap<>();
        for (Binding b : all) {
            grouped.computeIfAbsent(b.aor(), k -> new ArrayList<>()).add(b);
        }
        grouped.forEach((k, v) -> replace(k, List.copyOf(v)));
        return all.size();
    }

    /** The unexpired contacts of an address of record, highest q first. */
    public List<Binding> lookup(String aor) {
        List<Binding> list = byAor.get(aor);
        if (list == null) {
            return List.of();
        }
        Instant now = clock.instant();
        return list.stream().filter(b -> b.expiresAt().isAfter(now)).sorted(BY_Q).toList();
    }

    /** Every unexpired binding. */
    public List<Binding> all() {
        Instant now = clock.instant();
        return byAor.values().stream().flatMap(List::stream).filter(b -> b.expiresAt().isAfter(now)).toList();
    }

    /** Applies a REGISTER durably, then in memory; returns the bindings now current. */
    public List<Binding> register(String aor, boolean removeAll, Collection<String> remove, Collection<Binding> upsert) {
        store.apply(aor, removeAll, remove, upsert);
        List<Binding> now = store.of(aor, clock.instant());
        replace(aor, List.copyOf(now));
        return now;
    }

    public int purgeExpired() {
        Instant now = clock.instant();
        for (String aor : List.copyOf(byAor.keySet())) {
            List<Binding> list = byAor.get(aor);
            if (list != null && list.stream().anyMatch(b -> !b.expiresAt().isAfter(now))) {
                replace(aor, list.stream().filter(b -> b.expiresAt().isAfter(now)).toList());
            }
        }
        return store.purgeExpired(now);
    }

    /**
     * True when a live binding has this address: as its contact, or as the address its REGISTER
     * came from (a phone behind NAT sends from there).
     */
    public boolean registeredAt(HostPort address) {
        Set<String> aors = address == null ? null : aorsAt.get(address);
        if (aors == null) {
            return false;
        }
        for (String aor : aors) {
            for (Binding b : lookup(aor)) {
                if (address.equals(HostPort.parse(b.contact())) || address.equals(HostPort.received(b.received()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The AOR's bindings are now {@code bindings} (none: forgotten), in the map and in the address index. */
    private synchronized void replace(String aor, List<Binding> bindings) {
        List<Binding> before = bindings.isEmpty() ? byAor.remove(aor) : byAor.put(aor, bindings);
        if (before != null) {
            for (Binding b : before) {
                forEachAddress(b, a -> aorsAt.computeIfPresent(a, (k, set) -> {
                    set.remove(aor);
                    return set.isEmpty() ? null : set;
                }));
            }
        }
        for (Binding b : bindings) {
            forEachAddress(b, a -> aorsAt.computeIfAbsent(a, k -> ConcurrentHashMap.newKeySet()).add(aor));
        }
    }

    private static void forEachAddress(Binding b, Consumer<HostPort> action) {
        HostPort contact = HostPort.parse(b.contact());
        HostPort received = HostPort.received(b.received());
        if (contact != null) {
            action.accept(contact);
        }
        if (received != null) {
            action.accept(received);
        }
    }
}
