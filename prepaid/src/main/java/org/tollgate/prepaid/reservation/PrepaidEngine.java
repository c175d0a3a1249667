package org.tollgate.prepaid.reservation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.api.db.DeadlineExceededException;
import org.tollgate.api.db.JdbcDeadline;
import org.tollgate.api.prepaid.CallEnd;
import org.tollgate.api.prepaid.CallKey;
import org.tollgate.api.prepaid.CallReport;
import org.tollgate.api.prepaid.CallRequest;
import org.tollgate.api.prepaid.Grant;
import org.tollgate.api.prepaid.PrepaidService;
import org.tollgate.api.prepaid.Settlement;
import org.tollgate.api.rating.RatingService;
import org.tollgate.api.rating.Usage;
import org.tollgate.prepaid.PrepaidSettings;

/**
 * {@link PrepaidService} on PostgreSQL, built for many calls on few accounts as well as for many
 * accounts: operations queue up, each account's always for the same writer; a writer takes a
 * batch, locks its accounts' rows in id order,
 * loads their money and the calls' reservations, applies the operations in order in memory
 * ({@link CallBook}, with rating in memory), writes the results with a few set-based statements
 * and commits once — one fsync for the whole batch instead of one per operation, which is what
 * bounds a hot account. The row locks, not this JVM, keep the money right, so several writers
 * and several Tollgate instances share one database safely.
 *
 * <p>Every answer comes within {@code commit-timeout}: a batch's transaction is bound by a
 * {@link JdbcDeadline}, and an answer not ready by then is UNAVAILABLE (the database is down or
 * hung). An operation whose answer went out as UNAVAILABLE is not applied afterwards unless its
 * batch had already begun; then it committed or not as a whole, and a retransmission gets the
 * answer it stored.
 */
