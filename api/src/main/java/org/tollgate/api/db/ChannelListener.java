package org.tollgate.api.db;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on one PostgreSQL NOTIFY channel on a connection of its own, so that a running server
 * sees a change another process made (the CLI, another instance) at once instead of after its
 * refresh interval. It reconnects by itself after any trouble.
 *
 * <p>A notification sent while nobody listens is lost, so every time LISTEN takes effect — the
 * first time included, since the caller loaded its state before — {@code listening} runs: the
 * caller reads again what it keeps. Then each poll's notifications go to {@code notified} as the
 * list of their payloads, together (a burst of changes can be handled once).
 */
public final class ChannelListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChannelListener.class);
    private static final int POLL_MILLIS = 250; // how long close() may wait

    private final DataSource dataSource;
    private final String channel;
    private final Runnable listening;
    private final Consumer<List<String>> notified;
    private final Thread thread;
    private volatile boolean running = true;

    public ChannelListener(DataSource dataSource, String channel, Runnable listening, Consumer<List<String>> notified) {
        if (!channel.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a channel name: " + channel);
        }
        this.dataSource = dataSource;
        this.channel = channel;
        this.listening = listening;
        this.notified = notified;
        this.thread = new Thread(this::loop, channel + "-listener");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + channel);
                }
                hand(listening);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] n = pg.getNotifications(POLL_MILLIS);
                    if (n != null && n.length > 0) {
                        List<String> payloads = new ArrayList<>(n.length);
                        for (PGNotification each : n) {
                            payloads.add(each.getParameter());
                        }
                        hand(() -> notified.accept(payloads));
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute("UNLISTEN " + channel); // the connection goes back to a pool: nobody would read them
                }
            } catch (Exception e) {
                if (running) {
                    log.debug("{} listener reconnecting: {}", channel, e.getMessage());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    /** What the caller does with a change is its business: a failure there must not stop listening. */
    private void hand(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("refresh after a change on {} failed: {}", channel, e.getMessage());
        }
    }

    /**
     * Returns once the connection is back in the pool: the pool closes next at shutdown, and would
     * otherwise close it under a poll (a broken-connection warning with a stack trace).
     */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(4L * POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
