package org.tollgate.aaa.radius.prepaid;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.aaa.radius.server.RadiusMetrics;
import org.tollgate.api.AccountingEvent;
import org.tollgate.api.AccountingStatus;
import org.tollgate.api.prepaid.CallEnd;
import org.tollgate.api.prepaid.CallKey;
import org.tollgate.api.prepaid.CallReport;
import org.tollgate.api.prepaid.Grant;
import org.tollgate.api.prepaid.PrepaidAccountNames;
import org.tollgate.api.prepaid.PrepaidService;
import org.tollgate.api.prepaid.Settlement;

/**
 * Accounting of prepaid calls, told to the prepaid engine once the record is durable and the NAS
 * has its answer (never before, never holding it up): Interim-Update reports the seconds used and
 * holds money for more; Stop debits the call's price, or — 0 s, or the acc module's Failed —
 * releases it. A postpaid record costs one look-up in memory ({@link PrepaidAccountNames}).
 *
 * <p>The seconds used are Acct-Session-Time; a Stop without it (Kamailio's acc sends none) is
 * timed from the call's Start as the CDR engine times it. The paying account is the record's
 * User-Name, as for the CDR's billing party. Of a Cisco gateway's legs only the outgoing one
 * ({@code h323-call-origin=originate}) is the call: the incoming leg also counts the IVR's time.
 *
 * <p>A step the engine cannot take now (database down) is not retried here: the record is stored,
 * the engine's sweeper releases the reservation after its grant and grace, and the nightly CDR
 * run settles the call from its CDR — debited once, whichever comes first.
 */
public final class PrepaidAccounting {

    private static final Logger log = LoggerFactory.getLogger(PrepaidAccounting.class);

    private final PrepaidService prepaid;
    private final PrepaidAccountNames accounts;
    private final CallStarts starts;
    private final RadiusMetrics metrics;

    public PrepaidAccounting(PrepaidService prepaid, PrepaidAccountNames accounts, CallStarts starts,
                             RadiusMetrics metrics) {
        this.prepaid = prepaid;
        this.accounts = accounts;
        this.starts = starts;
        this.metrics = metrics;
    }

    /** A record is durable and answered: tell the engine if it is a prepaid call's. Never throws. */
    public void stored(AccountingEvent e) {
        AccountingStatus status = e.status();
        if (status != AccountingStatus.STOP && status != AccountingStatus.INTERIM_UPDATE
                && status != AccountingStatus.FAILED && status != AccountingStatus.START) {
            return;
        }
        String user = e.userName();
        if (user == null || !accounts.isPrepaid(user)) {
            return; // the postpaid hot path ends here
        }
        try {
            prepaidCall(e, user);
        } catch (RuntimeException ex) {
            metrics.prepaid(step(status), "error");
            log.warn("prepaid accounting of a {} record for {} failed: {}", status, user, ex.toString());
        }
    }

    private void prepaidCall(AccountingEvent e, String user) {
        List<String> confIds = new ArrayList<>(1);
        List<String> avPairs = new ArrayList<>(1);
        String origin = null;
        for (AccountingEvent.Attribute a : e.attributes()) {
            switch (a.name()) {
                case "h323-conf-id" -> confIds.add(a.value());
                case "Cisco-AVPair" -> avPairs.add(a.value());
                case "h323-call-origin" -> origin = CallIds.valueOf("h323-call-origin", a.value());
                default -> { }
            }
        }
        if (origin != null && !origin.equalsIgnoreCase("originate")) {
            return; // a Cisco gateway's incoming leg: its outgoing leg is the call
        }
        Optional<String> callId = CallIds.callId(confIds, avPairs, e.acctSessionId());
        if (callId.isEmpty()) {
            return;
        }
        CallKey call = new CallKey(user, callId.get());
        switch (e.status()) {
            case START -> starts.started(call, e.eventTime());
            case FAILED -> {
                starts.ended(call);
                track("release", prepaid.release(call, e.receivedAt(), "radius-failed").thenApply(Settlement::result));
            }
            case INTERIM_UPDATE -> {
                Timing t = timing(e, call);
                if (t == null) {
                    metrics.prepaid("interim", "untimed");
                    return;
                }
                track("interim", prepaid.reauthorize(new CallReport(call, PrepaidAuthorization.sequence(t.used),
                        t.used, t.answeredAt, e.receivedAt(), 0)).thenApply(Grant::result));
            }
            case STOP -> {
                Timing t = timing(e, call);
                starts.ended(call);
                if (t == null) {
                    // no duration and no Start seen here: the nightly CDR settles it
                    metrics.prepaid("stop", "untimed");
                    return;
                }
                String destination = e.calledStationId() == null || e.calledStationId().isBlank() ? null
                        : e.calledStationId().trim();
                CallEnd end = t.used == 0 ? new CallEnd(call, destination, 0, null, e.receivedAt(), "radius-stop")
                        : new CallEnd(call, destination, t.used, t.answeredAt, e.receivedAt(), "radius-stop");
                track(t.used == 0 ? "release" : "stop", prepaid.commit(end).thenApply(Settlement::result));
            }
            default -> { }
        }
    }

    /** How long the call has lasted, and since when. */
    private record Timing(long used, Instant answeredAt) { }

    private Timing timing(AccountingEvent e, CallKey call) {
        Instant started = starts.startOf(call);
        if (e.sessionTime() != null) {
            long used = e.sessionTime();
            return new Timing(used, started != null ? started : e.eventTime().minusSeconds(used));
        }
        if (started == null) {
            return null;
        }
        long ms = java.time.Duration.between(started, e.eventTime()).toMillis();
        return new Timing(ms <= 0 ? 0 : (ms + 999) / 1000, started); // started seconds, as the CDR counts them
    }

    private void track(String step, CompletableFuture<Grant.Result> result) {
        result.whenComplete((r, failure) -> {
            String outcome = r != null ? r.name().toLowerCase() : "error";
            metrics.prepaid(step, outcome);
            if (failure != null || "unavailable".equals(outcome)) {
                log.debug("prepaid {} not applied now ({}); the sweeper and the nightly settlement cover it", step,
                        failure != null ? failure.toString() : outcome);
            }
        });
    }

    private static String step(AccountingStatus s) {
        return switch (s) {
            case STOP -> "stop";
            case INTERIM_UPDATE -> "interim";
            case FAILED -> "release";
            default -> "start";
        };
    }
}
