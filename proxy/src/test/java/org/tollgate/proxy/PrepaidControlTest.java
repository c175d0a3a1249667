package org.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tollgate.proxy.aaa.CallAuthorization;
import org.tollgate.proxy.aaa.DigestCheck;
import org.tollgate.proxy.aaa.DigestVerdict;
import org.tollgate.proxy.aaa.SubscriberAuthority;
import org.tollgate.proxy.acct.CallLeg;
import org.tollgate.proxy.dialog.Dialog;
import org.tollgate.proxy.dialog.DialogRegistry;
import org.tollgate.proxy.dialog.DialogStore;
import org.tollgate.proxy.dialog.PrepaidCall;
import org.tollgate.proxy.testutil.MutableClock;

/**
 * Re-authorization of an answered prepaid call: what is asked (the caller's credentials again, the
 * seconds used, which servers) and what each answer does to the call's end. The clock stands past
 * the point where the proxy asks again, so it asks at once.
 */
class PrepaidControlTest {

    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    static final DigestCheck CREDENTIALS = new DigestCheck("101", "example.com", "n1", "sip:example.com", "INVITE",
            "0123456789abcdef0123456789abcdef", "auth", "c1", "00000001", "MD5", "101");
    static final CallAuthorization CALL = new CallAuthorization("c-1", "sip:0049301234@example.com", 0, true);

    private final MutableClock clock = new MutableClock(T0.plusSeconds(25));
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final DialogRegistry dialogs = new DialogRegistry(new NoStore(), clock, Duration.ofHours(1));
    private final Authority authority = new Authority();

    @AfterEach
    void stop() {
        timers.shutdownNow();
        dialogs.close();
    }

    @Test
    void aNewGrantMovesTheEndAndTheNextReauthorizationIsArmed() {
        authority.answers.add(grant(30, true));
        PrepaidCall p = answered(control(ProxySettings.FailureHandling.TERMINATE), CREDENTIALS);

        awaitUntil(() -> p.grantEnd().equals(T0.plusSeconds(55)));
        CallAuthorization asked = authority.asked.get(0);
        assertThat(asked.usedSeconds()).as("the seconds used so far").isEqualTo(25);
        assertThat(asked.callId()).isEqualTo("c-1");
        assertThat(asked.allServers()).as("terminate asks the server in use only").isFalse();
        assertThat(authority.credentials).containsExactly(CREDENTIALS);
        assertThat(p.renewable()).isTrue();
        awaitUntil(() -> timers.getQueue().size() == 1); // the next one armed
    }

    @Test
    void theLastGrantIsNotRenewedAndEndsTheCallWithIt() {
        authority.answers.add(new DigestVerdict(true, false, List.of("session_timeout#4"), null, 4, false));
        PrepaidCall p = answered(control(ProxySettings.FailureHandling.RETRY_AND_TERMINATE), null);

        awaitUntil(() -> !p.renewable());
        assertThat(p.grantEnd()).isEqualTo(T0.plusSeconds(29));
        assertThat(p.limit()).isEqualTo(PrepaidCall.Limit.CREDIT);
        assertThat(authority.users).as("a trusted caller: asked without credentials").containsExactly("101@example.com");
        assertThat(authority.asked.get(0).allServers()).isTrue();
        assertThat(timers.getQueue()).isEmpty();
    }

    @Test
    void aRefusalLeavesTheCurrentGrant() {
        authority.answers.add(new DigestVerdict(false, false, List.of(), "insufficient credit: 0.00 EUR", 0, false));
        PrepaidCall p = answered(control(ProxySettings.FailureHandling.TERMINATE), CREDENTIALS);

        awaitUntil(() -> !p.renewable());
        assertThat(p.grantEnd()).isEqualTo(T0.plusSeconds(30));
        assertThat(p.limit()).isEqualTo(PrepaidCall.Limit.CREDIT);
    }

