package org.tollgate.aaa.radius.auth;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.springframework.dao.DataAccessException;

/**
 * Users as the server sees them: read through from the repository and kept in memory so
 * authentication does not cost a query. {@link #invalidate()} is called when provisioning
 * changes (PostgreSQL NOTIFY); entries also expire after {@code ttlMillis} as a safety net.
 * The repository's look-ups are bounded (its JdbcDeadline); when one fails, an expired entry
 * keeps answering, and with none to fall back on {@link Unavailable} is thrown. After a failure
 * requests are answered at once, without waiting on the database, until a probe in the
 * background sees it answer again.
 */
public class UserDirectory implements AutoCloseable {

    private record Entry(Optional<RadiusUser> user, long loadedAt) { }

    /** The database did not answer a look-up (down, or past its deadline) and nothing cached can stand in. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(Throwable cause) {
            super("user directory unavailable: " + cause, cause);
        }
    }

    private static final long PROBE_MILLIS = 250;

    private final JdbcUserRepository repository;
    private final long ttlMillis;
    private final int maxEntries;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
    private volatile List<DefaultEntry> defaults;
    // bumped by invalidate(): a load that raced with a change is not cached
    private final AtomicLong generation = new AtomicLong();
    // the last look-up failed: answer at once until the prober sees the database again
    private final AtomicBoolean down = new AtomicBoolean();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "radius-user-probe");
        t.setDaemon(true);
        return t;
    });

    /** {@code repository}: bounded look-ups ({@link JdbcUserRepository#bounded}). */
    public UserDirectory(JdbcUserRepository repository, long ttlMillis, int maxEntries) {
        this.repository = repository;
        this.ttlMillis = ttlMillis;
        this.maxEntries = maxEntries;
    }

    private <T> T load(Supplier<T> lookup) {
        if (down.get()) {
            throw new Unavailable(new IllegalStateException("the database did not answer the last look-up"));
        }
        try {
            return lookup.get();
        } catch (DataAccessException e) {
            // one prober, however many look-ups failed at once
            if (down.compareAndSet(false, true)) {
                prober.schedule(this::probe, PROBE_MILLIS, TimeUnit.MILLISECONDS);
            }
            throw new Unavailable(e);
        }
    }

    private void probe() {
        try {
            repository.ping();
            down.set(false);
        } catch (RuntimeException e) {
            if (!prober.isShutdown()) {
                prober.schedule(this::probe, PROBE_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }

    public Optional<RadiusUser> find(String username, String realm) {
        if (username.indexOf('\0') >= 0 || realm.indexOf('\0') >= 0) {
            return Optional.empty(); // no user has one, and PostgreSQL would refuse the query
        }
        String key = realm + "\u0000" + username;
        long now = System.currentTimeMillis();
        Entry e = cache.get(key);
        if (e == null || now - e.loadedAt > ttlMillis) {
            if (cache.size() >= maxEntries) {
                cache.clear();
            }
            long before = generation.get();
            Optional<RadiusUser> loaded;
            try {
                loaded = load(() -> repository.find(username, realm));
            } catch (Unavailable ex) {
                if (e != null) {
                    return e.user; // stale beats silent while PostgreSQL is away
                }
                throw ex;
            }
            e = new Entry(loaded, now);
            if (generation.get() == before) {
                cache.put(key, e);
            }
        }
        return e.user;
    }

    public List<DefaultEntry> defaults() {
        List<DefaultEntry> d = defaults;
        if (d == null) {
            long before = generation.get();
            d = load(repository::defaults);
            if (generation.get() == before) {
                defaults = d;
            }
        }
        return d;
    }

    public void invalidate() {
        generation.incrementAndGet();
        cache.clear();
        defaults = null;
    }
}
