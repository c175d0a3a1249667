package org.tollgate.aaa.radius.auth;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.dao.DataAccessException;

/**
 * Users as the server sees them: read through from the repository and kept in memory so
 * authentication does not cost a query. {@link #invalidate()} is called when provisioning
 * changes (PostgreSQL NOTIFY); entries also expire after {@code ttlMillis} as a safety net.
 * When the database cannot answer, an expired entry keeps answering; with none to fall back
 * on, {@link Unavailable} is thrown.
 */
public class UserDirectory {

    private record Entry(Optional<RadiusUser> user, long loadedAt) { }

    /** The database did not answer a look-up (down, or past its deadline) and nothing cached can stand in. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(Throwable cause) {
            super("user directory unavailable: " + cause.getMessage(), cause);
        }
    }

    private final JdbcUserRepository repository;
    private final long ttlMillis;
    private final int maxEntries;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
    private volatile List<DefaultEntry> defaults;
    // bumped by invalidate(): a load that raced with a change is not cached
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    public UserDirectory(JdbcUserRepository repository, long ttlMillis, int maxEntries) {
        this.repository = repository;
        this.ttlMillis = ttlMillis;
        this.maxEntries = maxEntries;
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
                loaded = repository.find(username, realm);
            } catch (DataAccessException ex) {
                if (e != null) {
                    return e.user; // stale beats silent while PostgreSQL is away
                }
                throw new Unavailable(ex);
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
            try {
                d = repository.defaults();
            } catch (DataAccessException ex) {
                throw new Unavailable(ex);
            }
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
