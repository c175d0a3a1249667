package org.tollgate.proxy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;

import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.header.RecordRouteHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.tollgate.proxy.acct.CallAccountant;
import org.tollgate.proxy.acct.CallLeg;
import org.tollgate.proxy.dialog.Dialog;
import org.tollgate.proxy.dialog.DialogRegistry;
import org.tollgate.proxy.dialog.PrepaidCall;
import org.tollgate.proxy.limits.CallLimits;
import org.tollgate.proxy.media.MediaRelay;
import org.tollgate.proxy.sip.Headers;
import org.tollgate.proxy.sip.Source;

/**
 * A call from the first INVITE to its end: accounted Failed when it is not answered, Start when it
 * is (its dialog kept from then on), Interim-Update on each session refresh, Stop when a BYE
 * ends it or its session timer runs out (the proxy then ends it with BYE to both sides).
 */
final class CallLifecycle implements ProxiedRequest.Listener {

    private final ProxySettings settings;
    private final DialogRegistry dialogs;
    private final CallAccountant acct;
    private final ProxyMetrics metrics;
    private final Clock clock;
    private final DialogEnder ender;
    private final CallLimits limits;
    private final PrepaidControl prepaid;
    private final MediaRelay media;

    CallLifecycle(ProxySettings settings, DialogRegistry dialogs, CallAccountant acct, ProxyMetrics metrics,
                  Clock clock, DialogEnder ender, CallLimits limits, PrepaidControl prepaid, MediaRelay media) {
        this.settings = settings;
        this.dialogs = dialogs;
        this.acct = acct;
        this.metrics = metrics;
        this.clock = clock;
        this.ender = ender;
        this.limits = limits;
        this.prepaid = prepaid;
        this.media = media;
        dialogs.onExpiry(this::sessionExpired);
    }

    /** The call leg of an INVITE about to be forwarded, billed to {@code billed}. */
    CallLeg leg(Request invite, Source src, String billed) {
        return acct.leg(invite, src, billed);
    }

    /** The proxy answered the INVITE itself with a failure (no contact, say): nothing was forwarded. */
    void refused(CallLeg leg, int code, String reason) {
        acct.failed(leg, null, code, reason, null);
        metrics.failed();
    }

    /** The caller cancelled the INVITE (answered 200 to its CANCEL). */
    void cancelled(CallLeg leg, Request cancel, Source src) {
        acct.cancel(leg, cancel, src, Response.OK);
    }

    @Override
    public void earlyMedia(ProxiedRequest pr, ProxiedRequest.Branch b, Response r) {
        acct.earlyMedia(pr.leg(), Headers.to(r).getTag(), r.getStatusCode(), b.target.toString());
    }

    @Override
    public void answered(ProxiedRequest pr, ProxiedRequest.Branch b, Response r, boolean first) {
        switch (pr.kind) {
            // a later 2xx of another fork is relayed (the caller BYEs it) but is not the call
            case INITIAL_INVITE -> {
                if (first && Headers.to(r).getTag() != null) {
                    confirmed(pr, b, r);
                } else if (first) {
                    limits.release(pr.leg().userName()); // a 2xx without a To tag opens no dialog
                }
            }
            case IN_DIALOG -> inDialogDone(pr, b, r.getStatusCode(), r);
            default -> { }
        }
    }

    @Override
    public void failed(ProxiedRequest pr, ProxiedRequest.Branch b, Response r) {
        int code = r.getStatusCode();
        String translated = b == null ? null : b.target.toString();
        switch (pr.kind) {
            case INITIAL_INVITE -> {
                acct.failed(pr.leg(), Headers.to(r).getTag(), code, r.getReasonPhrase(), translated);
                metrics.failed();
                limits.release(pr.leg().userName());
                if (pr.isRelayed()) {
                    media.delete(pr.leg().callId(), pr.leg().fromTag());
                }
            }
            case IN_DIALOG -> inDialogDone(pr, b, code, null);
            default -> acct.failedTransaction(pr.original, pr.source, code, null, translated);
        }
    }

    private void confirmed(ProxiedRequest pr, ProxiedRequest.Branch b, Response r) {
        CallLeg leg = pr.leg();
        String toTag = Headers.to(r).getTag();
        long interval = SessionTimers.seconds(r, "Session-Expires");
        Instant now = clock.instant();
        ContactHeader callerContact = (ContactHeader) pr.original.getHeader(ContactHeader.NAME);
        ContactHeader calleeContact = (ContactHeader) r.getHeader(ContactHeader.NAME);
        List<String> routeSet = new ArrayList<>();
        ListIterator<Header> rr = r.getHeaders(RecordRouteHeader.NAME);
        while (rr.hasNext()) {
            routeSet.add(((RecordRouteHeader) rr.next()).getAddress().toString());
        }
        Dialog d = new Dialog(leg, toTag, Headers.from(pr.original).getAddress().toString(),
                Headers.to(r).getAddress().toString(),
                callerContact == null ? null : callerContact.getAddress().getURI().toString(),
                calleeContact == null ? null : calleeContact.getAddress().getURI().toString(),
                routeSet, b.target.toString(), now, Headers.cseq(pr.original).getSeqNumber(), 0, now, interval,
                now.plus(interval > 0 ? Duration.ofSeconds(interval) : settings.dialogTimeout()),
                pr.maxSeconds > 0 ? now.plusSeconds(pr.maxSeconds) : null);
        if (dialogs.find(leg.callId(), leg.fromTag(), toTag) == null) {
            if (pr.prepaid != null) {
                pr.prepaid.answered(now);
                d.prepaid(pr.prepaid);
            }
            d.relayed(pr.isRelayed());
            dialogs.add(d);
            prepaid.answered(d);
        } else {
            limits.release(leg.userName()); // the call is counted once, by the dialog already there
        }
        acct.start(leg, toTag, r.getStatusCode(), b.target.toString(), interval);
        metrics.answered();
    }

