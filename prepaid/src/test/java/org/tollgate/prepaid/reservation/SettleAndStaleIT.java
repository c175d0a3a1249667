package org.tollgate.prepaid.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.tollgate.api.prepaid.Settlement;
import org.tollgate.api.rating.Usage;
import org.tollgate.prepaid.PrepaidSettings;
import org.tollgate.prepaid.support.PrepaidDatabase;

/**
 * The CDR's calls settled against the ledger (never a second debit, a lost Stop debited), and
 * reservations of calls that never reported back released, flagged, and still debited when the
 * Stop comes late.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SettleAndStaleIT {

    private static final Instant NOON = Instant.parse("2026-11-16T12:00:00Z");
    private static final String DE = "+4930123456";
    private static final Duration GRACE = PrepaidSettings.defaults().staleGrace();

    private PrepaidDatabase db;
    private PrepaidEngine engine;

    @BeforeAll
    void start() {
        db = new PrepaidDatabase();
        db.plan("per-second", "EUR", 2, "49,Germany,*,0,0.60,1,1,0,0,,\n");
        db.plans.addAccount("postpaid-1", "per-second", ZoneId.of("UTC"));
        engine = db.engine(PrepaidSettings.defaults());
    }

    @AfterEach
    void consistent() {
        db.assertConsistent();
    }

    @AfterAll
    void stop() {
        engine.close();
        db.close();
    }

    private static CallEnd cdr(String account, String call, long seconds) {
        return new CallEnd(new CallKey(account, call), DE, seconds, NOON, NOON.plusSeconds(seconds), "cdr");
    }

    private BigDecimal price(String account, long seconds) {
        return db.rating.price(new Usage(account, DE, NOON, seconds)).cost();
    }

    @Test
    void settlingTheCdrsDebitsOnlyWhatTheLedgerDoesNotHaveYet() {
        db.prepaid("alice", "per-second", "EUR", "10.00", "0");
        CallKey stopped = new CallKey("alice", "stopped");
        CallKey lostStop = new CallKey("alice", "lost-stop");
        engine.authorize(new CallRequest(stopped, DE, NOON, 0)).join();
        Settlement stop = engine.commit(new CallEnd(stopped, DE, 40, NOON, NOON.plusSeconds(40), "radius-stop")).join();
        engine.authorize(new CallRequest(lostStop, DE, NOON, 0)).join();
        assertThat(db.reserved("alice")).isEqualByComparingTo("3.00");

        List<Settlement> settled = engine.settle(List.of(cdr("alice", "stopped", 40), cdr("alice", "lost-stop", 61),
                cdr("alice", "never-authorized", 30), cdr("postpaid-1", "p1", 30), cdr("nobody", "n1", 30)));
        assertThat(settled.get(0).alreadySettled()).isTrue();
        assertThat(settled.get(0).debit()).isEqualTo(stop.debit());
        assertThat(settled.get(1).alreadySettled()).isFalse();
        assertThat(settled.get(1).debit().amount()).isEqualTo(price("alice", 61));
        assertThat(settled.get(2).alreadySettled()).isFalse();
        assertThat(settled.get(2).debit().amount()).isEqualTo(price("alice", 30));
        assertThat(settled.get(3).result()).isEqualTo(Grant.Result.POSTPAID);
        assertThat(settled.get(4).result()).isEqualTo(Grant.Result.UNKNOWN_ACCOUNT);
        assertThat(db.reserved("alice")).isEqualByComparingTo("0");
        // 0.40 + 0.61 + 0.30
        assertThat(db.debits("alice")).isEqualByComparingTo("1.31");
        assertThat(db.balance("alice")).isEqualByComparingTo("8.69");

        // the nightly run again, and the Stop retransmitted: nothing more
        List<Settlement> again = engine.settle(List.of(cdr("alice", "stopped", 40), cdr("alice", "lost-stop", 61),
                cdr("alice", "never-authorized", 30)));
        assertThat(again).allSatisfy(s -> assertThat(s.alreadySettled()).isTrue());
        assertThat(engine.commit(new CallEnd(lostStop, DE, 61, NOON, NOON.plusSeconds(61), "radius-stop")).join()
                .alreadySettled()).isTrue();
        assertThat(db.debits("alice")).isEqualByComparingTo("1.31");
    }

    @Test
    void aStaleReservationIsReleasedAndFlaggedAndALateStopIsStillDebitedOnce() throws Exception {
        db.prepaid("bob", "per-second", "EUR", "1.00", "0");
        CallKey call = new CallKey("bob", "vanished");
        Grant g = engine.authorize(new CallRequest(call, DE, NOON, 0)).join();
        assertThat(g.seconds()).isEqualTo(100);
        Instant expiry = NOON.plusSeconds(100).plus(GRACE);
        assertThat(engine.releaseStale(expiry.minusSeconds(1))).isZero();
        assertThat(db.reserved("bob")).isEqualByComparingTo("1.00");
        assertThat(engine.releaseStale(expiry.plusSeconds(1))).isEqualTo(1);
        assertThat(db.reserved("bob")).isEqualByComparingTo("0");
        assertThat(db.jdbc().queryForObject("SELECT state || ' ' || (expired_at IS NOT NULL) FROM prepaid_reservation "
                + "WHERE call_id = 'vanished'", String.class)).isEqualTo("EXPIRED true");
        assertThat(db.metrics.get("tollgate.prepaid.stale.released").counter().count()).isGreaterThanOrEqualTo(1);
        // its money is free again: another call may have it
        assertThat(engine.authorize(new CallRequest(new CallKey("bob", "next"), DE, NOON, 0)).join().seconds()).isEqualTo(100);
        engine.release(new CallKey("bob", "next"), NOON, "test").join();

        // the Stop comes after all (a NAS that was cut off): debited, once
        Settlement late = engine.commit(new CallEnd(call, DE, 90, NOON, NOON.plusSeconds(90), "radius-stop")).join();
        assertThat(late.alreadySettled()).isFalse();
        assertThat(late.debit().amount()).isEqualTo(price("bob", 90));
        assertThat(engine.commit(new CallEnd(call, DE, 90, NOON, NOON.plusSeconds(90), "radius-stop")).join()
                .alreadySettled()).isTrue();
        assertThat(engine.settle(List.of(cdr("bob", "vanished", 90))).get(0).alreadySettled()).isTrue();
        assertThat(db.balance("bob")).isEqualByComparingTo("0.10");
        assertThat(db.jdbc().queryForObject("SELECT state || ' ' || (expired_at IS NOT NULL) FROM prepaid_reservation "
                + "WHERE call_id = 'vanished'", String.class)).isEqualTo("COMMITTED true");
    }

    @Test
    void aCallReportingAfterItsReservationExpiredHoldsMoneyAgain() throws Exception {
        db.prepaid("carol", "per-second", "EUR", "5.00", "0");
        CallKey call = new CallKey("carol", "slow-interim");
        engine.authorize(new CallRequest(call, DE, NOON, 60)).join();
        assertThat(engine.releaseStale(NOON.plusSeconds(60).plus(GRACE).plusSeconds(1))).isEqualTo(1);
        Grant more = engine.reauthorize(new CallReport(call, 1, 400, NOON, NOON.plusSeconds(400), 0)).join();
        assertThat(more.result()).isEqualTo(Grant.Result.GRANTED);
        assertThat(more.seconds()).isEqualTo(100); // 5.00 buys 500 s in all
        assertThat(db.reserved("carol")).isEqualByComparingTo("5.00");
        engine.commit(new CallEnd(call, DE, 450, NOON, NOON.plusSeconds(450), "radius-stop")).join();
        assertThat(db.balance("carol")).isEqualByComparingTo("0.50");
    }

    @Test
    void theSweeperReleasesStaleReservationsByItselfAndReportsWhatIsHeld() {
        db.prepaid("dave", "per-second", "EUR", "3.00", "0");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PrepaidSettings fast = new PrepaidSettings(Duration.ofSeconds(300), Duration.ofSeconds(1), Duration.ZERO,
                Duration.ofMillis(100), 1, 100, 1000);
        try (PrepaidEngine sweeping = new PrepaidEngine(db.dataSource(), db.rating, fast, registry, java.time.Clock.systemUTC())) {
            Instant tenSecondsAgo = Instant.now().minusSeconds(10);
            sweeping.authorize(new CallRequest(new CallKey("dave", "gone"), DE, tenSecondsAgo, 5)).join();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(db.reserved("dave")).isEqualByComparingTo("0");
                assertThat(registry.get("tollgate.prepaid.stale.released").counter().count()).isEqualTo(1);
            });
            sweeping.authorize(new CallRequest(new CallKey("dave", "up"), DE, Instant.now(), 100)).join();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(registry.get("tollgate.prepaid.reserved")
                    .tag("currency", "EUR").gauge().value()).isGreaterThanOrEqualTo(1.00));
            sweeping.release(new CallKey("dave", "up"), Instant.now(), "test").join();
            assertThat(registry.get("tollgate.prepaid.authorizations").tag("step", "authorize").tag("result", "granted")
                    .counter().count()).isEqualTo(2);
        }
    }
}
