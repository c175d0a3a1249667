package org.tollgate.tests.bench;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.HdrHistogram.Recorder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.api.prepaid.CallEnd;
import org.tollgate.api.prepaid.CallKey;
import org.tollgate.api.prepaid.CallRequest;
import org.tollgate.api.prepaid.Grant;
import org.tollgate.api.rating.Usage;
import org.tollgate.prepaid.PrepaidSettings;
import org.tollgate.prepaid.reservation.PrepaidEngine;
import org.tollgate.rating.CachedRatingService;
import org.tollgate.rating.Rater;
import org.tollgate.rating.number.NumberNormalizer;
import org.tollgate.rating.plan.JdbcRatePlans;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prepaid engine throughput: authorize + commit cycles per second against PostgreSQL, the engine
 * in this JVM as in a Tollgate instance (its writers, batches, row locks, commit timeout), many
 * callers at once, each making one call after the other: authorize, then commit a duration within
 * the grant. {@code spread}: every call on a random one of {@code --accounts} accounts (pp1…ppN);
 * {@code hot}: every call on account {@code hot}; then {@code drain}: every caller on account
 * {@code drain} until its money is gone, and the money must not be overdrawn. The accounts are
 * made by tests/bench/prepaid-bench.sh.
 */
@Command(name = "prepaid-load", mixinStandardHelpOptions = true)
public class PrepaidLoad implements Callable<Integer> {

    @Option(names = "--url", required = true, description = "JDBC URL of the database (password from PGPASSFILE).")
    String url;

    @Option(names = "--scenario", defaultValue = "spread", description = "spread, hot or drain.")
    String scenario;

    @Option(names = "--accounts", defaultValue = "100000")
    int accounts;

    @Option(names = "--callers", defaultValue = "1000", description = "Calls in progress at once.")
    int callers;

    @Option(names = "--seconds", defaultValue = "30")
    int seconds;

    @Option(names = "--warmup", defaultValue = "10")
    int warmup;

    @Option(names = "--writers", defaultValue = "2")
    int writers;

    @Option(names = "--max-batch", defaultValue = "1000")
    int maxBatch;

    @Option(names = "--pool", defaultValue = "8")
    int pool;

    private static final String DESTINATION = "+4930123456";

