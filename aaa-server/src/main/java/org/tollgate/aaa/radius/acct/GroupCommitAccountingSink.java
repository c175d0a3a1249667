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
 * committed, or, while PostgreSQL is unreachable or does not commit within the store's deadline,
 * fsynced to the {@link AccountingJournal}. While the journal holds anything, new events go to
 * it too, so replay keeps arrival order. Whether events go to the journal ({@code spooling}) is
 * only changed under {@code journalLock}, and decided under it.
 */
public class GroupCommitAccountingSink implements AccountingSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitAccountingSink.class);

    private record Pending(AccountingEvent event, CompletableFuture<Void> done) { }

    private final JdbcAccountingStore store;
    // replay connects on its own: the writers' pool can take seconds to notice PostgreSQL is back
    private final JdbcAccountingStore replayStore;
    private final AccountingJournal journal;
    // records PostgreSQL refuses as data (not an outage): kept on disk for an operator, counted
    private final AccountingJournal refused;
    private final BlockingQueue<Pending> queue;
    private final int maxBatch;
    private final List<Thread> writers = new ArrayList<>();
    private final ScheduledExecutorService replayer;
    private final Object journalLock = new Object();
    private final AtomicLong journaledPending = new AtomicLong();
    // what may be left in the journal for the last replay round, which holds the writers back
    private final long finalRoundBytes;
    // written under journalLock only; read without it as a hint
    private volatile boolean spooling;
    private volatile boolean running = true;

    private final Timer commitTimer;
    private final DistributionSummary batchSize;
    private final Counter committed;
    private final Counter journaled;
    private final Counter replayed;
    private final Counter rejected;
    private final Counter refusedCount;
    private final Counter toJournal;
    private final Counter toDatabase;

    /**
     * @param store       where the writers commit (a pool)
     * @param replayStore where the journal is replayed (connections of its own); may be {@code store}
     */
    public GroupCommitAccountingSink(JdbcAccountingStore store, JdbcAccountingStore replayStore, Path journalDir,
                                     int writerThreads, int maxBatch, int queueCapacity, long replayIntervalMillis,
                                     MeterRegistry metrics) throws IOException {
        this.store = store;
        this.replayStore = replayStore;
        this.finalRoundBytes = 1024L * maxBatch;
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
        this.toJournal = Counter.builder("tollgate.acct.journal.switches").tag("to", "journal")
                .description("accounting switched between PostgreSQL and the local journal").register(metrics);
        this.toDatabase = Counter.builder("tollgate.acct.journal.switches").tag("to", "database")
                .description("accounting switched between PostgreSQL and the local journal").register(metrics);
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
        while (true) {
            Exception failure = null;
            if (!spooling) {
                failure = commit(events);
                if (failure == null) {
                    batch.forEach(p -> p.done.complete(null));
                    return;
                }
            }
            if (journal(batch, events, failure)) {
                return;
            }
        }
    }

    /** Null once committed; else why not (down, or no answer within the deadline: maybe committed). */
    private Exception commit(List<AccountingEvent> events) {
        long start = System.nanoTime();
        try {
            storeBatch(store, events);
        } catch (Exception e) {
            return e;
        }
        commitTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        committed.increment(events.size());
        return null;
    }

    /**
     * Appends the batch to the journal and answers it, switching to journal mode if the commit
     * failed. False, without appending, when the journal was drained while this writer waited
     * for it and nothing failed: the batch then goes to PostgreSQL after all.
     */
    private boolean journal(List<Pending> batch, List<AccountingEvent> events, Exception failure) {
        try {
            synchronized (journalLock) {
                if (failure == null && !spooling) {
                    return false;
                }
                journal.append(events);
                if (!spooling) {
                    spooling = true;
                    toJournal.increment();
                    log.warn("PostgreSQL cannot take accounting ({}); answering from the local journal",
                            failure.getMessage());
                }
            }
            journaled.increment(events.size());
            journaledPending.addAndGet(events.size());
            batch.forEach(p -> p.done.complete(null));
        } catch (IOException e) {
            // neither the database nor the disk took it: do not answer, the NAS will retransmit
            log.error("accounting journal write failed; {} events not acknowledged", events.size(), e);
            batch.forEach(p -> p.done.completeExceptionally(e));
        }
        return true;
    }

    /**
     * Replays closed journal segments, oldest first, while the writers keep appending; stops at
     * the first failure and retries later. When what is left is small, the last of it is
     * replayed with the writers held back, and they go back to PostgreSQL. Every batch is bound
     * by the store's deadline, so a database that hangs meanwhile holds them back no longer than
     * that. A database that is there but slow to accept connections for the writers keeps them
     * on the journal until it does.
     */
    void replay() {
        if (!spooling) {
            return;
        }
        try {
            while (true) {
                List<Path> segments;
                synchronized (journalLock) {
                    journal.rotate();
                    segments = journal.closedSegments();
                }
                for (Path segment : segments) {
                    replaySegment(segment);
                }
                long left;
                synchronized (journalLock) {
                    left = journal.bytes();
                }
                if (left <= finalRoundBytes) {
                    break;
                }
            }
            if (!store.reachable()) {
                return; // the writers' pool has no connection yet: stay on the journal a little longer
            }
            synchronized (journalLock) {
                journal.rotate();
                for (Path segment : journal.closedSegments()) {
                    replaySegment(segment);
                }
                spooling = false;
                toDatabase.increment();
                journaledPending.set(0);
                log.info("accounting journal drained; writing to PostgreSQL again");
            }
        } catch (Exception e) {
            log.debug("journal replay deferred: {}", e.getMessage());
        } finally {
            replayStore.release();
        }
    }

    private void replaySegment(Path segment) throws IOException, java.sql.SQLException {
        List<AccountingEvent> events = journal.read(segment);
        for (int i = 0; i < events.size(); i += maxBatch) {
            storeBatch(replayStore, events.subList(i, Math.min(events.size(), i + maxBatch)));
        }
        journal.delete(segment);
        replayed.increment(events.size());
        journaledPending.addAndGet(-events.size());
        log.info("replayed {} accounting events from {}", events.size(), segment.getFileName());
    }

    /** One commit for the batch; if PostgreSQL refuses a record as data, record by record. */
    private void storeBatch(JdbcAccountingStore target, List<AccountingEvent> events)
            throws IOException, java.sql.SQLException {
        try {
            target.store(events);
        } catch (java.sql.SQLException e) {
            if (!isDataError(e)) {
                throw e;
            }
            storeEach(target, events);
        }
    }

    /**
     * One by one, so that a record PostgreSQL refuses as data (SQLSTATE class 22 or 23) goes to
     * the {@code refused} directory instead of blocking the ones behind it. An outage still
     * throws.
     */
    private void storeEach(JdbcAccountingStore target, List<AccountingEvent> events)
            throws IOException, java.sql.SQLException {
        for (AccountingEvent e : events) {
            try {
                target.store(List.of(e));
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
