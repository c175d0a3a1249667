package org.tollgate.diameter.cc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.jdiameter.client.api.IMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.api.Money;
import org.tollgate.api.prepaid.CallEnd;
import org.tollgate.api.prepaid.CallKey;
import org.tollgate.api.prepaid.CallReport;
import org.tollgate.api.prepaid.CallRequest;
import org.tollgate.api.prepaid.Grant;
import org.tollgate.api.prepaid.PrepaidEnquiries;
import org.tollgate.api.prepaid.PrepaidService;
import org.tollgate.api.prepaid.Settlement;
import org.tollgate.api.rating.Quote;
import org.tollgate.diameter.Answers;
import org.tollgate.diameter.BadRequest;
import org.tollgate.diameter.DiameterMetrics;
import org.tollgate.diameter.RequestHandler;

/**
 * Credit-Control (RFC 4006), answered by the prepaid engine RADIUS prepaid uses, so one
 * account's money is shared safely whichever protocol asks. A call is the pair (account,
 * Session-Id). CCR-Initial reserves and grants, CCR-Update reports the use since the last
 * report and is granted again, CCR-Terminate debits and releases; CCR-Event debits directly,
 * refunds, checks the balance or tells a price.
 *
 * <p>Idempotent on (Session-Id, CC-Request-Number): the engine answers a report number or an end
 * it has seen with the answer it gave, so a retransmission is never debited twice, whatever
 * jDiameter's duplicate detection saw. Tcc is twice the Validity-Time; a session silent that long
 * is released and flagged EXPIRED by the engine, and its late CCR-Terminate is still debited once.
 */
public final class CreditControlRequests implements RequestHandler {

    private static final Logger log = LoggerFactory.getLogger(CreditControlRequests.class);

    private final PrepaidService prepaid;
    private final PrepaidEnquiries enquiries;
    private final CcAnswers ccas;
    private final Answers answers;
    private final DiameterMetrics metrics;
    private final Clock clock;
    private final Duration validityTime;
    private final Executor blocking;
    private final CcSessions sessions;

    /**
     * @param validityTime the Validity-Time of a grant (zero: the grant's length); Tcc is twice it
     * @param blocking     where the enquiries (CCR-Event balance, price, refund) run
     */
    public CreditControlRequests(PrepaidService prepaid, PrepaidEnquiries enquiries, Answers answers,
                                 DiameterMetrics metrics, Clock clock, Duration validityTime, Executor blocking,
                                 ScheduledExecutorService timers) {
        this.prepaid = prepaid;
        this.enquiries = enquiries;
        this.ccas = new CcAnswers(answers);
        this.answers = answers;
        this.metrics = metrics;
        this.clock = clock;
        this.validityTime = validityTime;
        this.blocking = blocking;
        this.sessions = new CcSessions(timers, this::silent, Duration.ofMinutes(10));
        metrics.registry().gauge("tollgate_diameter_cc_sessions", sessions, CcSessions::open);
    }

    @Override
    public IMessage handle(IMessage r) {
        Ccr ccr;
        try {
            ccr = Ccr.read(r);
        } catch (BadRequest bad) {
            return sent("ccr", answers.refuse(r, bad));
        }
        Instant now = clock.instant();
        switch (ccr.type()) {
            case INITIAL -> initial(r, ccr, now);
            case UPDATE -> update(r, ccr, now);
            case TERMINATION -> terminate(r, ccr, now);
            case EVENT -> event(r, ccr, now);
        }
        return null;
    }

    private void initial(IMessage r, Ccr ccr, Instant now) {
        CallKey call = new CallKey(ccr.account(), ccr.callId());
        prepaid.authorize(new CallRequest(call, ccr.destination(), now, Math.max(0, ccr.requestedSeconds())))
                .handle((g, failure) -> {
                    Grant grant = orUnavailable(g, failure);
                    if (grant.granted()) {
                        CcSessions.Session s = sessions.open(ccr.sessionId(), ccr.callId(), ccr.account(),
                                ccr.destination());
                        sessions.supervise(s, tcc(grant));
                    }
                    return reply(r, "ccr-initial", ccas.grant(r, grant, validity(grant)));
                });
    }

