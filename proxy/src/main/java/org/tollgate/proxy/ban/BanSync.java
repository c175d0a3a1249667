package org.tollgate.proxy.ban;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Keeps the {@link BanTable} and {@code sip_ban} in step on a thread of its own, about once a
 * second: writes the new bans behind, then reads the table back for lifts ({@code tollgate bans
 * lift}) and for the bans of other proxy instances. A slow or dead database delays this, never
 * a SIP message; what could not be written for want of a database is tried again, what
 * PostgreSQL refuses as data is dropped (still in force here, only not shared) and counted.
 */
public final class BanSync implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BanSync.class);

    private final BanTable table;
    private final JdbcBanStore store;
    private final String proxy;
    private final Counter refused;
    private final ScheduledExecutorService thread;

    /** Syncs every {@code intervalMillis}; with 0, only when {@link #sync()} is called. */
    public BanSync(BanTable table, JdbcBanStore store, String proxy, long intervalMillis, MeterRegistry meters) {
        this.table = table;
        this.store = store;
        this.proxy = proxy;
        this.refused = Counter.builder("tollgate_proxy_bans_unstored")
                .description("bans PostgreSQL refused to store (kept in force by the proxy that made them, not shared)")
                .register(meters);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sip-ban-sync");
            t.setDaemon(true);
            return t;
        });
        if (intervalMillis > 0) {
            thread.scheduleWithFixedDelay(this::syncQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Reads the bans in force at start-up (they survive a restart); returns how many. */
    public static int load(BanTable table, JdbcBanStore store) {
        int n = 0;
        try {
            for (JdbcBanStore.Row r : store.unexpired()) {
                if (r.liftedAt() == null) {
                    table.fromStore(r.ban(), false);
                    n++;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the bans in force (sip_ban): " + e.getMessage(), e);
        }
        return n;
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (SQLException | RuntimeException e) {
            log.debug("ban table sync failed, tried again: {}", e.getMessage());
        }
    }

    /** One round: write what is new, then read back, whatever the writing met. */
    public void sync() throws SQLException {
        table.purge();
        List<Ban> fresh = table.takeUnwritten();
        SQLException unwritten = null;
        for (int i = 0; i < fresh.size() && unwritten == null; i++) {
            Ban b = fresh.get(i);
            try {
                table.written(b, b.withId(store.insert(b, proxy)));
            } catch (SQLException e) {
                if (refusedAsData(e)) {
                    // it would be refused again every round, and hold up everything behind it
                    refused.increment();
                    log.debug("ban of {} not stored: {}", b.kind().column(), e.getMessage());
                } else {
                    table.unwrittenAgain(fresh.subList(i, fresh.size()));
                    unwritten = e;
                }
            }
        }
        for (JdbcBanStore.Row r : store.unexpired()) {
            table.fromStore(r.ban(), r.liftedAt() != null);
        }
        if (unwritten != null) {
            throw unwritten;
        }
    }

    /** SQLSTATE class 22 (data exception, e.g. a NUL byte) or 23 (integrity constraint violation). */
    static boolean refusedAsData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
