package org.tollgate.api.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChannelListenerIT {

    private EmbeddedPostgres pg;
    private HikariDataSource pool;

    @BeforeAll
    void start() throws IOException {
        pg = EmbeddedPostgres.builder().start();
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        cfg.setMaximumPoolSize(2);
        pool = new HikariDataSource(cfg);
    }

    @AfterAll
    void stop() throws IOException {
        pool.close();
        pg.close();
    }

    @Test
    void payloadsArriveAfterTheFirstResyncAndAFailingHandlerDoesNotStopListening() throws Exception {
        AtomicInteger resyncs = new AtomicInteger();
        List<String> heard = new CopyOnWriteArrayList<>();
        try (ChannelListener listener = new ChannelListener(pool, "test_payloads", resyncs::incrementAndGet, payloads -> {
            heard.addAll(payloads);
            if (payloads.contains("boom")) {
                throw new IllegalStateException("the handler failed");
            }
        })) {
            await(() -> resyncs.get() == 1, "the first LISTEN resyncs: the caller's state was loaded before it");
            notify("test_payloads", "boom");
            notify("test_payloads", "account:1001");
            await(() -> heard.contains("account:1001"), "heard after the handler failed once");
            assertThat(heard).containsSubsequence("boom", "account:1001");
            assertThat(resyncs).hasValue(1);
        }
    }

    @Test
    void aLostConnectionIsReopenedAndWhatWasMissedMeanwhileIsResynced() throws Exception {
        AtomicInteger resyncs = new AtomicInteger();
        List<String> heard = new CopyOnWriteArrayList<>();
        try (ChannelListener listener = new ChannelListener(pool, "test_reconnect", resyncs::incrementAndGet, heard::addAll)) {
            await(() -> resyncs.get() == 1 && listening("test_reconnect") == 1, "listening");
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN test_reconnect'");
            }
            notify("test_reconnect", "sent while nobody listened");
            await(() -> resyncs.get() == 2, "the second LISTEN resyncs: a notification was lost meanwhile");
            notify("test_reconnect", "plan:retail");
            await(() -> heard.contains("plan:retail"), "heard on the new connection");
        }
    }

    @Test
    void closingStopsListening() throws Exception {
        ChannelListener listener = new ChannelListener(pool, "test_close", () -> { }, p -> { });
        await(() -> listening("test_close") == 1, "listening");
        listener.close();
        // at once: a pool closed right after (at shutdown) must not find the connection still polling
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("connections in use after close()").isZero();
        assertThat(listening("test_close")).as("UNLISTEN before the connection went back to the pool").isZero();
    }

    private void notify(String channel, String payload) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("NOTIFY " + channel + ", '" + payload + "'");
        }
    }

    /** Server processes whose last statement was this channel's LISTEN and that are still idle on it. */
    private int listening(String channel) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN " + channel
                     + "' AND state = 'idle'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(Check check, String what) throws Exception {
        long end = System.nanoTime() + 20_000_000_000L;
        while (!check.holds()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