    public static void main(String[] args) {
        // the load's own output only: a connection aborted at the deadline is counted, not logged
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        System.exit(new CommandLine(new PrepaidLoad()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        cfg.setUsername("postgres");
        cfg.setMaximumPoolSize(pool);
        try (HikariDataSource ds = new HikariDataSource(cfg)) {
            // accounts and plans stay in memory for the run (a NOTIFY would refresh them in a server)
            CachedRatingService rating = new CachedRatingService(new JdbcRatePlans(ds),
                    new Rater(NumberNormalizer.international()), Duration.ofHours(1), 2L * accounts + 10);
            PrepaidSettings settings = new PrepaidSettings(Duration.ofSeconds(300), Duration.ofSeconds(1),
                    Duration.ofMinutes(5), Duration.ofSeconds(10), writers, maxBatch, Math.max(maxBatch, 4 * callers));
            try (PrepaidEngine engine = new PrepaidEngine(ds, rating, settings, registry, Clock.systemUTC())) {
                return switch (scenario) {
                    case "spread" -> {
                        warmRating(rating);
                        yield measure(engine, i -> "pp" + (1 + ThreadLocalRandom.current().nextInt(accounts)));
                    }
                    case "hot" -> measure(engine, i -> "hot");
                    case "drain" -> drain(engine, new JdbcTemplate(ds), rating);
                    default -> throw new IllegalArgumentException("--scenario: spread, hot or drain");
                };
            }
        }
    }

    /** Loads every account into rating's memory first, as a server that has run a while has them. */
    private void warmRating(CachedRatingService rating) throws InterruptedException {
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            int first = t;
            pool.submit(() -> {
                for (int i = 1 + first; i <= accounts; i += 4) {
                    rating.price(new Usage("pp" + i, DESTINATION, Instant.EPOCH, 0));
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
        System.out.printf("rating cache: %,d accounts loaded in %.1f s%n", accounts, (System.nanoTime() - t0) / 1e9);
    }

    private interface Accounts {
        String pick(long call);
    }

    /** One caller's calls, one after the other, chained on the engine's answers (no thread waits). */
    private final class Caller {
        private final PrepaidEngine engine;
        private final Accounts accounts;
        private final int id;
        private final ExecutorService next;
        private long n;
        private long started;

        Caller(PrepaidEngine engine, Accounts accounts, int id, ExecutorService next) {
            this.engine = engine;
            this.accounts = accounts;
            this.id = id;
            this.next = next;
        }

        void call() {
            if (stop.get()) {
                done.incrementAndGet();
                return;
            }
            CallKey key = new CallKey(accounts.pick(n), run + "-" + id + "-" + n++);
            Instant now = Instant.now();
            started = System.nanoTime();
            CallRequest request = new CallRequest(key, DESTINATION, now, 0);
            retrying(() -> engine.authorize(request), Grant::result).thenComposeAsync(g -> {
                authorizeLatency.recordValue(Math.max(1, (System.nanoTime() - started) / 1000));
                results.computeIfAbsent(g.result(), r -> new AtomicLong()).incrementAndGet();
                if (!g.granted()) {
                    return CompletableFuture.completedFuture(null);
                }
                long used = 1 + ThreadLocalRandom.current().nextLong(Math.min(g.seconds(), 120));
                long commitStart = System.nanoTime();
                CallEnd end = new CallEnd(key, DESTINATION, used, now, now.plusSeconds(used), "bench");
                return retrying(() -> engine.commit(end), org.tollgate.api.prepaid.Settlement::result)
                        .thenAccept(s -> {
                            commitLatency.recordValue(Math.max(1, (System.nanoTime() - commitStart) / 1000));
                            if (s.debit() != null) {
                                cycles.incrementAndGet();
                            } else {
                                failedCommits.incrementAndGet();
                            }
                        });
            }, next).whenCompleteAsync((v, e) -> call(), next);
        }
    }

    /**
     * As a NAS does: a request answered UNAVAILABLE (no answer within the commit timeout) is sent
     * again, and being idempotent it gets the answer stored for it, or is applied now.
     */
    private <T> CompletableFuture<T> retrying(java.util.function.Supplier<CompletableFuture<T>> send,
                                              java.util.function.Function<T, Grant.Result> result) {
        return send.get().thenCompose(a -> {
            if (result.apply(a) != Grant.Result.UNAVAILABLE) {
                return CompletableFuture.completedFuture(a);
            }
            retries.incrementAndGet();
            return retrying(send, result);
        });
    }

    // call ids of this run: another run on the same database makes calls of its own
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong retries = new AtomicLong();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** Batches so far, the milliseconds spent in each phase, and operations: the engine's own timers. */
    private double[] phases() {
        double[] v = new double[6];
        String[] names = {"lock-and-read", "apply", "write", "commit"};
        v[0] = registry.get("tollgate.prepaid.batch.phase").tag("phase", "commit").timer().count();
        for (int i = 0; i < names.length; i++) {
            v[i + 1] = registry.get("tollgate.prepaid.batch.phase").tag("phase", names[i]).timer()
                    .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        v[5] = registry.get("tollgate.prepaid.batch.size").summary().totalAmount();
        return v;
    }
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong cycles = new AtomicLong();
    private final AtomicLong failedCommits = new AtomicLong();
    private final java.util.concurrent.ConcurrentHashMap<Grant.Result, AtomicLong> results =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Recorder authorizeLatency = new Recorder(3);
    private final Recorder commitLatency = new Recorder(3);

    private int measure(PrepaidEngine engine, Accounts accounts) throws InterruptedException {
        ExecutorService next = Executors.newFixedThreadPool(2);
        List<Caller> all = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            all.add(new Caller(engine, accounts, i, next));
        }
        all.forEach(Caller::call);
        Thread.sleep(warmup * 1000L);
        long c0 = cycles.get();
        long r0 = retries.get();
        results.clear();
        authorizeLatency.reset();
        commitLatency.reset();
        double[] before = phases();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double[] after = phases();
        long c1 = cycles.get();
        double took = (System.nanoTime() - t0) / 1e9;
        var auth = authorizeLatency.getIntervalHistogram();
        var commit = commitLatency.getIntervalHistogram();
        stop.set(true);
        while (done.get() < callers) {
            Thread.sleep(50);
        }
        next.shutdown();
        System.out.printf("%s: %,d authorize+commit cycles in %.1f s = %,.0f calls/s (%d callers, %d writers, batches ≤ %d)%n",
                scenario, c1 - c0, took, (c1 - c0) / took, callers, writers, maxBatch);
        System.out.printf("  authorize latency ms: p50 %.1f  p99 %.1f  max %.1f; commit: p50 %.1f  p99 %.1f  max %.1f%n",
                auth.getValueAtPercentile(50) / 1000.0, auth.getValueAtPercentile(99) / 1000.0, auth.getMaxValue() / 1000.0,
                commit.getValueAtPercentile(50) / 1000.0, commit.getValueAtPercentile(99) / 1000.0,
                commit.getMaxValue() / 1000.0);
        double batches = Math.max(1, after[0] - before[0]);
        System.out.printf("  %,.0f batches of %.0f operations on average; per batch: lock and read %.1f ms, apply %.1f ms, "
                + "write %.1f ms, commit %.1f ms%n", batches, (after[5] - before[5]) / batches,
                (after[1] - before[1]) / batches, (after[2] - before[2]) / batches, (after[3] - before[3]) / batches,
                (after[4] - before[4]) / batches);
        System.out.println("  authorizations by result: " + results + "; commits without a debit: " + failedCommits.get()
                + "; requests sent again after UNAVAILABLE: " + (retries.get() - r0) + " (" + r0 + " during warm-up)");
        return failedCommits.get() == 0 ? 0 : 1;
    }

    /**
     * Every caller on account {@code drain} until the money is gone: the sum of the debits must not
     * exceed balance + credit limit, and a refusal must come only when not one increment was left.
     */
    private int drain(PrepaidEngine engine, JdbcTemplate jdbc, CachedRatingService rating) throws InterruptedException {
        BigDecimal start = jdbc.queryForObject("SELECT p.balance + p.credit_limit FROM prepaid_account p "
                + "JOIN account a ON a.id = p.account_id WHERE a.name = 'drain'", BigDecimal.class);
        BigDecimal increment = rating.price(new Usage("drain", DESTINATION, Instant.now(), 1)).cost();
        AtomicLong badRefusals = new AtomicLong();
        ExecutorService next = Executors.newFixedThreadPool(2);
        long t0 = System.nanoTime();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            int id = i;
            CompletableFuture<Void> f = new CompletableFuture<>();
            all.add(f);
            next.submit(() -> drainCaller(engine, id, 0, increment, badRefusals, f, next));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        double took = (System.nanoTime() - t0) / 1e9;
        next.shutdown();
        BigDecimal debited = jdbc.queryForObject("SELECT coalesce(-sum(l.amount), 0) FROM prepaid_ledger l JOIN account a "
                + "ON a.id = l.account_id WHERE a.name = 'drain' AND l.kind = 'CALL'", BigDecimal.class);
        BigDecimal left = jdbc.queryForObject("SELECT p.balance + p.credit_limit - p.reserved FROM prepaid_account p "
                + "JOIN account a ON a.id = p.account_id WHERE a.name = 'drain'", BigDecimal.class);
        System.out.printf("drain: %,d calls on one account in %.1f s until its money was gone: debited %s of %s, "
                + "%s left, %d refusals with money left%n", cycles.get(), took, debited.toPlainString(), start.toPlainString(),
                left.toPlainString(), badRefusals.get());
        boolean ok = debited.compareTo(start) <= 0 && left.signum() >= 0 && badRefusals.get() == 0;
        System.out.println(ok ? "drain: no overdraft" : "drain: OVERDRAFT or a refusal with money left");
        return ok ? 0 : 1;
    }

    private void drainCaller(PrepaidEngine engine, int id, long n, BigDecimal increment, AtomicLong badRefusals,
                             CompletableFuture<Void> done, ExecutorService next) {
        CallKey key = new CallKey("drain", run + "-d" + id + "-" + n);
        Instant now = Instant.now();
        CallRequest request = new CallRequest(key, DESTINATION, now, 0);
        retrying(() -> engine.authorize(request), Grant::result).thenAcceptAsync(g -> {
            if (g.result() == Grant.Result.INSUFFICIENT_CREDIT) {
                if (g.available().amount().compareTo(increment) >= 0) {
                    badRefusals.incrementAndGet();
                }
                done.complete(null);
                return;
            }
            if (!g.granted()) {
                done.completeExceptionally(new IllegalStateException(key + ": " + g));
                return;
            }
            // uses all it was granted: the money goes as fast as it can
            CallEnd end = new CallEnd(key, DESTINATION, g.seconds(), now, now.plusSeconds(g.seconds()), "bench");
            retrying(() -> engine.commit(end), org.tollgate.api.prepaid.Settlement::result)
                    .thenRunAsync(() -> {
                        cycles.incrementAndGet();
                        drainCaller(engine, id, n + 1, increment, badRefusals, done, next);
                    }, next);
        }, next);
    }
}
