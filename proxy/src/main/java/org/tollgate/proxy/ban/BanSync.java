package org.tollgate.proxy.ban;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link BanTable} and {@code sip_ban} in step on a thread of its own, about once a
 * second: writes the new bans behind, then reads the table back for lifts ({@code tollgate bans
 * lift}) and for the bans of other proxy instances. A slow or dead database delays this, never
 * a SIP message; what could not be written is tried again.
 */
public final class BanSync implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BanSync.class);

    private final BanTable table;
    private final JdbcBanStore store;
    private final String proxy;
    private final ScheduledExecutorService thread;

    public BanSync(BanTable table, JdbcBanStore store, String proxy, long intervalMillis) {
        this.table = table;
        this.store = store;
        this.proxy = proxy;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sip-ban-sync");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::syncQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Reads the bans in force at start-up (they survive a restart); returns how many. */
    public static int load(BanTable table, JdbcBanStore store) {
        int n = 0;
        for (JdbcBanStore.Row r : store.unexpired()) {
            if (r.liftedAt() == null) {
                table.fromStore(r.ban(), false);
                n++;
            }
        }
        return n;
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (RuntimeException e) {
            log.debug("ban table sync failed, tried again: {}", e.getMessage());
        }
    }

    /** One round: write, then read back. */
    public void sync() {
        table.purge();
        List<Ban> fresh = table.takeUnwritten();
        for (int i = 0; i < fresh.size(); i++) {
            Ban b = fresh.get(i);
            try {
                table.written(b, b.withId(store.insert(b, proxy)));
            } catch (RuntimeException e) {
                table.unwrittenAgain(fresh.subList(i, fresh.size()));
                throw e;
            }
        }
        for (JdbcBanStore.Row r : store.unexpired()) {
            table.fromStore(r.ban(), r.liftedAt() != null);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