    private void update(IMessage r, Ccr ccr, Instant now) {
        CcSessions.Session s = sessions.get(ccr.sessionId());
        String account = s != null ? s.account : ccr.account();
        if (account == null || ccr.number() < 1) {
            reply(r, "ccr-update", answers.error(r, CcAnswers.UNKNOWN_SESSION_ID, null,
                    "no Credit-Control session " + ccr.sessionId()));
            return;
        }
        CallReport report = new CallReport(new CallKey(account, s != null ? s.callId : ccr.callId()),
                (int) Math.min(Integer.MAX_VALUE, ccr.number()), Math.max(0, ccr.usedSeconds()), null, now,
                Math.max(0, ccr.requestedSeconds()), true);
        prepaid.reauthorize(report).handle((g, failure) -> {
            Grant grant = orUnavailable(g, failure);
            if (grant.granted() && s != null) {
                sessions.supervise(s, tcc(grant));
            }
            return reply(r, "ccr-update", ccas.grant(r, grant, validity(grant)));
        });
    }

    private void terminate(IMessage r, Ccr ccr, Instant now) {
        CcSessions.Session s = sessions.get(ccr.sessionId());
        String account = s != null ? s.account : ccr.account();
        if (account == null) {
            reply(r, "ccr-terminate", answers.error(r, CcAnswers.UNKNOWN_SESSION_ID, null,
                    "no Credit-Control session " + ccr.sessionId()));
            return;
        }
        if (s != null) {
            sessions.end(s);
        }
        String destination = s != null ? s.destination : ccr.destination();
        prepaid.commit(new CallEnd(new CallKey(account, s != null ? s.callId : ccr.callId()), destination,
                Math.max(0, ccr.usedSeconds()), null, now, "ccr-terminate", true)).handle((settled, failure) -> {
                    long rc = settled == null ? Answers.TOO_BUSY : CcAnswers.resultCode(settled.result());
                    IMessage a = ccas.cca(r, rc);
                    if (settled != null && settled.debit() != null && rc == Answers.SUCCESS) {
                        CcAnswers.cost(a, settled.debit(), "call");
                    }
                    return reply(r, "ccr-terminate", a);
                });
    }

    private void event(IMessage r, Ccr ccr, Instant now) {
        switch (ccr.action()) {
            case DIRECT_DEBITING -> directDebit(r, ccr, now);
            case CHECK_BALANCE -> CompletableFuture.runAsync(() -> checkBalance(r, ccr, now), blocking);
            case PRICE_ENQUIRY -> CompletableFuture.runAsync(() -> priceEnquiry(r, ccr, now), blocking);
            case REFUND_ACCOUNT -> CompletableFuture.runAsync(() -> refund(r, ccr, now), blocking);
        }
    }

    /**
     * RFC 4006 §6.3: authorize the Requested-Service-Unit's time, then debit it at once, as a call
     * of that length. Asked again for the same Session-Id, the call is over: its debit is answered.
     */
    private void directDebit(IMessage r, Ccr ccr, Instant now) {
        long seconds = ccr.requestedSeconds();
        if (seconds <= 0) {
            reply(r, "ccr-event", answers.missing(r, Ccr.REQUESTED_SERVICE_UNIT,
                    "direct debiting needs Requested-Service-Unit with CC-Time"));
            return;
        }
        CallKey call = new CallKey(ccr.account(), ccr.callId());
        CallEnd debit = new CallEnd(call, ccr.destination(), seconds, now, now, "ccr-event");
        prepaid.authorize(new CallRequest(call, ccr.destination(), now, seconds)).handle((g, failure) -> {
            Grant grant = orUnavailable(g, failure);
            if (grant.result() == Grant.Result.UNKNOWN_CALL) {
                // a retransmission: the call is over, the commit answers its debit without a second one
                prepaid.commit(debit).handle((settled, f2) -> debited(r, settled, seconds));
                return null;
            }
            if (!grant.granted()) {
                return reply(r, "ccr-event", ccas.grant(r, grant, 0));
            }
            if (grant.seconds() < seconds) {
                // not all of it is paid for: nothing is debited
                prepaid.release(call, now, "ccr-event");
                return reply(r, "ccr-event", ccas.cca(r, CcAnswers.CREDIT_LIMIT_REACHED));
            }
            prepaid.commit(debit).handle((settled, f2) -> debited(r, settled, seconds));
            return null;
        });
    }

    private Void debited(IMessage r, Settlement settled, long seconds) {
        long rc = settled == null ? Answers.TOO_BUSY : CcAnswers.resultCode(settled.result());
        IMessage a = ccas.cca(r, rc);
        if (rc == Answers.SUCCESS) {
            CcAnswers.grantedSeconds(a, seconds);
            if (settled.debit() != null) {
                CcAnswers.cost(a, settled.debit(), seconds + " s");
            }
        }
        return reply(r, "ccr-event", a);
    }

