package org.tollgate.proxy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.proxy.aaa.CallAuthorization;
import org.tollgate.proxy.aaa.DigestVerdict;
import org.tollgate.proxy.aaa.SubscriberAuthority;
import org.tollgate.proxy.dialog.Dialog;
import org.tollgate.proxy.dialog.DialogRegistry;
import org.tollgate.proxy.dialog.PrepaidCall;

/**
 * Keeps answered prepaid calls inside their money, as cnxcc and call_control do, over RADIUS: before
 * a grant runs out the proxy asks again with the seconds used (the call's first Access-Request,
 * with Acct-Session-Time); a new grant moves the call's end, an Accept without Termination-Action
 * is the last grant, a Reject leaves the call to end with its current grant. The dialog's timer
 * ends the call at its grant's end ({@link CallLifecycle}). A re-authorization no server answers
 * is handled as {@link ProxySettings.FailureHandling} says.
 */
final class PrepaidControl {

    private static final Logger log = LoggerFactory.getLogger(PrepaidControl.class);

    private final SubscriberAuthority authority;
    private final ProxySettings.Prepaid settings;
    private final DialogRegistry dialogs;
    private final ScheduledExecutorService timers;
    private final ProxyMetrics metrics;
    private final Clock clock;

    PrepaidControl(SubscriberAuthority authority, ProxySettings.Prepaid settings, DialogRegistry dialogs,
                   ScheduledExecutorService timers, ProxyMetrics metrics, Clock clock) {
        this.authority = authority;
        this.settings = settings;
        this.dialogs = dialogs;
        this.timers = timers;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The call was answered (its first grant armed from the answer): the next is asked for before it ends. */
    void answered(Dialog d) {
        PrepaidCall p = d.prepaid();
        if (p != null) {
            schedule(d, p);
        }
    }

    /** The call ended: no more asking. */
    void ended(Dialog d) {
        PrepaidCall p = d.prepaid();
        if (p != null) {
            p.cancel();
        }
    }

    private void schedule(Dialog d, PrepaidCall p) {
        if (!p.renewable() || d.ended()) {
            return;
        }
        // ahead by reauthorize-before, but never before half the grant has been used
        long lead = Math.min(settings.reauthorizeBefore().toMillis(), p.lastGrant() * 500);
        long delay = Math.max(0, Duration.between(clock.instant(), p.grantEnd()).toMillis() - lead);
        p.reauthorization(timers.schedule(() -> reauthorize(d, p), delay, TimeUnit.MILLISECONDS));
    }

    private void reauthorize(Dialog d, PrepaidCall p) {
        if (d.ended()) {
            return;
        }
        long used = d.secondsSinceAnswer(clock.instant());
        CallAuthorization q = p.call().used(used, settings.failureHandling() != ProxySettings.FailureHandling.TERMINATE);
        CompletionStage<DigestVerdict> asked;
        try {
            asked = p.credentials() != null ? authority.verifyDigest(p.credentials(), q) : authority.authorizeCall(p.user(), q);
        } catch (RuntimeException e) {
            asked = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        asked.whenComplete((v, err) -> {
            try {
                answer(d, p, q.usedSeconds(), err == null ? v : DigestVerdict.noServer());
            } catch (RuntimeException e) {
                log.warn("re-authorization of {} failed: {}", d.leg().callId(), e.toString());
            }
        });
    }

    private void answer(Dialog d, PrepaidCall p, long used, DigestVerdict v) {
        if (d.ended()) {
            return;
        }
        if (v.undecided()) {
            metrics.reauthorization("no_server");
            if (settings.failureHandling() == ProxySettings.FailureHandling.CONTINUE) {
                Instant cap = d.answeredAt().plus(settings.failureMaxDuration());
                p.last(cap.isAfter(p.grantEnd()) ? cap : p.grantEnd(), PrepaidCall.Limit.AAA_UNAVAILABLE_CAPPED);
                log.warn("no AAA server answered the re-authorization of {}: it goes on until {} (failure handling continue)",
                        d.leg().callId(), p.grantEnd());
            } else {
                p.last(p.grantEnd(), PrepaidCall.Limit.AAA_UNAVAILABLE);
                log.warn("no AAA server answered the re-authorization of {}: it ends with its grant at {}",
                        d.leg().callId(), p.grantEnd());
            }
            dialogs.moved(d);
            return;
        }
        long seconds = v.prepaidSeconds();
        if (!v.accepted()) {
            metrics.reauthorization("refused");
            p.last(p.grantEnd(), PrepaidCall.Limit.CREDIT);
        } else if (seconds < 0) {
            // accepted without a grant: the account is no longer prepaid, its calls are not limited by money
            metrics.reauthorization("postpaid");
            p.lifted();
        } else {
            // the grant counts from the seconds reported: the call may last used + granted
            metrics.reauthorization(v.renewable() ? "granted" : "last");
            p.granted(d.answeredAt().plusSeconds(used + seconds), seconds, v.renewable());
        }
        dialogs.moved(d);
        schedule(d, p);
    }
}
