package org.tollgate.prepaid.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.api.prepaid.CallEnd;
import org.tollgate.api.prepaid.CallKey;
import org.tollgate.api.prepaid.CallReport;
import org.tollgate.api.prepaid.CallRequest;
import org.tollgate.api.prepaid.Grant;
import org.tollgate.api.prepaid.PrepaidService;
import org.tollgate.api.rating.Usage;
import org.tollgate.prepaid.PrepaidSettings;
import org.tollgate.prepaid.support.PrepaidDatabase;

/**
 * Many calls on one account at once share its money: never more debited than balance + credit
 * limit, no call refused while the account still has the money for its next increment, and every
 * balance equal to its ledger afterwards — also with two engines (two Tollgate instances) on one
 * database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentCallsIT {

    private static final Instant NOON = Instant.parse("2026-11-16T12:00:00Z");
    private static final String DE = "+4930123456";

    private PrepaidDatabase db;
    private PrepaidEngine engine;
    private ExecutorService callers;

    @BeforeAll
    void start() {
        db = new PrepaidDatabase();
        db.plan("per-second", "EUR", 2, "49,Germany,*,0,0.60,1,1,0,0,,\n");
        db.plan("per-minute", "EUR", 4, "49,Germany,*,0.05,0.90,60,60,0,0,,\n");
        engine = db.engine(PrepaidSettings.defaults());
        callers = Executors.newFixedThreadPool(100);
    }

    @AfterEach
    void consistent() {
        db.assertConsistent();
    }

    @AfterAll
    void stop() {
        callers.shutdownNow();
        engine.close();
        db.close();
    }

    /** A call as a network element makes it: authorize, use all it was granted, stop. */
    private record Call(Grant first, long used, BigDecimal debit) { }

    private List<Call> callAtOnce(int calls, String account, PrepaidService... engines) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Call>> futures = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            PrepaidService e = engines[i % engines.length];
            CallKey key = new CallKey(account, "call-" + i);
            futures.add(callers.submit(() -> {
                go.await();
                Grant g = e.authorize(new CallRequest(key, DE, NOON, 0)).join();
                if (!g.granted()) {
                    return new Call(g, 0, BigDecimal.ZERO);
                }
                return new Call(g, g.seconds(), e.commit(new CallEnd(key, DE, g.seconds(), NOON, NOON.plusSeconds(g.seconds()),
                        "test")).join().debit().amount());
            }));
        }
        go.countDown();
        List<Call> done = new ArrayList<>();
        for (Future<Call> f : futures) {
            done.add(f.get());
        }
        return done;
    }

    private BigDecimal firstIncrement(String account) {
        return db.rating.price(new Usage(account, DE, NOON, 1)).cost();
    }

    @Test
    void oneHundredCallsAuthorizedAtOnceNeverSpendMoreThanTheAccountHas() throws Exception {
        db.prepaid("shared", "per-second", "EUR", "10.00", "2.00");
        List<Call> calls = callAtOnce(100, "shared", engine);

        BigDecimal debited = calls.stream().map(Call::debit).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(debited).isLessThanOrEqualTo(new BigDecimal("12.00"));
        assertThat(db.debits("shared")).isEqualByComparingTo(debited);
        assertThat(db.balance("shared")).isEqualByComparingTo(new BigDecimal("10.00").subtract(debited));
        // every call refused was refused because not even one increment was left
        BigDecimal increment = firstIncrement("shared");
        List<Call> refused = calls.stream().filter(c -> !c.first().granted()).toList();
        assertThat(refused).isNotEmpty().allSatisfy(c -> {
            assertThat(c.first().result()).isEqualTo(Grant.Result.INSUFFICIENT_CREDIT);
            assertThat(c.first().available().amount()).isLessThan(increment);
        });
        // and the money was all used: 12.00 at 0.01 a second is 1,200 s
        assertThat(calls.stream().mapToLong(Call::used).sum()).isEqualTo(1200);
        assertThat(db.reserved("shared")).isEqualByComparingTo("0");
    }

    @Test
    void callsThatReportAndEndAtRandomAlsoShareTheMoneySafely() throws Exception {
        db.prepaid("busy", "per-minute", "EUR", "25.00", "1.00");
        CountDownLatch go = new CountDownLatch(1);
        List<Future<BigDecimal>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            CallKey key = new CallKey("busy", "call-" + i);
            futures.add(callers.submit(() -> {
                go.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                Grant g = engine.authorize(new CallRequest(key, DE, NOON, 30 + random.nextInt(300))).join();
                if (!g.granted()) {
                    return BigDecimal.ZERO;
                }
                if (random.nextInt(5) == 0) { // a failed call
                    engine.release(key, NOON, "test").join();
                    return BigDecimal.ZERO;
                }
                long used = 0;
                long granted = g.seconds();
                for (int seq = 1; seq <= 3 && g.granted(); seq++) {
                    used = granted - random.nextInt((int) Math.min(granted, 20));
                    g = engine.reauthorize(new CallReport(key, seq, used, NOON, NOON.plusSeconds(used), 0)).join();
                    granted = used + g.seconds();
                }
                long end = used + random.nextLong(granted - used + 1);
                return engine.commit(new CallEnd(key, DE, end, NOON, NOON.plusSeconds(end), "test")).join().debit().amount();
            }));
        }
        go.countDown();
        BigDecimal debited = BigDecimal.ZERO;
        for (Future<BigDecimal> f : futures) {
            debited = debited.add(f.get());
        }
        assertThat(debited).isLessThanOrEqualTo(new BigDecimal("26.00"));
        assertThat(db.debits("busy")).isEqualByComparingTo(debited);
        assertThat(db.balance("busy")).isGreaterThanOrEqualTo(new BigDecimal("-1.00"));
        assertThat(db.reserved("busy")).isEqualByComparingTo("0");
    }

    @Test
    void twoEnginesOnOneDatabaseShareTheMoneyThroughTheRowLock() throws Exception {
        db.prepaid("two-instances", "per-second", "EUR", "7.00", "0");
        try (PrepaidEngine second = db.otherEngine(PrepaidSettings.defaults())) {
            List<Call> calls = callAtOnce(100, "two-instances", engine, second);
            BigDecimal debited = calls.stream().map(Call::debit).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(debited).isEqualByComparingTo("7.00");
            assertThat(db.balance("two-instances")).isEqualByComparingTo("0");
            BigDecimal increment = firstIncrement("two-instances");
            assertThat(calls.stream().filter(c -> !c.first().granted()))
                    .allSatisfy(c -> assertThat(c.first().available().amount()).isLessThan(increment));
        }
    }
}
