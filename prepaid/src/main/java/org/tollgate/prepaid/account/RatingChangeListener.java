package org.tollgate.prepaid.account;

import java.sql.Connection;
import java.sql.Statement;
import java.util.function.BiConsumer;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on PostgreSQL channel {@code tollgate_rating} (triggers send {@code account:<name>} for
 * every account added or changed and {@code plan:<name>} for every plan whose rates were
 * imported), so that a running server's rating cache prices with an account or a tariff the CLI
 * or another instance just made instead of after its refresh interval.
 */
public class RatingChangeListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RatingChangeListener.class);

    private final DataSource dataSource;
    private final BiConsumer<String, String> changed;
    private final Thread thread;
    private volatile boolean running = true;

    /** {@code changed} gets (account, null) or (null, plan). */
    public RatingChangeListener(DataSource dataSource, BiConsumer<String, String> changed) {
        this.dataSource = dataSource;
        this.changed = changed;
        this.thread = new Thread(this::loop, "rating-change-listener");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN tollgate_rating");
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] n = pg.getNotifications(1000);
                    if (n != null) {
                        for (PGNotification each : n) {
                            String p = each.getParameter();
                            if (p.startsWith("account:")) {
                                changed.accept(p.substring(8), null);
                            } else if (p.startsWith("plan:")) {
                                changed.accept(null, p.substring(5));
                            }
                        }
                    }
                }
            } catch (Exception e) {
                if (running) {
                    log.debug("rating change listener reconnecting: {}", e.getMessage());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
