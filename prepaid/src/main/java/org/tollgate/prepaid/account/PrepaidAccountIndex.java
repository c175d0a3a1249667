package org.tollgate.prepaid.account;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.api.prepaid.PrepaidAccountNames;

/**
 * The names of the prepaid accounts, in memory: the RADIUS front end asks for every accounting
 * record and Access-Request whether its User-Name pays in advance, and a postpaid one must not
 * cost a query. Loaded whole at start and every {@code refresh} (a safety net), and told of each
 * account added or changed ({@link #changed}, from the {@code tollgate_rating} notifications),
 * so a new prepaid account counts at once. About 100 bytes an account.
 */
public final class PrepaidAccountIndex implements PrepaidAccountNames, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PrepaidAccountIndex.class);

    private final JdbcTemplate jdbc;
    private volatile Set<String> names;
    // accounts changed while a full reload ran: read again after it, so the reload cannot undo them
    private final Set<String> changedDuringReload = ConcurrentHashMap.newKeySet();
    private volatile boolean reloading;
    private final ScheduledExecutorService refresher;

    /** Loads the names now (failing if the database cannot be read) and again every {@code refresh}. */
    public PrepaidAccountIndex(DataSource dataSource, Duration refresh) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.names = load();
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "prepaid-account-index");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, refresh.toMillis());
        refresher.scheduleWithFixedDelay(this::reloadQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean isPrepaid(String account) {
        return account != null && names.contains(account);
    }

    public int size() {
        return names.size();
    }

    /** Reads every prepaid account's name again. */
    public void reload() {
        reloading = true;
        try {
            Set<String> fresh = load();
            names = fresh;
        } finally {
            reloading = false;
        }
        for (String name : List.copyOf(changedDuringReload)) {
            changedDuringReload.remove(name);
            changed(name);
        }
    }

    /** Reads every name again on the index's own thread, after any reload already under way. */
    public void reloadSoon() {
        refresher.execute(this::reloadQuietly);
    }

    /** An account was added or changed (its kind may have): read it again. */
    public void changed(String name) {
        if (name == null || name.isEmpty()) {
            return;
        }
        if (reloading) {
            changedDuringReload.add(name);
        }
        List<String> kind = jdbc.queryForList("SELECT kind FROM account WHERE name = ?", String.class, name);
        if (!kind.isEmpty() && "PREPAID".equals(kind.get(0))) {
            names.add(name);
        } else {
            names.remove(name);
        }
    }

    private Set<String> load() {
        Set<String> out = new HashSet<>();
        jdbc.query("SELECT name FROM account WHERE kind = 'PREPAID'", rs -> {
            out.add(rs.getString(1));
        });
        Set<String> concurrent = ConcurrentHashMap.newKeySet(out.size());
        concurrent.addAll(out);
        return concurrent;
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            log.debug("prepaid account names not reloaded (kept as they were): {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
