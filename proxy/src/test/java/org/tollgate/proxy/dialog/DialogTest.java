package org.tollgate.proxy.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class DialogTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @Test
    void keyIsSymmetricInTheTags() {
        assertThat(Dialog.key("c1", "a", "b")).isEqualTo(Dialog.key("c1", "b", "a"));
        assertThat(Dialog.key("c1", null, "b")).isEqualTo(Dialog.key("c1", "b", null));
        assertThat(Dialog.key("c1", "", "b")).isEqualTo(Dialog.key("c1", "b", null));
    }

    @Test
    void keyDistinguishesCallsAndTags() {
        assertThat(Dialog.key("c1", "a", "b")).isNotEqualTo(Dialog.key("c2", "a", "b"));
        assertThat(Dialog.key("c1", "a", "b")).isNotEqualTo(Dialog.key("c1", "a", "c"));
        // the separator keeps "ab"+"c" apart from "a"+"bc"
        assertThat(Dialog.key("c1", "ab", "c")).isNotEqualTo(Dialog.key("c1", "a", "bc"));
    }

    @Test
    void dialogKeyMatchesLookupFromEitherSide() {
        Dialog d = Dialogs.dialog("call-1", "caller", "callee", T0, T0.plusSeconds(60));
        assertThat(d.key()).isEqualTo(Dialog.key("call-1", "callee", "caller"));
        assertThat(d.key()).isEqualTo(Dialog.key("call-1", "caller", "callee"));
        assertThat(d.fromCaller("caller")).isTrue();
        assertThat(d.fromCaller("callee")).isFalse();
        assertThat(d.fromCaller(null)).isFalse();
    }

    @Test
    void sawCSeqKeepsTheHighestAndNextGoesAbove() {
        Dialog d = Dialogs.dialog("call-1", "caller", "callee", T0, T0.plusSeconds(60));
        assertThat(d.callerCSeq()).isEqualTo(1);
        assertThat(d.calleeCSeq()).isZero();

        d.sawCSeq(true, 5);
        d.sawCSeq(true, 3); // an older request does not lower it
        d.sawCSeq(false, 100);
        assertThat(d.callerCSeq()).isEqualTo(5);
        assertThat(d.calleeCSeq()).isEqualTo(100);

        assertThat(d.nextCSeq(true)).isEqualTo(6);
        assertThat(d.nextCSeq(true)).isEqualTo(7);
        assertThat(d.nextCSeq(false)).isEqualTo(101);
        d.sawCSeq(true, 6); // below what the proxy already used
        assertThat(d.nextCSeq(true)).isEqualTo(8);
    }

    @Test
    void endIsTrueOnlyOnce() {
        Dialog d = Dialogs.dialog("call-1", "caller", "callee", T0, T0.plusSeconds(60));
        assertThat(d.ended()).isFalse();
        assertThat(d.end()).isTrue();
        assertThat(d.ended()).isTrue();
        assertThat(d.end()).isFalse();
        assertThat(d.end()).isFalse();
    }

    @Test
    void endIsTrueOnlyOnceUnderContention() throws Exception {
        Dialog d = Dialogs.dialog("call-1", "caller", "callee", T0, T0.plusSeconds(60));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<Boolean> results = new ConcurrentLinkedQueue<>();
        try {
            for (int i = 0; i < 8; i++) {
                pool.execute(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    results.add(d.end());
                });
            }
            go.countDown();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(results).hasSize(8).containsOnlyOnce(true);
    }

    @Test
    void refreshedMovesTheExpiry() {
        Dialog d = Dialogs.dialog("call-1", "caller", "callee", T0, T0.plusSeconds(60));
        d.refreshed(T0.plusSeconds(30), 90, T0.plusSeconds(120));
        assertThat(d.lastRefresh()).isEqualTo(T0.plusSeconds(30));
        assertThat(d.interval()).isEqualTo(90);
        assertThat(d.expiresAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(d.secondsSinceAnswer(T0.plusSeconds(75))).isEqualTo(75);
        assertThat(d.routeSet()).isEqualTo(List.of("<sip:192.0.2.1;lr>"));
    }

    @Test
    void aRefreshNeverTakesTheCallPastItsDeadline() {
        Instant deadline = T0.plusSeconds(3600);
        Dialog d = Dialogs.dialog("c1", "a", "b", T0, T0.plusSeconds(1800), deadline);
        assertThat(d.expiresAt()).isEqualTo(T0.plusSeconds(1800));
        d.refreshed(T0.plusSeconds(1700), 1800, T0.plusSeconds(3500));
        assertThat(d.expiresAt()).isEqualTo(T0.plusSeconds(3500));
        d.refreshed(T0.plusSeconds(3400), 1800, T0.plusSeconds(5200));
        assertThat(d.expiresAt()).as("capped at the deadline").isEqualTo(deadline);
        assertThat(Dialogs.dialog("c2", "a", "b", T0, T0.plusSeconds(7200), deadline).expiresAt()).isEqualTo(deadline);
        assertThat(Dialogs.dialog("c3", "a", "b", T0, T0.plusSeconds(7200)).expiresAt())
                .as("no deadline: the session timer alone").isEqualTo(T0.plusSeconds(7200));
    }

    @Test
    void aPrepaidCallEndsWithItsGrantUnlessItsDeadlineComesFirst() {
        Dialog d = Dialogs.dialog("c4", "a", "b", T0, T0.plusSeconds(1800), T0.plusSeconds(3600));
        PrepaidCall p = new PrepaidCall("101@example.com", null,
                new org.tollgate.proxy.aaa.CallAuthorization("c4", "sip:0049@example.com", 0, true), 300, true);
        p.answered(T0);
        d.prepaid(p);
        assertThat(d.expiresAt()).isEqualTo(T0.plusSeconds(300));
        assertThat(d.deadline()).as("written with the dialog: a restored call ends with its grant").isEqualTo(T0.plusSeconds(300));
        assertThat(d.grantEndsIt()).isTrue();
        p.granted(T0.plusSeconds(4000), 600, true);
        assertThat(d.expiresAt()).as("the session timer first").isEqualTo(T0.plusSeconds(1800));
        assertThat(d.deadline()).as("the longest duration before the grant").isEqualTo(T0.plusSeconds(3600));
        assertThat(d.grantEndsIt()).isFalse();
        p.last(T0.plusSeconds(900), PrepaidCall.Limit.CREDIT);
        assertThat(d.expiresAt()).isEqualTo(T0.plusSeconds(900));
        assertThat(p.renewable()).isFalse();
    }
}