public final class PrepaidEngine implements PrepaidService, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PrepaidEngine.class);

    private record Pending(Operation op, CompletableFuture<Object> answer) { }

    private final DataSource dataSource;
    private final RatingService rating;
    private final PrepaidSettings settings;
    private final Clock clock;
    private final JdbcDeadline deadline;
    private final ReservationStore store = new ReservationStore();
    private final PrepaidMetrics metrics;
    // one queue per writer, an account always to the same one: the writers of one instance never
    // wait for each other's row locks (another instance's writers still may, and that is correct)
    private final List<BlockingQueue<Pending>> queues = new ArrayList<>();
    private final List<Thread> writers = new ArrayList<>();
    private final ScheduledExecutorService sweeper;
    private volatile boolean running = true;

    public PrepaidEngine(DataSource dataSource, RatingService rating, PrepaidSettings settings, MeterRegistry registry,
                         Clock clock) {
        this.dataSource = dataSource;
        this.rating = rating;
        this.settings = settings;
        this.clock = clock;
        this.deadline = new JdbcDeadline(settings.commitTimeout(), "prepaid");
        this.metrics = new PrepaidMetrics(registry);
        for (int i = 0; i < settings.writerThreads(); i++) {
            queues.add(new ArrayBlockingQueue<>(Math.max(settings.maxBatch(), settings.queueCapacity() / settings.writerThreads())));
        }
        Gauge.builder("tollgate.prepaid.queue", queues, q -> q.stream().mapToInt(BlockingQueue::size).sum())
                .register(registry);
        for (int i = 0; i < settings.writerThreads(); i++) {
            BlockingQueue<Pending> queue = queues.get(i);
            Thread t = new Thread(() -> writeLoop(queue), "prepaid-writer-" + i);
            t.setDaemon(true);
            t.start();
            writers.add(t);
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "prepaid-sweeper");
            t.setDaemon(true);
            return t;
        });
        long every = settings.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Grant> authorize(CallRequest request) {
        return submit(new Operation.Authorize(request));
    }

    @Override
    public CompletableFuture<Grant> reauthorize(CallReport report) {
        return submit(new Operation.Report(report));
    }

    @Override
    public CompletableFuture<Settlement> commit(CallEnd end) {
        return submit(new Operation.End(end));
    }

    @Override
    public CompletableFuture<Boolean> expire(CallKey call, Instant at) {
        return submit(new Operation.Expire(call, at, true));
    }

    /**
     * Settles the CDRs' calls in batches of {@code max-batch}, each one transaction under the
     * accounts' locks like any other step (not bound by the commit timeout: the nightly job waits).
     */
    @Override
    public List<Settlement> settle(List<CallEnd> ends) {
        List<Settlement> out = new ArrayList<>(ends.size());
        for (int i = 0; i < ends.size(); i += settings.maxBatch()) {
            List<Operation> ops = new ArrayList<>();
            for (CallEnd e : ends.subList(i, Math.min(ends.size(), i + settings.maxBatch()))) {
                ops.add(new Operation.End(e));
            }
            List<Object> answers;
            try {
                answers = apply(ops, false);
            } catch (SQLException e) {
                throw new IllegalStateException("prepaid settlement failed: " + e.getMessage(), e);
            }
            for (int k = 0; k < ops.size(); k++) {
                metrics.answered(ops.get(k), answers.get(k));
                out.add((Settlement) answers.get(k));
            }
        }
        return out;
    }

    /**
     * Releases the money of open reservations whose grant and grace ended before {@code now}
     * (the sweeper runs it every {@code sweep-interval}); returns how many it released.
     */
    public int releaseStale(Instant now) throws SQLException {
        int released = 0;
        while (true) {
            List<CallKey> keys;
            try (Connection c = dataSource.getConnection()) {
                keys = store.stale(c, now, settings.maxBatch());
            }
            if (keys.isEmpty()) {
                return released;
            }
            List<Operation> ops = keys.stream().<Operation>map(k -> new Operation.Expire(k, now, false)).toList();
            for (Object done : apply(ops, false)) {
                if (Boolean.TRUE.equals(done)) {
                    released++;
                }
            }
            if (keys.size() < settings.maxBatch()) {
                return released;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> submit(Operation op) {
        CompletableFuture<Object> answer = new CompletableFuture<>();
        answer.whenComplete((a, e) -> {
            if (a != null) {
                metrics.answered(op, a);
            }
        });
        String invalid = invalid(op);
        if (invalid != null) {
            answer.complete(refusal(op, invalid));
            return (CompletableFuture<T>) answer;
        }
        BlockingQueue<Pending> queue = queues.get(Math.floorMod(op.call().account().hashCode(), queues.size()));
        if (!running || !queue.offer(new Pending(op, answer))) {
            answer.complete(unavailable(op, "the prepaid engine is overloaded; try again"));
            return (CompletableFuture<T>) answer;
        }
        answer.completeOnTimeout(unavailable(op, "no answer from the prepaid store within "
                + settings.commitTimeout().toMillis() + " ms"), settings.commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return (CompletableFuture<T>) answer;
    }

    private void writeLoop(BlockingQueue<Pending> queue) {
        List<Pending> batch = new ArrayList<>(settings.maxBatch());
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, settings.maxBatch() - 1);
                // answered UNAVAILABLE while queued: not applied (the network was told it was not)
                batch.removeIf(p -> p.answer.isDone());
                if (!batch.isEmpty()) {
                    write(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("prepaid writer failed; {} operations answered UNAVAILABLE", batch.size(), e);
                batch.forEach(p -> p.answer.complete(unavailable(p.op, "prepaid engine error")));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        List<Operation> ops = batch.stream().map(Pending::op).toList();
        try {
            List<Object> answers = apply(ops, true);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).answer.complete(answers.get(i));
            }
        } catch (SQLException | RuntimeException e) {
            if (batch.size() == 1 || outage(e)) {
                String why = e instanceof DeadlineExceededException ? "no answer from the prepaid store within "
                        + settings.commitTimeout().toMillis() + " ms" : "prepaid store unavailable";
                log.debug("prepaid batch of {} failed: {}", batch.size(), e.getMessage());
                batch.forEach(p -> p.answer.complete(unavailable(p.op, why)));
                return;
            }
            // something in the batch that PostgreSQL refuses as data: the others must not suffer for it
            log.warn("prepaid batch of {} refused ({}); applying its operations one by one", batch.size(), e.getMessage());
            for (Pending p : batch) {
                write(List.of(p));
            }
        }
    }

    private static boolean outage(Exception e) {
        if (e instanceof DeadlineExceededException) {
            return true;
        }
        if (e instanceof SQLException s) {
            String state = s.getSQLState();
            return state == null || state.startsWith("08") || state.startsWith("57") || state.startsWith("53");
        }
        return false;
    }

    /** One transaction: lock, load, apply in order, write, commit. */
    private List<Object> apply(List<Operation> ops, boolean bounded) throws SQLException {
        warm(ops);
        JdbcDeadline.Work<List<Object>> work = c -> {
            long start = System.nanoTime();
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                ReservationStore.Loaded l = store.load(c, ops);
                long loaded = System.nanoTime();
                CallBook book = new CallBook(rating, settings, l.accounts(), l.postpaid(), l.reservations(), l.ledgerCalls());
                List<Object> answers = new ArrayList<>(ops.size());
                for (Operation op : ops) {
                    answers.add(book.apply(op));
                }
                long applied = System.nanoTime();
                store.write(c, book);
                long written = System.nanoTime();
                c.commit();
                long committed = System.nanoTime();
                metrics.phases(loaded - start, applied - loaded, written - applied, committed - written);
                metrics.committed(book, committed - start, ops.size());
                return answers;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone: nothing was committed
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(auto);
                } catch (SQLException ignored) {
                    // aborted connection: the pool discards it
                }
            }
        };
        if (bounded) {
            return deadline.run(dataSource, work);
        }
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        }
    }

    /**
     * Loads the batch's accounts and plans into rating's memory before the rows are locked, so
     * that a cold cache reads the database outside the locks and the deadline.
     */
    private void warm(List<Operation> ops) {
        Map<String, String> seen = new HashMap<>();
        for (Operation op : ops) {
            String destination = op instanceof Operation.Authorize a ? a.request().destination()
                    : op instanceof Operation.End e && e.end().destination() != null ? e.end().destination() : "0";
            if (seen.putIfAbsent(op.call().account(), destination) == null) {
                try {
                    rating.price(new Usage(op.call().account(), destination, Instant.EPOCH, 0));
                } catch (RuntimeException e) {
                    log.debug("rating cache not warmed for {}: {}", op.call().account(), e.getMessage());
                }
            }
        }
    }

    /** Text PostgreSQL cannot store is refused up front, with the reason, rather than failing a batch. */
    private static String invalid(Operation op) {
        if (op.call().account().indexOf('\0') >= 0) {
            return "the account name contains a NUL byte";
        }
        if (op.call().callId().indexOf('\0') >= 0) {
            return "the call id contains a NUL byte";
        }
        String destination = op instanceof Operation.Authorize a ? a.request().destination()
                : op instanceof Operation.End e ? e.end().destination() : null;
        if (destination != null && destination.indexOf('\0') >= 0) {
            return "the destination contains a NUL byte";
        }
        return null;
    }

    private static Object refusal(Operation op, String reason) {
        Grant.Result result = op.call().account().indexOf('\0') >= 0 ? Grant.Result.UNKNOWN_ACCOUNT
                : op.call().callId().indexOf('\0') >= 0 ? Grant.Result.UNKNOWN_CALL : Grant.Result.NO_RATE;
        return op instanceof Operation.End ? new Settlement(result, null, null, false, reason) : Grant.refused(result, reason);
    }

    private static Object unavailable(Operation op, String reason) {
        return op instanceof Operation.End ? new Settlement(Grant.Result.UNAVAILABLE, null, null, false, reason)
                : op instanceof Operation.Expire ? Boolean.FALSE : Grant.refused(Grant.Result.UNAVAILABLE, reason);
    }

    /** Stale reservations released, and the reserved-money gauge refreshed. */
    private void sweep() {
        try {
            int n = releaseStale(clock.instant());
            if (n > 0) {
                log.info("released {} stale prepaid reservation(s): their calls never reported back", n);
            }
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT currency, sum(reserved) FROM prepaid_account GROUP BY currency");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    metrics.reserved(rs.getString(1), rs.getBigDecimal(2).doubleValue());
                }
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("prepaid sweep deferred: {}", e.getMessage());
        }
    }

    /** Stops taking operations, answers what is queued, stops the sweeper. */
    @Override
    public void close() {
        running = false;
        for (Thread t : writers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sweeper.shutdownNow();
        deadline.close();
    }
}
