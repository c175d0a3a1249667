package org.tollgate.proxy.location;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The location service: bindings are written to PostgreSQL before the REGISTER is answered
 * and kept in memory for lookups (loaded at start, so they survive a restart).
 */
public final class LocationService {

    private static final Comparator<Binding> BY_Q = Comparator.comparing((Binding b) -> b.q() == null ? 1.0f : b.q()).reversed();

    private final JdbcLocationStore store;
    private final Clock clock;
    private final Map<String, List<Binding>> byAor = new ConcurrentHashMap<>();

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
        grouped.forEach((k, v) -> byAor.put(k, List.copyOf(v)));
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

    /** Applies a REGISTER durably, then in memory; returns the bindings now current. */
    public List<Binding> register(String aor, boolean removeAll, Collection<String> remove, Collection<Binding> upsert) {
        store.apply(aor, removeAll, remove, upsert);
        List<Binding> now = store.of(aor, clock.instant());
        if (now.isEmpty()) {
            byAor.remove(aor);
        } else {
            byAor.put(aor, List.copyOf(now));
        }
        return now;
    }

    public int purgeExpired() {
        Instant now = clock.instant();
        byAor.replaceAll((aor, list) -> list.stream().filter(b -> b.expiresAt().isAfter(now)).toList());
        byAor.values().removeIf(List::isEmpty);
        return store.purgeExpired(now);
    }
}
