package org.tollgate.api.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

/**
 * Runs a JDBC unit of work with a deadline, so that a hung database (a frozen server, a stuck
 * disk, a partition that drops packets) cannot hold the caller for longer than the bound.
 *
 * <p>The work runs on a thread of its own — borrowing the connection included, because a pool
 * that validates a connection on a frozen server waits as long as the query would — and the
 * caller waits for it no longer than the deadline. When the deadline passes first, the
 * connection (if the work got one) is aborted with {@link Connection#abort}: pgjdbc closes its
 * socket, the blocked thread gets an SQLException at once (SQLSTATE 08006), and a pool
 * (HikariCP) discards the connection on that state; a connection that arrives after the deadline
 * is closed unused. The caller returns once aborted work has stopped (waiting at most the
 * deadline again for it), so the work cannot go on writing after the caller was told it failed. A
 * statement or query timeout would not do: PostgreSQL's cancel request goes to the same frozen
 * server and hangs too. The caller gets a {@link DeadlineExceededException}.
 *
 * <p>Work aborted during COMMIT may still have committed: the outcome is unknown, so callers
 * keep what they wrote somewhere they can replay it idempotently.
 *
 * <p>Costs a hand-over to a pooled thread per unit of work (tens of microseconds): for batches
 * and look-ups, not for per-row statements.
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
    private final ExecutorService workers;
    // abort on its own thread: a driver's abort may block (an SSL close_notify to a frozen peer)
    private final ExecutorService aborter;

    public JdbcDeadline(Duration timeout, String name) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a deadline must be positive, not " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> daemon(r, name + "-db-" + n.incrementAndGet()));
        this.aborter = Executors.newCachedThreadPool(r -> daemon(r, name + "-abort"));
    }

    public Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    /**
     * Borrows a connection, runs the work on it and closes it, all within the deadline. Work
     * that returned is never reported as failed, even when its deadline passed while it was
     * returning.
     *
     * @throws DeadlineExceededException when the deadline passed first
     * @throws SQLException              what the work or the data source threw
     */
    public <T> T run(DataSource dataSource, Work<T> work) throws SQLException {
        Unit<T> unit = new Unit<>(dataSource, work);
        try {
            workers.execute(unit);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IllegalStateException("the deadline's workers are shut down", e);
        }
        try {
            return unit.result.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (unit.expire()) {
                // the aborted work stops at once (its socket is closed): wait for that, so that it cannot go
                // on to lock, write or commit after the caller was told it failed
                unit.awaitEnd(timeoutNanos);
                throw new DeadlineExceededException("no answer from the database within " + timeout().toMillis()
                        + " ms; connection aborted", null);
            }
            return unit.outcome(); // it finished as the deadline passed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unit.expire();
            throw new DeadlineExceededException("interrupted while waiting for the database", e);
        } catch (ExecutionException e) {
            throw rethrow(e);
        }
    }

    /** One unit of work on a worker thread; its state decides who closes or aborts the connection. */
    private final class Unit<T> implements Runnable {
        private final DataSource dataSource;
        private final Work<T> work;
        private final AtomicInteger state = new AtomicInteger(ARMED);
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private final CountDownLatch ended = new CountDownLatch(1);
        private volatile Connection connection;

        Unit(DataSource dataSource, Work<T> work) {
            this.dataSource = dataSource;
            this.work = work;
        }

        @Override
        public void run() {
            Connection c = null;
            try {
                c = dataSource.getConnection();
                connection = c;
                if (state.get() != ARMED) {
                    return; // the caller gave up while the pool looked for a connection
                }
                T value = work.run(c);
                if (state.compareAndSet(ARMED, DONE)) {
                    result.complete(value); // the caller is answered whatever closing the connection does
                }
            } catch (SQLException | RuntimeException | Error e) {
                if (state.compareAndSet(ARMED, DONE)) {
                    result.completeExceptionally(e);
                }
            } finally {
                if (c != null) {
                    closeQuietly(c);
                }
                ended.countDown();
            }
        }

        /** Waits a while for work that had a connection to end after its abort; work still borrowing one is not waited for. */
        void awaitEnd(long nanos) {
            if (connection == null) {
                return; // no connection: it cannot write, and closes the one it gets unused
            }
            try {
                ended.await(nanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** True when the deadline won; then the connection, if any, is aborted. */
        boolean expire() {
            if (!state.compareAndSet(ARMED, EXPIRED)) {
                return false;
            }
            Connection c = connection;
            if (c != null) {
                try {
                    c.abort(aborter);
                } catch (SQLException | RuntimeException ignored) {
                    // already closed: nothing is blocked on it
                }
            }
            return true;
        }

        /** The result of work that completed just as the deadline passed. */
        T outcome() throws SQLException {
            try {
                return result.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeadlineExceededException("interrupted while waiting for the database", e);
            } catch (ExecutionException e) {
                throw rethrow(e);
            }
        }
    }

    private static SQLException rethrow(ExecutionException e) throws SQLException {
        Throwable cause = e.getCause();
        if (cause instanceof SQLException sql) {
            throw sql;
        }
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        throw new SQLException(cause);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // broken: the pool discards it
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        workers.shutdown();
        aborter.shutdown();
    }
}
