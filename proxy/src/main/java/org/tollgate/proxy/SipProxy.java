package org.tollgate.proxy;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.proxy.ProxiedRequest.Kind;
import org.tollgate.proxy.aaa.SubscriberAuthority;
import org.tollgate.proxy.acct.CallAccountant;
import org.tollgate.proxy.acct.CallLeg;
import org.tollgate.proxy.auth.DigestAuthenticator;
import org.tollgate.proxy.auth.DigestAuthenticator.Outcome;
import org.tollgate.proxy.dialog.Dialog;
import org.tollgate.proxy.dialog.DialogRegistry;
import org.tollgate.proxy.relay.DialogTokens;
import org.tollgate.proxy.relay.InDialogRelay;
import org.tollgate.proxy.routing.Router;
import org.tollgate.proxy.routing.Router.Decision;
import org.tollgate.proxy.sip.Headers;
import org.tollgate.proxy.sip.MalformedRequests;
import org.tollgate.proxy.sip.SipEndpoint;
import org.tollgate.proxy.sip.Source;

import gov.nist.javax.sip.message.SIPMessage;

/**
 * The proxy's request logic, the Kamailio tutorial's route block in Java: sanity checks,
 * suspended users, registrar, digest authentication of local callers, group checks for
 * other domains and PSTN, routing, loose routing of in-dialog requests, CANCEL and ACK.
 */
public final class SipProxy implements SipListener {

    private static final Logger log = LoggerFactory.getLogger(SipProxy.class);
    private static final List<String> ALLOWED = List.of("INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "REGISTER",
            "UPDATE", "MESSAGE", "INFO", "PRACK", "REFER", "SUBSCRIBE", "NOTIFY");

    private final ProxySettings settings;
    private final SipEndpoint sip;
    private final SubscriberAuthority authority;
    private final DigestAuthenticator digest;
    private final Router router;
    private final Registrar registrar;
    private final DialogRegistry dialogs;
    private final CallAccountant acct;
    private final ProxyMetrics metrics;
    private final Trusted trusted;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final Map<String, ProxiedRequest> pendingInvites = new ConcurrentHashMap<>();
    private final DialogEnder ender;
    private final DialogTokens tokens;
    private final MalformedRequests malformed;
    private final InDialogRelay relay;

    public SipProxy(ProxySettings settings, SipEndpoint sip, SubscriberAuthority authority, DigestAuthenticator digest,
                    Router router, Registrar registrar, DialogRegistry dialogs, CallAccountant acct,
                    ProxyMetrics metrics, ScheduledExecutorService timers, Clock clock, Trusted trusted,
                    DialogTokens tokens, InDialogRelay relay, MalformedRequests malformed) {
        this.settings = settings;
        this.sip = sip;
        this.authority = authority;
        this.digest = digest;
        this.router = router;
        this.registrar = registrar;
        this.dialogs = dialogs;
        this.acct = acct;
        this.metrics = metrics;
        this.trusted = trusted;
        this.timers = timers;
        this.clock = clock;
        this.tokens = tokens;
        this.malformed = malformed;
        this.relay = relay;
        this.ender = new DialogEnder(sip, acct, clock);
        dialogs.onExpiry(this::sessionExpired);
    }

    ProxySettings settings() {
        return settings;
    }

