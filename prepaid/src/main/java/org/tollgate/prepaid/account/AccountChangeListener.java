package org.tollgate.prepaid.account;

import java.sql.Connection;
import java.sql.Statement;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on PostgreSQL channel {@code tollgate_account} (a trigger on {@code account} sends the
 * name of every account added or changed), so that a running server's rating cache knows an
 * account made by the CLI at once instead of after its refresh interval.
 */
public class AccountChangeListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AccountChangeListener.class);

    private final DataSource dataSource;
    private final Consumer<String> changed;
    private final Thread thread;
    private volatile boolean running = true;

    public AccountChangeListener(DataSource dataSource, Consumer<String> changed) {
        this.dataSource = dataSource;
        this.changed = changed;
        this.thread = new Thread(this::loop, "account-listener");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN tollgate_account");
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] n = pg.getNotifications(1000);
                    if (n != null) {
                        for (PGNotification each : n) {
                            changed.accept(each.getParameter());
                        }
                    }
                }
            } catch (Exception e) {
                if (running) {
                    log.debug("account listener reconnecting: {}", e.getMessage());
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
