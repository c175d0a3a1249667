package org.tollgate.api.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.util.PSQLException;

/** A real PostgreSQL behind a real HikariCP pool of one connection, so a connection the pool kept is visible. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcDeadlineIT {

    private EmbeddedPostgres pg;
    private HikariDataSource pool;
    private final JdbcDeadline deadline = new JdbcDeadline(Duration.ofMillis(300), "test");

    @BeforeAll
    void start() throws IOException {
        pg = EmbeddedPostgres.builder().start();
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        cfg.setMaximumPoolSize(1);
        cfg.setConnectionTimeout(5_000);
        pool = new HikariDataSource(cfg);
    }

    @AfterAll
    void stop() throws IOException {
        deadline.close();
        pool.close();
        pg.close();
    }

    @Test
    void workThatReturnsInTimeGivesItsResultAndTheConnectionBackToThePool() throws SQLException {
        int first = deadline.run(pool, JdbcDeadlineIT::backendPid);
        int second = deadline.run(pool, JdbcDeadlineIT::backendPid);
        assertThat(second).as("the same server process: the pooled connection was kept").isEqualTo(first);
    }

    @Test
    void workThatHangsIsAbortedAtTheDeadlineAndItsConnectionDiscarded() throws SQLException {
        int before = deadline.run(pool, JdbcDeadlineIT::backendPid);
        long start = System.nanoTime();
        assertThatThrownBy(() -> deadline.run(pool, c -> execute(c, "SELECT pg_sleep(60)")))
                .isInstanceOf(DeadlineExceededException.class);
        // a statement that would sleep a minute came back at the deadline, not after it
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(30);
        int after = deadline.run(pool, JdbcDeadlineIT::backendPid);
        assertThat(after).as("a new connection: the aborted one was discarded").isNotEqualTo(before);
    }

    @Test
    void workBlockedOnALockIsAbortedAndTakesItsTransactionWithIt() throws Exception {
        try (Connection setup = pg.getPostgresDatabase().getConnection()) {
            execute(setup, "CREATE TABLE IF NOT EXISTS deadline_lock (n int)");
        }
        try (Connection holder = pg.getPostgresDatabase().getConnection()) {
            holder.setAutoCommit(false);
            execute(holder, "LOCK TABLE deadline_lock IN ACCESS EXCLUSIVE MODE");
            assertThatThrownBy(() -> deadline.run(pool, c -> {
                c.setAutoCommit(false);
                execute(c, "INSERT INTO deadline_lock VALUES (1)");
                c.commit();
                return null;
            })).isInstanceOf(DeadlineExceededException.class);
            holder.rollback();
        }
        // the aborted insert never committed
        int rows = deadline.run(pool, c -> count(c, "SELECT count(*) FROM deadline_lock"));
        assertThat(rows).isZero();
    }

    @Test
    void waitingForAConnectionIsBoundedToo() throws Exception {
        // the pool's only connection is taken: the pool would wait 5 s for it
        try (Connection taken = pool.getConnection()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> deadline.run(pool, JdbcDeadlineIT::backendPid))
                    .isInstanceOf(DeadlineExceededException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000);
        }
        // the connection that came too late went back unused, and the pool works
        assertThat(deadline.run(pool, JdbcDeadlineIT::backendPid)).isPositive();
    }

    @Test
    void aFailureOfTheWorkItselfIsReportedAsIs() {
        assertThatThrownBy(() -> deadline.run(pool, c -> execute(c, "SELECT * FROM no_such_table")))
                .isInstanceOf(PSQLException.class)
                .isNotInstanceOf(DeadlineExceededException.class);
    }

    private static int backendPid(Connection c) throws SQLException {
        return count(c, "SELECT pg_backend_pid()");
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
        return null;
    }
}