    SipEndpoint endpoint() {
        return sip;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    ProxyMetrics metrics() {
        return metrics;
    }

    // ---- requests ----

    @Override
    public void processRequest(RequestEvent ev) {
        Request req = ev.getRequest();
        try {
            metrics.request(req.getMethod());
            handle(ev, req, Source.of(ev));
        } catch (BadRequest e) {
            malformed.refused(Source.of(ev).ip() + "/" + Source.of(ev).transport(), e.getMessage());
            if (!req.getMethod().equals(Request.ACK)) {
                replyStateless(req, Response.BAD_REQUEST, "Bad Request");
            }
        } catch (Exception e) {
            log.warn("{} from {} failed: {}", req.getMethod(), Source.of(ev), e.toString(), e);
            if (!req.getMethod().equals(Request.ACK)) {
                replyStateless(req, Response.SERVER_INTERNAL_ERROR, null);
            }
        }
    }

    /** The request is not one the proxy can serve as it is: answered 400, counted, one line now and then. */
    static final class BadRequest extends Exception {
        BadRequest(String why) {
            super(why, null, false, false);
        }
    }

    private void handle(RequestEvent ev, Request req, Source src) throws Exception {
        String method = req.getMethod();
        if (method.equals(Request.ACK)) {
            ack(ev, req, src);
            return;
        }
        MaxForwardsHeader mf = (MaxForwardsHeader) req.getHeader(MaxForwardsHeader.NAME);
        if (mf != null && mf.getMaxForwards() <= 0) {
            replyStateless(req, Response.TOO_MANY_HOPS, "Too Many Hops");
            return;
        }
        if (mf == null) {
            // RFC 3261 16.6 step 3: a proxy adds the missing Max-Forwards (the RI refuses a server transaction without one)
            req.addHeader(sip.headers().createMaxForwardsHeader(70));
        }
        if (req instanceof SIPMessage m && m.getSize() > settings.maxMessageSize()) {
            replyStateless(req, Response.MESSAGE_TOO_LARGE, "Message Too Big");
            return;
        }
        if (method.equals(Request.CANCEL)) {
            cancel(ev, req, src);
            return;
        }
        ServerTransaction st = serverTransaction(ev);
        if (st == null) {
            return;
        }
        if (Headers.to(req).getTag() != null) {
            inDialog(st, req, src);
            return;
        }
        // no explicit 100 Trying: the RI's server transaction sends it when nothing else went out
        // within 200 ms (RFC 3261 §17.2.1), which spares a message on every promptly answered call
        stripOwnRoutes(req);
        URI fromUri = Headers.from(req).getAddress().getURI();
        boolean localCaller = router.isOurs(fromUri) && Headers.user(fromUri) != null;
        // every request of a suspended user is refused, whatever its method; gateways and peers are
        // not subscribers: only untrusted local callers are checked
        CompletionStage<Boolean> suspended = localCaller && !trusted.contains(src.ip())
                ? authority.isMember(Headers.aor(fromUri), "suspended")
                : CompletableFuture.completedFuture(false);
        suspended.whenComplete((isSuspended, err) -> {
            try {
                if (err != null) {
                    reply(st, req, Response.SERVER_INTERNAL_ERROR, "AAA Unavailable", null);
                } else if (isSuspended) {
                    reply(st, req, Response.FORBIDDEN, "Forbidden - suspended", null);
                } else {
                    initial(st, req, src, localCaller);
                }
            } catch (Exception e) {
                log.warn("{} failed: {}", method, e.toString(), e);
                reply(st, req, Response.SERVER_INTERNAL_ERROR, null, null);
            }
        });
    }

    private void initial(ServerTransaction st, Request req, Source src, boolean localCaller) throws Exception {
        String method = req.getMethod();
        URI ruri = req.getRequestURI();
        if (method.equals(Request.REGISTER)) {
            if (!router.isOurs(Headers.to(req).getAddress().getURI())) {
                reply(st, req, Response.FORBIDDEN, "Forbidden - not our domain", null);
            } else {
                registrar.register(st, req, src);
            }
            return;
        }
        if (method.equals(Request.OPTIONS) && router.isOurs(ruri) && Headers.user(ruri) == null) {
            reply(st, req, Response.OK, null, r -> allow(r));
            return;
        }
        boolean untrusted = !trusted.contains(src.ip());
        // a Route left after ours names the next hop: the request goes there, whatever the Request-URI says
        boolean local = router.isLocalUser(ruri) && req.getHeader(RouteHeader.NAME) == null;
        if (untrusted && localCaller && (method.equals(Request.INVITE) || !local)) {
            // routed once it authenticated: the challenged attempt costs no location look-up
            authenticateThenRoute(st, req, src);
            return;
        }
        if (untrusted && !local) {
            // Kamailio's "not relaying": neither from a subscriber who proved it nor to one of ours
            metrics.refused("relaying");
            reply(st, req, Response.FORBIDDEN, "Relaying denied", null);
            return;
        }
        // as the tutorial's radius_is_user_in("From", ...): any untrusted caller needs the group
        checkGroupsAndRoute(st, req, src, Headers.aor(Headers.from(req).getAddress().getURI()), untrusted,
                router.route(ruri, sip.addresses()));
    }

    /** A local user's request is relayed only once it proved to be From (407 challenge, as radius_proxy_authorize). */
    private void authenticateThenRoute(ServerTransaction st, Request req, Source src) {
        String method = req.getMethod();
        digest.authenticate(req, settings.realm(), true, src.ip()).whenComplete((o, err) -> {
            try {
                if (err != null || o.kind() == Outcome.Kind.UNAVAILABLE) {
                    reply(st, req, Response.SERVER_INTERNAL_ERROR, "AAA Unavailable", null);
                } else if (o.kind() == Outcome.Kind.CHALLENGE) {
                    reply(st, req, Response.PROXY_AUTHENTICATION_REQUIRED, null,
                            r -> digest.challenge(r, settings.realm(), o.stale()));
                } else if (o.kind() == Outcome.Kind.FORBIDDEN) {
                    reply(st, req, Response.FORBIDDEN, "Forbidden", null);
                } else if (!o.user().equalsIgnoreCase(router.aor(Headers.from(req).getAddress().getURI()))) {
                    reply(st, req, Response.FORBIDDEN, "Forbidden - From is not you", null);
                } else {
                    req.removeHeader("Proxy-Authorization");
                    checkGroupsAndRoute(st, req, src, o.user(), true, router.route(req.getRequestURI(), sip.addresses()));
                }
            } catch (Exception e) {
                log.warn("{} after auth failed: {}", method, e.toString(), e);
                reply(st, req, Response.SERVER_INTERNAL_ERROR, null, null);
            }
        });
    }

    private void checkGroupsAndRoute(ServerTransaction st, Request req, Source src, String user, boolean checkGroups,
                                     Decision d) throws Exception {
        String group = null;
        String refusal = null;
        // as the tutorial's radius_is_user_in for whatever it relays: every method that leaves the domain
        if (checkGroups && d instanceof Decision.Pstn) {
            group = "pstn";
            refusal = "Forbidden PSTN";
        } else if (checkGroups && !(d instanceof Decision.Local && req.getHeader(RouteHeader.NAME) == null)) {
            group = "voip";
            refusal = "Forbidden VoIP";
        }
        if (group == null) {
            forwardInitial(st, req, src, user, d);
            return;
        }
        String why = refusal;
        authority.isMember(user, group).whenComplete((ok, err) -> {
            try {
                if (err != null) {
                    reply(st, req, Response.SERVER_INTERNAL_ERROR, "AAA Unavailable", null);
                } else if (!ok) {
                    reply(st, req, Response.FORBIDDEN, why, null);
                } else {
                    forwardInitial(st, req, src, user, d);
                }
            } catch (Exception e) {
                log.warn("routing failed: {}", e.toString(), e);
                reply(st, req, Response.SERVER_INTERNAL_ERROR, null, null);
            }
        });
    }

    private void forwardInitial(ServerTransaction st, Request req, Source src, String user, Decision d) throws Exception {
        boolean invite = req.getMethod().equals(Request.INVITE);
        String billed = user;
        if (invite) {
            long offered = seconds(req, "Session-Expires");
            if (offered > 0 && offered < settings.minSe().toSeconds()) {
                reply(st, req, 422, "Session Interval Too Small",
                        r -> addHeader(r, "Min-SE", Long.toString(settings.minSe().toSeconds())));
                return;
            }
        }
        CallLeg leg = invite ? acct.leg(req, src, billed) : null;
        ProxiedRequest pr = new ProxiedRequest(this, st, req, src, invite ? Kind.INITIAL_INVITE : Kind.INITIAL_OTHER,
                leg, !req.getMethod().equals(Request.REGISTER));
        if (d instanceof Decision.Local l && l.contacts().isEmpty()) {
            reply(st, req, Response.NOT_FOUND, "Not Found", null);
            if (invite) {
                acct.failed(leg, null, Response.NOT_FOUND, "Not Found", null);
                metrics.failed();
            }
            return;
        }
        track(pr);
        if (d instanceof Decision.Local l) {
            pr.start(l.contacts(), List.of());
        } else if (d instanceof Decision.Pstn p) {
            pr.start(List.of(), p.gateways());
        } else {
            pr.start(List.of(((Decision.Foreign) d).target()), List.of());
        }
    }

    private void track(ProxiedRequest pr) {
        if (pr.kind == Kind.INITIAL_INVITE) {
            pendingInvites.put(pendingKey(pr.original), pr);
        }
    }

    void forgetPending(ProxiedRequest pr) {
        if (pr.kind == Kind.INITIAL_INVITE) {
            pendingInvites.remove(pendingKey(pr.original), pr);
        }
    }

    private static String pendingKey(Request r) {
        ViaHeader via = (ViaHeader) r.getHeader(ViaHeader.NAME);
        return Headers.callId(r) + '\n' + (via == null ? "" : via.getBranch());
    }

    private void inDialog(ServerTransaction st, Request req, Source src) throws Exception {
        String token = ownRouteToken(req);
        boolean routed = stripOwnRoutes(req);
        if (!routed && sip.isMe(req.getRequestURI())) {
            reply(st, req, Response.NOT_FOUND, "Not Here", null);
            return;
        }
        String fromTag = Headers.from(req).getTag();
        Dialog d = dialogs.find(Headers.callId(req), fromTag, Headers.to(req).getTag());
        boolean untrusted = !trusted.contains(src.ip());
        if (d != null) {
            d.sawCSeq(d.fromCaller(fromTag), Headers.cseq(req).getSeqNumber());
        } else if (!routed || untrusted
                && (req.getMethod().equals(Request.INVITE) || !tokens.valid(token, Headers.callId(req), fromTag,
                        Headers.to(req).getTag()))) {
            // a made-up To tag must not open a call (toll fraud) nor relay anything the proxy never
            // authorized; a re-INVITE needs the dialog itself, the rest the proxy's token in its Route
            metrics.refused("unknown_dialog");
            reply(st, req, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        if (untrusted && !relay.allows(nextHop(req), src, d, fromTag)) {
            // a dialog anyone can open (call or subscribe to a local phone) is no licence to relay
            metrics.refused("relaying");
            reply(st, req, Response.FORBIDDEN, "Relaying denied", null);
            return;
        }
        ProxiedRequest pr = new ProxiedRequest(this, st, req, src, Kind.IN_DIALOG, d, false);
        pr.start(List.of(req.getRequestURI()), List.of());
    }

    private void cancel(RequestEvent ev, Request req, Source src) throws Exception {
        ServerTransaction st = serverTransaction(ev);
        if (st == null) {
            return;
        }
        ProxiedRequest pr = pendingInvites.get(pendingKey(req));
        if (pr == null) {
            reply(st, req, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        reply(st, req, Response.OK, null, null);
        pr.cancel();
        if (pr.context instanceof CallLeg leg) {
            acct.cancel(leg, req, src, Response.OK);
        }
    }

    /** ACK for a 2xx travels end to end: loose-route it statelessly. ACKs for non-2xx stop at their transaction. */
    private void ack(RequestEvent ev, Request req, Source src) throws Exception {
        if (ev.getServerTransaction() != null) {
            return;
        }
        String token = ownRouteToken(req);
        if (!stripOwnRoutes(req)) {
            return;
        }
        MaxForwardsHeader mf = (MaxForwardsHeader) req.getHeader(MaxForwardsHeader.NAME);
        if (mf != null) {
            if (mf.getMaxForwards() <= 0) {
                return;
            }
            mf.decrementMaxForwards();
        }
        String fromTag = Headers.from(req).getTag();
        Dialog d = dialogs.find(Headers.callId(req), fromTag, Headers.to(req).getTag());
        boolean untrusted = !trusted.contains(src.ip());
        if (d != null) {
            d.sawCSeq(d.fromCaller(fromTag), Headers.cseq(req).getSeqNumber());
        } else if (untrusted && !tokens.valid(token, Headers.callId(req), fromTag, Headers.to(req).getTag())) {
            metrics.refused("unknown_dialog"); // an ACK is never answered: dropped
            return;
        }
        if (untrusted && !relay.allows(nextHop(req), src, d, fromTag)) {
            metrics.refused("relaying");
            return;
        }
        ViaHeader top = (ViaHeader) req.getHeader(ViaHeader.NAME);
        req.addFirst(sip.statelessVia(ProxiedRequest.transportOf(nextHop(req)), top == null ? null : top.getBranch()));
        sip.provider().sendRequest(req);
    }

    private static URI nextHop(Request req) {
        RouteHeader r = (RouteHeader) req.getHeader(RouteHeader.NAME);
        return r != null ? r.getAddress().getURI() : req.getRequestURI();
    }

    /** The dialog token of the first Route entry naming this proxy at the top, or null. */
    private String ownRouteToken(Request req) {
        ListIterator<Header> it = req.getHeaders(RouteHeader.NAME);
        while (it.hasNext()) {
            URI u = ((RouteHeader) it.next()).getAddress().getURI();
            if (!sip.isMe(u)) {
                return null;
            }
            String t = ((javax.sip.address.SipURI) u).getParameter(DialogTokens.PARAM);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /** The token of the dialog an initial request may open, for its Record-Route. */
    String dialogToken(Request initial) {
        return tokens.token(Headers.callId(initial), Headers.from(initial).getTag());
    }

    /** The Record-Route this proxy puts on an initial request it forwards, with the dialog's token. */
    RecordRouteHeader recordRoute(String transport, String dialogToken) {
        RecordRouteHeader rr = sip.recordRoute(transport);
        try {
            ((javax.sip.address.SipURI) rr.getAddress().getURI()).setParameter(DialogTokens.PARAM, dialogToken);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        return rr;
    }

    /** Removes the Route entries naming this proxy from the top; true when there was one. */
    private boolean stripOwnRoutes(Request req) {
        boolean found = false;
        RouteHeader r;
        while ((r = (RouteHeader) req.getHeader(RouteHeader.NAME)) != null && sip.isMe(r.getAddress().getURI())) {
            req.removeFirst(RouteHeader.NAME);
            found = true;
        }
        return found;
    }

    // ---- responses ----

    @Override
    public void processResponse(ResponseEvent ev) {
        Response r = ev.getResponse();
        ClientTransaction ct = ev.getClientTransaction();
        try {
            if (ct == null) {
                relayStateless(r);
                return;
            }
            if (ct.getApplicationData() instanceof ProxiedRequest.Branch b) {
                b.owner().onResponse(b, r);
            }
        } catch (Exception e) {
            log.warn("response {} failed: {}", r.getStatusCode(), e.toString(), e);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent ev) {
        if (!ev.isServerTransaction() && ev.getClientTransaction() != null
                && ev.getClientTransaction().getApplicationData() instanceof ProxiedRequest.Branch b) {
            b.owner().onTimeout(b);
        }
    }

    @Override
    public void processIOException(IOExceptionEvent ev) {
        log.debug("I/O error towards {}:{}/{}", ev.getHost(), ev.getPort(), ev.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent ev) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent ev) {
    }

    /** Sends a downstream response upstream on the server transaction, our Via removed. */
    void relay(ServerTransaction st, Response r) {
        // the client transaction is done with it: forward the same object, our Via removed once
        Response up = r;
        ViaHeader top = (ViaHeader) up.getHeader(ViaHeader.NAME);
        if (top != null && sip.isMyVia(top)) {
            up.removeFirst(ViaHeader.NAME);
        }
        try {
            st.sendResponse(up);
        } catch (Exception e) {
            // a later 2xx of a forked INVITE: the transaction has ended, send it statelessly
            try {
                sip.provider().sendResponse(up);
            } catch (Exception e2) {
                log.debug("cannot relay {}: {}", r.getStatusCode(), e2.toString());
            }
        }
    }

    /** Forwards a response that matches no transaction (RFC 3261 §16.11), e.g. a retransmitted 2xx. */
    public void relayStateless(Response r) {
        metrics.stray(Headers.cseq(r).getMethod());
        try {
            relayStatelessly(r);
        } catch (Exception e) {
            log.debug("cannot relay stray {}: {}", r.getStatusCode(), e.toString());
        }
    }

    private void relayStatelessly(Response r) throws Exception {
        ViaHeader top = (ViaHeader) r.getHeader(ViaHeader.NAME);
        if (top == null || !sip.isMyVia(top)) {
            return;
        }
        Response up = r;
        up.removeFirst(ViaHeader.NAME);
        if (up.getHeader(ViaHeader.NAME) != null) {
            sip.provider().sendResponse(up);
        }
    }

    // ---- call events from ProxiedRequest ----

    void decorateAnswer(ProxiedRequest pr, Response r) {
        if (r.getHeader("Session-Expires") != null) {
            return;
        }
        long offered = seconds(pr.original, "Session-Expires");
        long inserted = pr.insertedSessionExpires();
        long interval = offered > 0 ? offered : inserted;
        if (interval > 0 && supportsTimer(pr.original)) {
            // RFC 4028 §8.2: the UAS has no timer but the UAC has, so the UAC refreshes
            addHeader(r, "Session-Expires", interval + ";refresher=uac");
            addHeader(r, "Require", "timer");
        }
    }

    void answered(ProxiedRequest pr, ProxiedRequest.Branch b, Response r, boolean first) {
        switch (pr.kind) {
            // a later 2xx of another fork is relayed (the caller BYEs it) but is not the call
            case INITIAL_INVITE -> {
                if (first && Headers.to(r).getTag() != null) {
                    confirmCall(pr, b, r);
                }
            }
            case IN_DIALOG -> inDialogDone(pr, b, r.getStatusCode(), r);
            default -> { }
        }
    }

    void failed(ProxiedRequest pr, ProxiedRequest.Branch b, Response r) {
        int code = r.getStatusCode();
        String translated = b == null ? null : b.target.toString();
        switch (pr.kind) {
            case INITIAL_INVITE -> {
                acct.failed((CallLeg) pr.context, Headers.to(r).getTag(), code, r.getReasonPhrase(), translated);
                metrics.failed();
            }
            case IN_DIALOG -> inDialogDone(pr, b, code, null);
            default -> acct.failedTransaction(pr.original, pr.source, code, null, translated);
        }
    }

    void earlyMedia(ProxiedRequest pr, ProxiedRequest.Branch b, Response r) {
        acct.earlyMedia((CallLeg) pr.context, Headers.to(r).getTag(), r.getStatusCode(), b.target.toString());
    }

    private void confirmCall(ProxiedRequest pr, ProxiedRequest.Branch b, Response r) {
        CallLeg leg = (CallLeg) pr.context;
        String toTag = Headers.to(r).getTag();
        long interval = seconds(r, "Session-Expires");
        Instant now = clock.instant();
        ContactHeader callerContact = (ContactHeader) pr.original.getHeader(ContactHeader.NAME);
        ContactHeader calleeContact = (ContactHeader) r.getHeader(ContactHeader.NAME);
        List<String> routeSet = new ArrayList<>();
        ListIterator<Header> rr = r.getHeaders(RecordRouteHeader.NAME);
        while (rr.hasNext()) {
            routeSet.add(((RecordRouteHeader) rr.next()).getAddress().toString());
        }
        Dialog d = new Dialog(leg, toTag == null ? "" : toTag, Headers.from(pr.original).getAddress().toString(), Headers.to(r).getAddress().toString(),
                callerContact == null ? null : callerContact.getAddress().getURI().toString(),
                calleeContact == null ? null : calleeContact.getAddress().getURI().toString(),
                routeSet, b.target.toString(), now, Headers.cseq(pr.original).getSeqNumber(), 0, now, interval,
                now.plus(interval > 0 ? java.time.Duration.ofSeconds(interval) : settings.dialogTimeout()));
        if (toTag != null && dialogs.find(leg.callId(), leg.fromTag(), toTag) == null) {
            dialogs.add(d);
        }
        acct.start(leg, toTag, r.getStatusCode(), b.target.toString(), interval);
        metrics.answered();
    }

    private void inDialogDone(ProxiedRequest pr, ProxiedRequest.Branch b, int code, Response ok) {
        Dialog d = (Dialog) pr.context;
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
                acct.stop(d.leg(), d.calleeTag(), pr.original, pr.source, code, translated, null,
                        d.secondsSinceAnswer(clock.instant()));
                metrics.ended();
            }
            return;
        }
        if (d != null && ok != null && (method.equals(Request.INVITE) || method.equals(Request.UPDATE))) {
            long interval = seconds(ok, "Session-Expires");
            dialogs.refreshed(d, interval, settings.dialogTimeout());
            acct.interim(d.leg(), d.calleeTag(), pr.original, pr.source, code, translated, interval);
        } else if (ok == null && code >= 300 && !method.equals(Request.BYE)) {
            acct.failedTransaction(pr.original, pr.source, code, null, translated);
        }
    }

    private void sessionExpired(Dialog d) {
        if (!d.end()) {
            return;
        }
        dialogs.remove(d);
        ender.end(d, "Session-Timeout");
        metrics.expired();
    }

    // ---- helpers ----

    /** Inserts Session-Expires and Min-SE into an INVITE that has none; returns the interval inserted (0 = none). */
    long insertSessionExpires(Request fwd) {
        if (settings.sessionExpires().isZero() || fwd.getHeader("Session-Expires") != null) {
            return 0;
        }
        long se = settings.sessionExpires().toSeconds();
        addHeader(fwd, "Session-Expires", Long.toString(se));
        if (fwd.getHeader("Min-SE") == null) {
            addHeader(fwd, "Min-SE", Long.toString(settings.minSe().toSeconds()));
        }
        return se;
    }

    private static boolean supportsTimer(Request r) {
        ListIterator<Header> it = r.getHeaders("Supported");
        while (it.hasNext()) {
            String v = it.next().toString();
            if (v.toLowerCase().contains("timer")) {
                return true;
            }
        }
        return false;
    }

    /** The leading number of a header such as Session-Expires or Min-SE ("1800;refresher=uac"), or 0. */
    static long seconds(javax.sip.message.Message m, String name) {
        String v = Headers.value(m, name);
        if (v == null) {
            return 0;
        }
        int semi = v.indexOf(';');
        try {
            return Long.parseLong((semi < 0 ? v : v.substring(0, semi)).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void addHeader(javax.sip.message.Message m, String name, String value) {
        try {
            m.addHeader(sip.headers().createHeader(name, value));
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private ServerTransaction serverTransaction(RequestEvent ev) throws Exception {
        if (ev.getServerTransaction() != null) {
            return ev.getServerTransaction();
        }
        try {
            return sip.provider().getNewServerTransaction(ev.getRequest());
        } catch (TransactionAlreadyExistsException e) {
            return null;
        } catch (javax.sip.TransactionUnavailableException e) {
            // the RI refuses requests missing what their method needs (Contact, Event, ...): the sender's fault
            throw new BadRequest(e.getMessage());
        }
    }

    Response synthetic(Request req, int code, String reason) {
        try {
            Response r = sip.messages().createResponse(code, req);
            if (reason != null) {
                r.setReasonPhrase(reason);
            }
            return r;
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    void reply(ServerTransaction st, Request req, int code, String reason, Consumer<Response> customize) {
        try {
            Response r = response(req, code, reason);
            if (customize != null) {
                customize.accept(r);
            }
            st.sendResponse(r);
            metrics.replied(code);
        } catch (Exception e) {
            log.debug("cannot send {}: {}", code, e.toString());
        }
    }

    private void replyStateless(Request req, int code, String reason) {
        try {
            sip.provider().sendResponse(response(req, code, reason));
            metrics.replied(code);
        } catch (Exception e) {
            log.debug("cannot send {}: {}", code, e.toString());
        }
    }

    private Response response(Request req, int code, String reason) throws ParseException {
        Response r = sip.messages().createResponse(code, req);
        if (reason != null) {
            r.setReasonPhrase(reason);
        }
        ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
        if (code > 100 && to.getTag() == null) {
            to.setTag(Integer.toHexString(Headers.callId(req).hashCode()) + "-tg");
        }
        return r;
    }

    private void allow(Response r) {
        // Allow is a list header: the RI's createHeader refuses a comma list, so one AllowHeader per method
        try {
            for (String m : ALLOWED) {
                r.addHeader(sip.headers().createAllowHeader(m));
            }
            r.addHeader(sip.headers().createAcceptHeader("application", "sdp"));
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