    private void inDialogDone(ProxiedRequest pr, ProxiedRequest.Branch b, int code, Response ok) {
        Dialog d = pr.dialog;
        if (d == null) {
            // the request may have overtaken the dialog: a retransmitted 2xx relayed statelessly
            // let the caller ACK and BYE while the first 2xx was still being processed
            d = dialogs.find(Headers.callId(pr.original), Headers.from(pr.original).getTag(),
                    Headers.to(pr.original).getTag());
        }
        String method = pr.original.getMethod();
        String translated = b == null ? null : b.target.toString();
        if (method.equals(Request.BYE)) {
            // a BYE challenged (401/407) or refused otherwise will come again; the call goes on
            boolean ends = code < 300 || code == Response.REQUEST_TIMEOUT
                    || code == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST;
            if (d != null && ends && d.end()) {
                dialogs.remove(d);
                prepaid.ended(d);
                unrelay(d);
                limits.release(d.leg().userName());
                acct.stop(d.leg(), d.calleeTag(), pr.original, pr.source, code, translated, null,
                        d.secondsSinceAnswer(clock.instant()));
                metrics.ended();
            }
            return;
        }
        if (d != null && ok != null && (method.equals(Request.INVITE) || method.equals(Request.UPDATE))) {
            long interval = SessionTimers.seconds(ok, "Session-Expires");
            dialogs.refreshed(d, interval, settings.dialogTimeout());
            acct.interim(d.leg(), d.calleeTag(), pr.original, pr.source, code, translated, interval);
        } else if (ok == null && code >= 300) {
            acct.failedTransaction(pr.original, pr.source, code, null, translated);
        }
    }

    private void sessionExpired(Dialog d) {
        // the end of the last prepaid grant: Session-Timeout (RFC 2865 §5.27's end), saying why
        PrepaidCall p = d.prepaid();
        if (p != null && d.grantEndsIt() && !clock.instant().isBefore(p.grantEnd())) {
            if (end(d, "Session-Timeout", switch (p.limit()) {
                case CREDIT -> TerminateReasons.CREDIT_EXHAUSTED;
                case AAA_UNAVAILABLE -> TerminateReasons.AAA_UNAVAILABLE;
                case AAA_UNAVAILABLE_CAPPED -> TerminateReasons.AAA_UNAVAILABLE_CAP;
            })) {
                metrics.creditExhausted();
            }
            return;
        }
        if (end(d, "Session-Timeout", null)) {
            metrics.expired();
        }
    }

    /** An operator ends the call: BYE to both sides, Stop with Admin-Reset. False when it had ended already. */
    boolean endByOperator(Dialog d) {
        if (end(d, "Admin-Reset", null)) {
            metrics.endedByOperator();
            return true;
        }
        return false;
    }

    /**
     * The relay saw no media for its timeout: BYE to both sides, Stop with Idle-Timeout, the call
     * billed to {@code lastMedia}, its last packet. False when it had ended already.
     */
    boolean endByMediaTimeout(Dialog d, Instant lastMedia) {
        Instant at = lastMedia.isBefore(d.answeredAt()) ? d.answeredAt() : lastMedia;
        if (end(d, "Idle-Timeout", TerminateReasons.MEDIA_TIMEOUT, at)) {
            metrics.mediaTimeout();
            return true;
        }
        return false;
    }

    /** {@code reason}: what Tollgate-Terminate-Reason says besides the cause, or null. */
    private boolean end(Dialog d, String cause, String reason) {
        return end(d, cause, reason, clock.instant());
    }

    private boolean end(Dialog d, String cause, String reason, Instant at) {
        if (!d.end()) {
            return false;
        }
        dialogs.remove(d);
        prepaid.ended(d);
        unrelay(d);
        limits.release(d.leg().userName());
        ender.end(d, cause, reason, at);
        return true;
    }

    /** A call that went through the media relay leaves it; no command for one that never did. */
    private void unrelay(Dialog d) {
        if (d.relayed()) {
            media.delete(d.leg().callId(), d.leg().fromTag());
        }
    }
}
