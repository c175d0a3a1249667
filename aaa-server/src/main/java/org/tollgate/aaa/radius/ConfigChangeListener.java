package org.tollgate.aaa.radius;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on PostgreSQL channel {@code tollgate_config} (raised by triggers on the provisioning
 * tables) so a running server sees CLI changes at once. On any connection trouble it reconnects
 * and, to be safe, refreshes everything.
 */
public class ConfigChangeListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigChangeListener.class);

    private final DataSource dataSource;
    private final List<Runnable> onChange;
    private final Thread thread;
    private volatile boolean running = true;

    public ConfigChangeListener(DataSource dataSource, List<Runnable> onChange) {
        this.dataSource = dataSource;
        this.onChange = onChange;
        this.thread = new Thread(this::loop, "config-listener");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN tollgate_config");
                }
                fire(); // anything may have changed while we were not listening
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] n = pg.getNotifications(1000);
                    if (n != null && n.length > 0) {
                        fire();
                    }
                }
            } catch (Exception e) {
                if (running) {
                    log.debug("config listener reconnecting: {}", e.getMessage());
                    sleep();
                }
            }
        }
    }

    private void fire() {
        for (Runnable r : onChange) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("refresh after configuration change failed: {}", e.getMessage());
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