    @Test
    void noServerEndsTheCallWithItsGrantOrLetsItGoOnToTheFailureMaximum() {
        authority.answers.add(DigestVerdict.noServer());
        PrepaidCall ended = answered(control(ProxySettings.FailureHandling.TERMINATE), CREDENTIALS);
        awaitUntil(() -> !ended.renewable());
        assertThat(ended.grantEnd()).isEqualTo(T0.plusSeconds(30));
        assertThat(ended.limit()).isEqualTo(PrepaidCall.Limit.AAA_UNAVAILABLE);

        authority.answers.add(new DigestVerdict(false, false, List.of(), "temporarily unavailable", 0, false));
        PrepaidCall carriedOn = answered(control(ProxySettings.FailureHandling.CONTINUE), CREDENTIALS);
        awaitUntil(() -> !carriedOn.renewable());
        assertThat(carriedOn.grantEnd()).as("failure-max-duration from the answer").isEqualTo(T0.plusSeconds(600));
        assertThat(carriedOn.limit()).isEqualTo(PrepaidCall.Limit.AAA_UNAVAILABLE_CAPPED);
    }

    private PrepaidControl control(ProxySettings.FailureHandling handling) {
        ProxySettings.Prepaid settings = new ProxySettings.Prepaid(Duration.ofSeconds(10), handling,
                Duration.ofMinutes(10), false);
        return new PrepaidControl(authority, settings, dialogs, timers,
                new ProxyMetrics(new SimpleMeterRegistry(), dialogs::size), clock);
    }

    /** A call answered at T0 with a renewable 30 s grant, handed to {@code control}. */
    private PrepaidCall answered(PrepaidControl control, DigestCheck credentials) {
        String callId = "c-" + authority.asked.size() + "-" + System.nanoTime();
        CallLeg leg = new CallLeg(callId, "sip:101@example.com", "a", "sip:0049301234@example.com", "1",
                "101@example.com", "192.0.2.10", 5060, List.of(), List.of(), null);
        Dialog d = new Dialog(leg, "b", "<sip:101@example.com>;tag=a", "<sip:0049301234@example.com>;tag=b",
                "sip:101@192.0.2.10", "sip:gw@198.51.100.7", List.of(), "sip:gw@198.51.100.7", T0, 1, 0, T0, 0,
                T0.plusSeconds(3600), null);
        PrepaidCall p = new PrepaidCall("101@example.com", credentials, CALL, 30, true);
        p.answered(T0);
        d.prepaid(p);
        dialogs.add(d);
        control.answered(d);
        return p;
    }

    private static DigestVerdict grant(long seconds, boolean renewable) {
        return new DigestVerdict(true, false, List.of("session_timeout#" + seconds), null, seconds, renewable);
    }

    private static void awaitUntil(BooleanSupplier done) {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(until);
            Thread.onSpinWait();
        }
    }

    /** Answers each request with the next queued verdict and remembers what was asked. */
    static final class Authority implements SubscriberAuthority {
        final Queue<DigestVerdict> answers = new ArrayDeque<>();
        final List<CallAuthorization> asked = new CopyOnWriteArrayList<>();
        final List<DigestCheck> credentials = new CopyOnWriteArrayList<>();
        final List<String> users = new CopyOnWriteArrayList<>();

        @Override
        public synchronized CompletionStage<DigestVerdict> verifyDigest(DigestCheck check, CallAuthorization call) {
            credentials.add(check);
            asked.add(call);
            return CompletableFuture.completedFuture(answers.remove());
        }

        @Override
        public synchronized CompletionStage<DigestVerdict> authorizeCall(String user, CallAuthorization call) {
            users.add(user);
            asked.add(call);
            return CompletableFuture.completedFuture(answers.remove());
        }

        @Override
        public CompletionStage<Boolean> isMember(String user, String group) {
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public void close() {
        }
    }

    static final class NoStore implements DialogStore {
        @Override
        public void write(Collection<Dialog> upserts, Collection<Dialog> deletes) {
        }

        @Override
        public List<Dialog> load() {
            return List.of();
        }
    }
}
