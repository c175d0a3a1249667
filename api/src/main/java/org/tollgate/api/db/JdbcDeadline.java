package org.tollgate.api.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

/**
 * Runs a JDBC unit of work with a deadline, so that a hung database (a frozen server, a stuck
 * disk, a partition that drops packets) cannot hold the caller for longer than the bound.
 *
 * <p>When the deadline passes before the work returns, the connection is aborted with
 * {@link Connection#abort}: pgjdbc closes its socket, the thread blocked in a read or write gets
 * an SQLException at once (SQLSTATE 08006), and a pool (HikariCP) discards the connection on
 * that state. A statement or query timeout would not do: PostgreSQL's cancel request goes to the
 * same frozen server and hangs too. The caller gets a {@link DeadlineExceededException}.
 *
 * <p>Work aborted during COMMIT may still have committed: the outcome is unknown, so callers
 * keep what they wrote somewhere they can replay it idempotently.
 *
 * <p>Arming costs one timer entry per unit of work (a heap insertion and its removal on cancel).
 */
public final class JdbcDeadline implements AutoCloseable {

    /** A unit of work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final int ARMED = 0;
    private static final int DONE = 1;
    private static final int EXPIRED = 2;

    private final long timeoutNanos;
    private final ScheduledThreadPoolExecutor timer;
    // abort on its own thread: a driver's abort may block (an SSL close_notify to a frozen peer)
    private final ExecutorService aborter;

    public JdbcDeadline(Duration timeout, String name) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a deadline must be positive, not " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
        this.timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, name + "-deadline"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.aborter = Executors.newCachedThreadPool(r -> daemon(r, name + "-abort"));
    }

    public Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    /**
     * Borrows a connection, runs the work on it and closes it, all within the deadline. A
     * connection that takes longer than the deadline to get is not used. Work that returned is
     * never reported as failed, even when its deadline passed while it was returning.
     *
     * @throws DeadlineExceededException when the deadline passed first
     * @throws SQLException              what the work or the data source threw
     */
    public <T> T run(DataSource dataSource, Work<T> work) throws SQLException {
        long start = System.nanoTime();
        Connection connection = dataSource.getConnection();
        long left = timeoutNanos - (System.nanoTime() - start);
        if (left <= 0) {
            closeQuietly(connection);
            throw new DeadlineExceededException("no connection within " + timeout().toMillis() + " ms", null);
        }
        Guard guard = new Guard(connection);
        try {
            guard.alarm = timer.schedule(guard::expire, left, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            closeQuietly(connection); // closed deadline
            throw e;
        }
        T result;
        try {
            result = work.run(connection);
        } catch (SQLException | RuntimeException | Error e) {
            boolean expired = !guard.disarm();
            closeQuietly(connection);
            if (expired && !(e instanceof Error)) {
                throw new DeadlineExceededException("no answer from the database within " + timeout().toMillis()
                        + " ms; connection aborted", e);
            }
            throw e;
        }
        if (guard.disarm()) {
            connection.close();
        } else {
            closeQuietly(connection); // it returned as the alarm went off: done, but the connection is gone
        }
        return result;
    }

    private final class Guard {
        private final Connection connection;
        private final AtomicInteger state = new AtomicInteger(ARMED);
        private volatile ScheduledFuture<?> alarm;

        Guard(Connection connection) {
            this.connection = connection;
        }

        /** False when the alarm went off first. From here on it never touches the connection. */
        boolean disarm() {
            if (state.compareAndSet(ARMED, DONE)) {
                alarm.cancel(false);
                return true;
            }
            return false;
        }

        void expire() {
            if (state.compareAndSet(ARMED, EXPIRED)) {
                try {
                    connection.abort(aborter);
                } catch (SQLException | RuntimeException ignored) {
                    // already closed: nothing is blocked on it
                }
            }
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // aborted: the pool discards it
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        aborter.shutdown();
    }
}