    private void checkBalance(IMessage r, Ccr ccr, Instant now) {
        try {
            Optional<Money> available = enquiries.available(ccr.account());
            if (available.isEmpty()) {
                reply(r, "ccr-event", ccas.cca(r, CcAnswers.USER_UNKNOWN));
                return;
            }
            Quote price = enquiries.price(ccr.account(), ccr.destination(), now, Math.max(1, ccr.requestedSeconds()));
            if (!price.rated()) {
                reply(r, "ccr-event", ccas.cca(r, CcAnswers.RATING_FAILED));
                return;
            }
            IMessage a = ccas.cca(r, Answers.SUCCESS);
            boolean enough = available.get().amount().compareTo(price.cost()) >= 0;
            a.getAvps().addAvp(CcAnswers.CHECK_BALANCE_RESULT, enough ? 0 : 1, true, false);
            reply(r, "ccr-event", a);
        } catch (RuntimeException e) {
            unavailable(r, e);
        }
    }

    private void priceEnquiry(IMessage r, Ccr ccr, Instant now) {
        try {
            long seconds = ccr.requestedSeconds() > 0 ? ccr.requestedSeconds() : 60;
            Quote price = enquiries.price(ccr.account(), ccr.destination(), now, seconds);
            if (!price.rated()) {
                reply(r, "ccr-event", ccas.cca(r, CcAnswers.RATING_FAILED));
                return;
            }
            IMessage a = ccas.cca(r, Answers.SUCCESS);
            CcAnswers.cost(a, price.price(), seconds + " s");
            reply(r, "ccr-event", a);
        } catch (RuntimeException e) {
            unavailable(r, e);
        }
    }

    /** The price of the Requested-Service-Unit's time to the destination, credited once per Session-Id. */
    private void refund(IMessage r, Ccr ccr, Instant now) {
        if (ccr.requestedSeconds() <= 0 || ccr.destination() == null) {
            reply(r, "ccr-event", answers.missing(r, Ccr.REQUESTED_SERVICE_UNIT,
                    "a refund needs Requested-Service-Unit (CC-Time) and Called-Station-Id to price it"));
            return;
        }
        try {
            Quote price = enquiries.price(ccr.account(), ccr.destination(), now, ccr.requestedSeconds());
            if (!price.rated()) {
                reply(r, "ccr-event", ccas.cca(r, CcAnswers.RATING_FAILED));
                return;
            }
            Settlement s = enquiries.refund(ccr.account(), price.price(), "ccr-refund/" + ccr.callId(),
                    ccr.requestedSeconds() + " s to " + ccr.destination() + " (Diameter REFUND_ACCOUNT)");
            IMessage a = ccas.cca(r, Answers.SUCCESS);
            CcAnswers.cost(a, s.debit(), ccr.requestedSeconds() + " s");
            reply(r, "ccr-event", a);
        } catch (IllegalArgumentException e) {
            reply(r, "ccr-event", answers.error(r, CcAnswers.USER_UNKNOWN, null, e.getMessage()));
        } catch (RuntimeException e) {
            unavailable(r, e);
        }
    }

    private void silent(CcSessions.Session s) {
        metrics.ccSessionExpired();
        log.warn("Credit-Control session {} of {}: no CCR-Update or -Terminate within Tcc; its money released, "
                + "the call flagged EXPIRED (a late CCR-Terminate is still debited)", s.id, s.account);
        prepaid.expire(new CallKey(s.account, s.callId), clock.instant());
    }

    private long validity(Grant g) {
        long configured = validityTime.toSeconds();
        return configured > 0 ? Math.min(configured, Math.max(1, g.seconds())) : Math.max(1, g.seconds());
    }

    private Duration tcc(Grant g) {
        return Duration.ofSeconds(2 * validity(g));
    }

    private static Grant orUnavailable(Grant g, Throwable failure) {
        return g != null ? g : Grant.refused(Grant.Result.UNAVAILABLE, "prepaid engine failed: " + failure);
    }

    private void unavailable(IMessage r, RuntimeException e) {
        log.warn("CCR-Event {} failed: {}", r.getSessionId(), e.toString());
        reply(r, "ccr-event", answers.error(r, Answers.TOO_BUSY, null, "try again"));
    }

    private Void reply(IMessage r, String command, IMessage answer) {
        answers.send(r, sent(command, answer));
        return null;
    }

    private IMessage sent(String command, IMessage answer) {
        metrics.answered(command, answer);
        return answer;
    }
}
