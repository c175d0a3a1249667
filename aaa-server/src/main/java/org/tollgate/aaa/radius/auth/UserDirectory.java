package org.tollgate.aaa.radius.auth;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.dao.DataAccessException;

/**
 * Users as the server sees them: read through from the repository and kept in memory so
 * authentication does not cost a query. {@link #invalidate()} is called when provisioning
 * changes (PostgreSQL NOTIFY); entries also expire after {@code ttlMillis} as a safety net.
 * When the database cannot answer within the look-up bound, an expired entry keeps answering;
 * with none to fall back on, {@link Unavailable} is thrown. Look-ups run on threads of their
 * own, so that the bound holds for the whole of it — waiting for a pooled connection (whose
 * validation hangs on a frozen server) as well as the query — and a caller never waits longer.
 */
public class UserDirectory implements AutoCloseable {

    private record Entry(Optional<RadiusUser> user, long loadedAt) { }

    /** The database did not answer a look-up (down, or past its deadline) and nothing cached can stand in. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(Throwable cause) {
            super("user directory unavailable: " + cause, cause);
        }
    }

    private final JdbcUserRepository repository;
    private final long ttlMillis;
    private final int maxEntries;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
    private volatile List<DefaultEntry> defaults;
    // bumped by invalidate(): a load that raced with a change is not cached
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    private final long boundMillis;
    private final ThreadPoolExecutor loaders;
    // the last look-up failed: answer at once until the prober sees the database again
    private volatile boolean down;
    private final ScheduledExecutorService prober;
    private static final long PROBE_MILLIS = 250;

    /**
     * Look-ups bounded by {@code boundMillis} on up to {@code loaderThreads} threads; more look-ups
     * waiting than that many again are refused at once (Unavailable) rather than queued.
     */
    public UserDirectory(JdbcUserRepository repository, long ttlMillis, int maxEntries, long boundMillis,
                         int loaderThreads) {
        this.repository = repository;
        this.ttlMillis = ttlMillis;
        this.maxEntries = maxEntries;
        this.boundMillis = boundMillis;
        AtomicInteger n = new AtomicInteger();
        this.loaders = new ThreadPoolExecutor(loaderThreads, loaderThreads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(loaderThreads), r -> {
                    Thread t = new Thread(r, "radius-user-lookup-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        loaders.allowCoreThreadTimeOut(true);
        this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "radius-user-probe");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The work within the bound, on a loader thread. Once a look-up has failed, requests are
     * answered at once (from the stale cache, or unavailable) instead of each waiting out the
     * bound, until a probe in the background finds the database answering again.
     */
    private <T> T bounded(Callable<T> work) {
        if (down) {
            throw new Unavailable(new IllegalStateException("the database did not answer the last look-up"));
        }
        try {
            return onLoader(work);
        } catch (Unavailable e) {
            if (!down) {
                down = true;
                prober.schedule(this::probe, PROBE_MILLIS, TimeUnit.MILLISECONDS);
            }
            throw e;
        }
    }

    private void probe() {
        try {
            onLoader(() -> {
                repository.ping();
                return null;
            });
            down = false;
        } catch (RuntimeException e) {
            if (!prober.isShutdown()) {
                prober.schedule(this::probe, PROBE_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    private <T> T onLoader(Callable<T> work) {
        Future<T> f;
        try {
            f = loaders.submit(work);
        } catch (RejectedExecutionException e) {
            throw new Unavailable(e); // every loader is stuck on the database already
        }
        try {
            return f.get(boundMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new Unavailable(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DataAccessException d) {
                throw new Unavailable(d);
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable(e);
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
        loaders.shutdownNow();
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
                loaded = bounded(() -> repository.find(username, realm));
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
            d = bounded(repository::defaults);
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
