package org.tollgate.proxy.aaa;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Call accounting to a server that acknowledges each record (RADIUS or Diameter, a {@link
 * RecordDelivery}). {@link #send} only queues. A sender thread sends up to
 * {@code maxInFlight} records at once (retransmitted, then failed over by the delivery). A record no server
 * answers goes to the on-disk {@link AccountingSpool}, and while the spool holds anything every
 * new record goes there too, so records keep their order. A replay task, every second and at
 * start, sends the spool oldest first (with Acct-Delay-Time) and deletes a segment once all of
 * it was answered. A full queue and close() also spool: a record is never dropped.
 */
public class SpoolingCallAccounting implements CallAccounting {

    private static final Logger log = LoggerFactory.getLogger(SpoolingCallAccounting.class);
    public static final int RECORDS_PER_SEGMENT = 1000;

    private final Clock clock;
    private final RecordDelivery delivery;
    private final AccountingSpool spool;
    private final BlockingQueue<AccountingRecord> queue;
    private final Queue<AccountingRecord> overflow = new ConcurrentLinkedQueue<>();
    private final Queue<AccountingRecord> failed = new ConcurrentLinkedQueue<>();
    private final List<AccountingRecord> unspooled = new ArrayList<>(); // sender thread only
    private final Map<Long, AccountingRecord> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong inFlightSeq = new AtomicLong();
    private final Semaphore permits;
    private final AtomicInteger replayProgress = new AtomicInteger();
    private final Thread sender;
    private final ScheduledExecutorService replayer;
    private final Counter sent;
    private final Counter answered;
    private final Counter spooled;
    private final Counter replayed;
    private volatile boolean running = true;
    private volatile boolean closed;
    private volatile AccountingRecord heldAtClose;
    private volatile boolean outageReported;

    public SpoolingCallAccounting(RecordDelivery delivery, Path spoolDir, int queueCapacity, int maxInFlight,
                                  MeterRegistry registry, Clock clock, int recordsPerSegment,
                                  Duration replayInterval) {
        this.clock = clock;
        this.delivery = delivery;
        this.spool = new AccountingSpool(spoolDir, recordsPerSegment);
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.permits = new Semaphore(maxInFlight);
        this.sent = counter(registry, "sent");
        this.answered = counter(registry, "answered");
        this.spooled = counter(registry, "spooled");
        this.replayed = counter(registry, "replayed");
        Gauge.builder("tollgate.proxy.acct.spool.depth", this, SpoolingCallAccounting::spoolDepth)
                .description("accounting records waiting in the spool for a server").register(registry);
        Gauge.builder("tollgate.proxy.acct.queue", queue, BlockingQueue::size)
                .description("accounting records queued for sending").register(registry);
        this.sender = new Thread(this::sendLoop, "tollgate-acct-sender");
        sender.setDaemon(true);
        sender.start();
        this.replayer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tollgate-acct-replay");
            t.setDaemon(true);
            return t;
        });
        replayer.scheduleWithFixedDelay(this::replay, 0, replayInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Never blocks; throws IllegalArgumentException for a record that can never be sent (unknown status type). */
    @Override
    public void send(AccountingRecord record) {
        delivery.check(record);
        if (closed) {
            log.warn("accounting record after close(): spooled for the next start");
            spoolNow(List.of(record));
        } else if (!queue.offer(record)) {
            overflow.add(record); // the sender spools it within milliseconds
        }
    }

    /** Records in the spool not yet answered. */
    public long spoolDepth() {
        return Math.max(0, spool.depth() - replayProgress.get());
    }

    private void sendLoop() {
        AccountingRecord r = null;
        try {
            while (running) {
                spoolPending();
                r = queue.poll(20, TimeUnit.MILLISECONDS);
                if (r == null) {
                    continue;
                }
                if (!spool.isEmpty()) { // keep order behind what waits on disk
                    List<AccountingRecord> batch = new ArrayList<>(List.of(r));
                    r = null;
                    queue.drainTo(batch, 999);
                    spoolOrKeep(batch);
                    continue;
                }
                while (running && !permits.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                    spoolPending();
                }
                if (!running) {
                    break;
                }
                if (!spool.isEmpty()) {
                    permits.release();
                    spoolOrKeep(new ArrayList<>(List.of(r)));
                } else {
                    dispatch(r);
                }
                r = null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            heldAtClose = r;
        }
    }

    private void dispatch(AccountingRecord r) {
        java.util.concurrent.CompletableFuture<Boolean> delivered;
        try {
            delivered = delivery.deliver(r, delaySeconds(r));
        } catch (RuntimeException e) {
            permits.release();
            log.error("accounting record cannot be encoded, not sent: {}", e.getMessage());
            return;
        }
        long key = inFlightSeq.incrementAndGet();
        inFlight.put(key, r);
        sent.increment();
        delivered.whenComplete((ok, error) -> {
            permits.release();
            AccountingRecord rec = inFlight.remove(key);
            if (rec == null) {
                return; // close() spooled it already
            }
            if (error == null && Boolean.TRUE.equals(ok)) {
                answered.increment();
            } else {
                if (!outageReported) {
                    outageReported = true;
                    log.warn("{}; spooling accounting until a server answers",
                            error != null ? error.getMessage() : "the server did not acknowledge a record");
                }
                failed.add(rec);
            }
        });
    }

    /** Failed sends first (they are older), then, on overflow, the queue and the overflow. */
    private void spoolPending() {
        List<AccountingRecord> batch = new ArrayList<>();
        drain(failed, batch);
        if (!overflow.isEmpty()) {
            queue.drainTo(batch);
            drain(overflow, batch);
        }
        if (!batch.isEmpty() || !unspooled.isEmpty()) {
            spoolOrKeep(batch);
        }
    }

    private void spoolOrKeep(List<AccountingRecord> batch) {
        unspooled.addAll(batch);
        try {
            spool.append(unspooled);
            spooled.increment(unspooled.size());
            unspooled.clear();
        } catch (IOException | RuntimeException e) {
            log.error("cannot write the accounting spool ({} record(s) held in memory, retrying): {}",
                    unspooled.size(), e.toString());
            sleepQuietly(1000);
        }
    }

    private void replay() {
        try {
            boolean did = false;
            while (running) {
                AccountingSpool.Segment segment = spool.oldest();
                if (segment == null) {
                    if (did || outageReported) {
                        outageReported = false;
                        log.info("accounting spool replayed; sending directly again");
                    }
                    return;
                }
                List<AccountingRecord> records = segment.records();
                int done = replayWindow(records, replayProgress.get());
                replayProgress.set(done);
                if (done < records.size()) {
                    return;
                }
                did = true;
                spool.delete(segment);
                replayProgress.set(0);
            }
        } catch (IOException e) {
            log.warn("accounting spool replay: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("accounting spool replay failed", e);
        }
    }

    /**
     * Replays records from {@code from} in order with up to max-in-flight outstanding (one at a
     * time could not keep up with a busy proxy). Returns the end of the answered prefix: after a
     * failure, records beyond it are sent again on the next pass, which the server's
     * de-duplication absorbs.
     */
    private int replayWindow(List<AccountingRecord> records, int from) throws InterruptedException {
        int n = records.size() - from;
        if (n <= 0) {
            return records.size();
        }
        boolean[] ok = new boolean[n];
        java.util.concurrent.atomic.AtomicBoolean failure = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch outstanding = new java.util.concurrent.CountDownLatch(n);
        int sentCount = 0;
        for (int i = 0; i < n && running && !failure.get(); i++) {
            AccountingRecord r = records.get(from + i);
            permits.acquire();
            java.util.concurrent.CompletableFuture<Boolean> delivered;
            try {
                delivered = delivery.deliver(r, delaySeconds(r));
            } catch (RuntimeException e) {
                permits.release();
                log.error("spooled accounting record cannot be encoded, skipped: {}", e.getMessage());
                ok[i] = true; // it must not block the rest
                outstanding.countDown();
                sentCount++;
                continue;
            }
            int slot = i;
            delivered.whenComplete((acked, error) -> {
                permits.release();
                if (error == null && Boolean.TRUE.equals(acked)) {
                    ok[slot] = true;
                    replayed.increment();
                } else {
                    failure.set(true);
                }
                outstanding.countDown();
            });
            sentCount++;
        }
        for (int i = sentCount; i < n; i++) {
            outstanding.countDown();
        }
        outstanding.await();
        int prefix = 0;
        while (prefix < n && ok[prefix]) {
            prefix++;
        }
        return from + prefix;
    }

    private long delaySeconds(AccountingRecord r) {
        return Math.max(0, Duration.between(r.eventTime(), clock.instant()).getSeconds());
    }

    /** Stops sending; whatever is queued or still unanswered goes to the spool, for the next start. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        joinQuietly(sender);
        replayer.shutdown();
        List<AccountingRecord> rest = new ArrayList<>(unspooled);
        inFlight.keySet().stream().sorted().forEach(k -> {
            AccountingRecord r = inFlight.remove(k);
            if (r != null) {
                rest.add(r);
            }
        });
        delivery.close();
        try {
            replayer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain(failed, rest);
        if (heldAtClose != null) {
            rest.add(heldAtClose);
        }
        queue.drainTo(rest);
        drain(overflow, rest);
        spoolNow(rest);
        spool.close();
        if (!rest.isEmpty()) {
            log.info("accounting client closed: {} record(s) spooled for the next start", rest.size());
        }
    }

    private void spoolNow(List<AccountingRecord> records) {
        try {
            spool.append(records);
            spooled.increment(records.size());
        } catch (IOException | RuntimeException e) {
            log.error("LOST {} accounting record(s): cannot write the spool: {}", records.size(), e.toString());
        }
    }

    private static void drain(Queue<AccountingRecord> from, List<AccountingRecord> to) {
        for (AccountingRecord r; (r = from.poll()) != null; ) {
            to.add(r);
        }
    }

    private static Counter counter(MeterRegistry registry, String result) {
        return Counter.builder("tollgate.proxy.acct").tag("result", result)
                .description("call accounting records by outcome").register(registry);
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
