package org.tollgate.aaa.radius.acct;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.api.AccountingEvent;
import org.tollgate.api.AccountingSink;

/**
 * Group commit: events queue up while the previous batch commits, then go to the database
 * together in one statement and one fsync. A future completes only when its event is durable —
 * committed, or, while PostgreSQL is unreachable, fsynced to the {@link AccountingJournal}.
 * While the journal holds anything, new events go to it too, so replay keeps arrival order.
 */
public class GroupCommitAccountingSink implements AccountingSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitAccountingSink.class);

    private record Pending(AccountingEvent event, CompletableFuture<Void> done) { }

    private final JdbcAccountingStore store;
    private final AccountingJournal journal;
    // records PostgreSQL refuses as data (not an outage): kept on disk for an operator, counted
    private final AccountingJournal refused;
    private final BlockingQueue<Pending> queue;
    private final int maxBatch;
    private final List<Thread> writers = new ArrayList<>();
    private final ScheduledExecutorService replayer;
    private final Object journalLock = new Object();
    private final AtomicLong journaledPending = new AtomicLong();
    private volatile boolean spooling;
    private volatile boolean running = true;

    private final Timer commitTimer;
    private final DistributionSummary batchSize;
    private final Counter committed;
    private final Counter journaled;
    private final Counter replayed;
    private final Counter rejected;
    private final Counter refusedCount;

    public GroupCommitAccountingSink(JdbcAccountingStore store, Path journalDir, int writerThreads, int maxBatch,
                                     int queueCapacity, long replayIntervalMillis, MeterRegistry metrics)
            throws IOException {
        this.store = store;
        this.journal = new AccountingJournal(journalDir);
        this.refused = new AccountingJournal(journalDir.resolve("refused"));
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatch = maxBatch;
        this.spooling = !journal.isEmpty();
        this.commitTimer = Timer.builder("tollgate.acct.commit").description("accounting batch commit latency")
                .publishPercentiles(0.5, 0.99).register(metrics);
        this.batchSize = DistributionSummary.builder("tollgate.acct.batch.size").register(metrics);
        this.committed = Counter.builder("tollgate.acct.events").tag("result", "committed").register(metrics);
        this.journaled = Counter.builder("tollgate.acct.events").tag("result", "journaled").register(metrics);
        this.replayed = Counter.builder("tollgate.acct.events").tag("result", "replayed").register(metrics);
        this.rejected = Counter.builder("tollgate.acct.events").tag("result", "rejected").register(metrics);
        this.refusedCount = Counter.builder("tollgate.acct.events").tag("result", "refused").register(metrics);
        Gauge.builder("tollgate.acct.queue", queue, BlockingQueue::size).register(metrics);
        Gauge.builder("tollgate.acct.journal.pending", journaledPending, AtomicLong::get).register(metrics);

        for (int i = 0; i < writerThreads; i++) {
            Thread t = new Thread(this::writeLoop, "acct-writer-" + i);
            t.setDaemon(true);
            t.start();
            writers.add(t);
        }
        replayer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "acct-journal-replay");
            t.setDaemon(true);
            return t;
        });
        replayer.scheduleWithFixedDelay(this::replay, replayIntervalMillis, replayIntervalMillis, TimeUnit.MILLISECONDS);
        if (spooling) {
            log.warn("accounting journal {} holds events from an earlier run; replaying them", journalDir);
        }
    }

    @Override
    public CompletableFuture<Void> submit(AccountingEvent event) {
        Pending p = new Pending(event, new CompletableFuture<>());
        if (!running || !queue.offer(p)) {
            rejected.increment();
            p.done.completeExceptionally(new RejectedExecutionException("accounting queue full"));
        }
        return p.done;
    }

    /** True while events wait in the journal for the database. */
    public boolean isSpooling() {
        return spooling;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("accounting writer failed; {} events left unanswered", batch.size(), e);
                batch.forEach(p -> p.done.completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        List<AccountingEvent> events = batch.stream().map(Pending::event).toList();
        batchSize.record(events.size());
        if (!spooling) {
            long start = System.nanoTime();
            try {
                storeBatch(events);
                commitTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                committed.increment(events.size());
                batch.forEach(p -> p.done.complete(null));
                return;
            } catch (Exception e) {
                log.warn("PostgreSQL cannot take accounting ({}); spooling to the local journal", e.getMessage());
            }
        }
        try {
            synchronized (journalLock) {
                journal.append(events);
                spooling = true;
            }
            journaled.increment(events.size());
            journaledPending.addAndGet(events.size());
            batch.forEach(p -> p.done.complete(null));
        } catch (IOException e) {
            // neither the database nor the disk took it: do not answer, the NAS will retransmit
            log.error("accounting journal write failed; {} events not acknowledged", events.size(), e);
            batch.forEach(p -> p.done.completeExceptionally(e));
        }
    }

    /**
     * Replays closed journal segments, oldest first; stops at the first failure and retries
     * later. Once they are in, the segment written meanwhile is replayed with writers held
     * back, so a steady load cannot keep the sink in journal mode for ever.
     */
    void replay() {
        if (!spooling) {
            return;
        }
        try {
            List<Path> segments;
            synchronized (journalLock) {
                journal.rotate();
                segments = journal.closedSegments();
            }
            for (Path segment : segments) {
                replaySegment(segment);
            }
            synchronized (journalLock) {
                journal.rotate();
                for (Path segment : journal.closedSegments()) {
                    replaySegment(segment);
                }
                spooling = false;
                journaledPending.set(0);
                log.info("accounting journal drained; writing to PostgreSQL again");
            }
        } catch (Exception e) {
            log.debug("journal replay deferred: {}", e.getMessage());
        }
    }

    private void replaySegment(Path segment) throws IOException, java.sql.SQLException {
        List<AccountingEvent> events = journal.read(segment);
        for (int i = 0; i < events.size(); i += maxBatch) {
            storeBatch(events.subList(i, Math.min(events.size(), i + maxBatch)));
        }
        journal.delete(segment);
        replayed.increment(events.size());
        journaledPending.addAndGet(-events.size());
        log.info("replayed {} accounting events from {}", events.size(), segment.getFileName());
    }

    /** One commit for the batch; if PostgreSQL refuses a record as data, record by record. */
    private void storeBatch(List<AccountingEvent> events) throws IOException, java.sql.SQLException {
        try {
            store.store(events);
        } catch (java.sql.SQLException e) {
            if (!isDataError(e)) {
                throw e;
            }
            storeEach(events);
        }
    }

    /**
     * One by one, so that a record PostgreSQL refuses as data (SQLSTATE class 22 or 23) goes to
     * the {@code refused} directory instead of blocking the ones behind it. An outage still
     * throws.
     */
    private void storeEach(List<AccountingEvent> events) throws IOException, java.sql.SQLException {
        for (AccountingEvent e : events) {
            try {
                store.store(List.of(e));
            } catch (java.sql.SQLException ex) {
                if (!isDataError(ex)) {
                    throw ex;
                }
                synchronized (refused) {
                    refused.append(List.of(e));
                }
                refusedCount.increment();
                log.error("accounting record {} from {} refused by PostgreSQL ({}); kept in the refused journal",
                        e.recordKey(), e.nasName(), ex.getSQLState());
            }
        }
    }

    private static boolean isDataError(java.sql.SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** Stops taking events, writes what is queued, and makes one last attempt to drain the journal. */
    @Override
    public void close() throws IOException {
        running = false;
        for (Thread t : writers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        replayer.shutdown();
        try {
            replayer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        replay();
        synchronized (journalLock) {
            journal.close();
        }
    }
}
