package org.tollgate.proxy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.sip.ClientTransaction;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.proxy.acct.CallLeg;
import org.tollgate.proxy.dialog.Dialog;
import org.tollgate.proxy.dialog.PrepaidCall;
import org.tollgate.proxy.media.MediaRelay;
import org.tollgate.proxy.sip.Headers;
import org.tollgate.proxy.sip.HostPort;
import org.tollgate.proxy.sip.Nat;
import org.tollgate.proxy.sip.NextHopRouter;
import org.tollgate.proxy.sip.Source;

/**
 * One request forwarded statefully (RFC 3261 §16): its server transaction and the client
 * transactions of its branches. Forks in parallel, fails over serially, forwards provisional
 * answers and every 2xx, picks the best final answer when all branches have failed, relays
 * CANCEL, and runs the branch and no-answer timers. It reports what happens to the call to a
 * {@link Listener}.
 */
final class ProxiedRequest {

    private static final Logger log = LoggerFactory.getLogger(ProxiedRequest.class);

    enum Kind { INITIAL_INVITE, INITIAL_OTHER, IN_DIALOG }

    /** What a proxied request reports while it is forwarded (the proxy's call lifecycle listens). */
    interface Listener {
        /** A provisional answer with a body (early media) on a branch of an initial INVITE. */
        void earlyMedia(ProxiedRequest pr, Branch b, Response r);

        /** A 2xx, before it is relayed: {@code first} when it is the request's answer, not a later fork's. */
        void answered(ProxiedRequest pr, Branch b, Response r, boolean first);

        /** The request's final answer, relayed upstream, is a failure ({@code b} null when the proxy made it up). */
        void failed(ProxiedRequest pr, Branch b, Response r);
    }

    /** One branch: a client transaction to one target. */
    final class Branch {
        final URI target;
        final boolean serial;
        final Request request;
        ClientTransaction ct;
        boolean provisional;
        boolean done;
        boolean cancelWanted;
        boolean retried422;
        ScheduledFuture<?> timer;
        /** Where a target behind NAT is reached (its REGISTER's source), or null. */
        HostPort natHop;

        Branch(URI target, boolean serial, Request request) {
            this.target = target;
            this.serial = serial;
            this.request = request;
        }

        ProxiedRequest owner() {
            return ProxiedRequest.this;
        }
    }

    private final Forwarding fw;
    private final Listener listener;
    final ServerTransaction st;
    final Request original;
    final Source source;
    final Kind kind;
    /** An initial INVITE's call leg; a redirect makes a new one. Null for other requests. */
    private volatile CallLeg leg;
    /** An in-dialog request's dialog, or null (not known to this proxy, or not in dialog). */
    final Dialog dialog;
    /** An initial INVITE's longest call once answered, in seconds (0 = no limit). */
    final long maxSeconds;
    /** An initial INVITE's prepaid grant (armed when the call is answered), or null. */
    final PrepaidCall prepaid;
    private int redirects;
    private final boolean recordRoute;
    /** The token of the dialog this request may open, computed once for every branch's Record-Route. */
    private final String dialogToken;
    private final Deque<URI> serial = new ArrayDeque<>();
    private final List<Branch> branches = new ArrayList<>(2);
    private Response best;
    private Branch bestBranch;
    private boolean finalSent;
    private boolean cancelled;
    private boolean noAnswer;
    private long insertedSe;
    private ScheduledFuture<?> noAnswerTimer;
    /** The request's SDP went through the media relay: its answers' go too. */
    private volatile boolean relayed;
    /** Targets behind NAT and where each is reached. */
    private Map<URI, HostPort> reachAt = Map.of();

    private ProxiedRequest(Forwarding fw, Listener listener, ServerTransaction st, Request original, Source source,
                           Kind kind, CallLeg leg, Dialog dialog, long maxSeconds, PrepaidCall prepaid,
                           boolean recordRoute) {
        this.fw = fw;
        this.listener = listener;
        this.st = st;
        this.original = original;
        this.source = source;
        this.kind = kind;
        this.leg = leg;
        this.dialog = dialog;
        this.maxSeconds = maxSeconds;
        this.prepaid = prepaid;
        this.recordRoute = recordRoute;
        this.dialogToken = recordRoute ? fw.routes().dialogToken(original) : null;
    }

    /**
     * An initial INVITE: a call, accounted as {@code leg}, ended {@code maxSeconds} after its answer
     * (0: never) or when its prepaid money ends ({@code prepaid}, null for a call without).
     */
    static ProxiedRequest call(Forwarding fw, Listener listener, ServerTransaction st, Request invite, Source source,
                               CallLeg leg, long maxSeconds, PrepaidCall prepaid) {
        return new ProxiedRequest(fw, listener, st, invite, source, Kind.INITIAL_INVITE, leg, null, maxSeconds, prepaid,
                true);
    }

    /** Another initial request; one that may open a dialog is record-routed. */
    static ProxiedRequest initial(Forwarding fw, Listener listener, ServerTransaction st, Request req, Source source,
                                  boolean recordRoute) {
        return new ProxiedRequest(fw, listener, st, req, source, Kind.INITIAL_OTHER, null, null, 0, null, recordRoute);
    }

    /** A request within a dialog ({@code dialog} null when the proxy does not keep it, e.g. a subscription). */
    static ProxiedRequest inDialog(Forwarding fw, Listener listener, ServerTransaction st, Request req, Source source,
                                   Dialog dialog) {
        return new ProxiedRequest(fw, listener, st, req, source, Kind.IN_DIALOG, null, dialog, 0, null, false);
    }

    /** Targets registered from behind NAT: each is sent to where it registered from. */
    void reachAt(Map<URI, HostPort> targets) {
        this.reachAt = targets;
    }

    /** The initial INVITE's SDP was offered to the media relay (every branch gets the relay's). */
    void relayed() {
        this.relayed = true;
    }

    boolean isRelayed() {
        return relayed;
    }

    /** The call leg of an initial INVITE (after any redirect), else null. */
    CallLeg leg() {
        return leg;
    }

    /** Forks to {@code parallel} targets, or tries {@code failover} targets one after another. */
    synchronized void start(List<URI> parallel, List<URI> failover) {
        serial.addAll(failover);
        if (!original.getMethod().equals(Request.REGISTER) && Nat.behind(original, source)) {
            // fix_nated_contact: whatever comes back in this dialog goes where the request came from
            fixContact(original, HostPort.of(source.ip(), source.port(), false));
        }
        if (kind == Kind.IN_DIALOG && dialog != null && dialog.relayed()
                && (original.getMethod().equals(Request.INVITE) || original.getMethod().equals(Request.UPDATE))) {
            // a re-offer (hold, codec change) of a relayed call stays on the relay
            relayed = fw.media().offer(original) == MediaRelay.Offered.RELAYED;
        }
        if (kind != Kind.IN_DIALOG && original.getMethod().equals(Request.INVITE)) {
            long ms = fw.settings().noAnswerTimeout().toMillis();
            noAnswerTimer = fw.timers().schedule(this::noAnswer, ms, TimeUnit.MILLISECONDS);
        }
        for (URI t : parallel) {
            send(t, false, 0);
        }
        if (parallel.isEmpty() && !serial.isEmpty()) {
            send(serial.poll(), true, 0);
        }
        if (branches.isEmpty()) {
            finish(fw.replies().synthetic(original, Response.SERVER_INTERNAL_ERROR, "No Route"), null);
        }
    }

    private void send(URI target, boolean isSerial, long sessionExpires) {
        Branch b = null;
        try {
            Request fwd = (Request) original.clone();
            fwd.setRequestURI(target);
            MaxForwardsHeader mf = (MaxForwardsHeader) fwd.getHeader(MaxForwardsHeader.NAME);
            if (mf == null) {
                fwd.addHeader(fw.sip().headers().createMaxForwardsHeader(70));
            } else {
                mf.decrementMaxForwards();
            }
            String out = transportOf(target);
            if (recordRoute) {
                RecordRouteHeader rr = fw.routes().recordRoute(out, dialogToken);
                if (!out.equals(source.transport())) {
                    fwd.addFirst(fw.routes().recordRoute(source.transport(), dialogToken));
                }
                fwd.addFirst(rr);
            }
            if (kind == Kind.INITIAL_INVITE) {
                long se = sessionExpires > 0 ? sessionExpires : fw.sessionTimers().insert(fwd);
                if (sessionExpires > 0) {
                    fw.sessionTimers().raise(fwd, se);
                }
                if (se > 0) {
                    insertedSe = se;
                }
            }
            ViaHeader via = fw.sip().via(out);
            fwd.addFirst(via);
            b = new Branch(target, isSerial, fwd);
            b.natHop = reachAt.get(target);
            if (b.natHop != null) {
                NextHopRouter.sendTo(fwd, b.natHop, out); // fix_nated_register: Kamailio's $du
            }
            branches.add(b);
            ClientTransaction ct = fw.sip().provider().getNewClientTransaction(fwd);
            ct.setApplicationData(b);
            b.ct = ct;
            if (isSerial || kind == Kind.INITIAL_INVITE) {
                Branch armed = b;
                long ms = fw.settings().branchTimeout().toMillis();
                b.timer = fw.timers().schedule(() -> branchTimeout(armed), ms, TimeUnit.MILLISECONDS);
            }
            ct.sendRequest();
            fw.metrics().forwarded(original.getMethod());
        } catch (Exception e) {
            log.debug("cannot forward {} to {}: {}", original.getMethod(), target, e.toString());
            if (b == null) {
                b = new Branch(target, isSerial, original);
                branches.add(b);
            }
            onFinal(b, fw.replies().synthetic(original, Response.SERVICE_UNAVAILABLE, "Unreachable"));
        }
    }

    synchronized void onResponse(Branch b, Response r) {
        int code = r.getStatusCode();
        if (b.natHop != null && code > 100 && code < 300) {
            fixContact(r, b.natHop); // its in-dialog requests must reach it too
        }
        if (code < 200) {
            if (b.done) {
                return;
            }
            b.provisional = true;
            if (b.timer != null && kind != Kind.INITIAL_INVITE) {
                b.timer.cancel(false);
            }
            if (b.cancelWanted) {
                sendCancel(b);
            }
            if (code > 100 && !finalSent) {
                if (relayed) {
                    fw.media().answer(original, r);
                }
                fw.responses().relay(st, r);
                if (kind == Kind.INITIAL_INVITE && r.getRawContent() != null) {
                    listener.earlyMedia(this, b, r);
                }
            }
            return;
        }
        if (code < 300) {
            if (b.done) {
                if (relayed) {
                    fw.media().answer(original, r); // the relay answers a repeated answer the same
                }
                fw.responses().relay(st, r); // a retransmitted 2xx: forwarded, never accounted twice
                return;
            }
            stopTimer(b);
            b.done = true;
            if (kind == Kind.INITIAL_INVITE) {
                fw.sessionTimers().decorateAnswer(original, insertedSe, r);
            }
            boolean first = !finalSent;
            if (first) {
                finalSent = true;
                cancelOthers(b);
                stopNoAnswer();
                fw.pending().forget(this);
            }
            if (relayed) {
                fw.media().answer(original, r);
            }
            // the dialog must exist before the caller sees the 2xx: its BYE may follow at once
            listener.answered(this, b, r, first);
            fw.responses().relay(st, r);
            return;
        }
        if (b.done) {
            return;
        }
        onFinal(b, r);
    }

    synchronized void onTimeout(Branch b) {
        if (!b.done) {
            onFinal(b, fw.replies().synthetic(b.request, Response.REQUEST_TIMEOUT, "Request Timeout"));
        }
    }

    private void branchTimeout(Branch b) {
        synchronized (this) {
            // INVITE branches only need a provisional in time; other requests need a final answer.
            if (b.done || (kind == Kind.INITIAL_INVITE && b.provisional)) {
                return;
            }
            try {
                b.ct.terminate();
            } catch (Exception e) {
                log.trace("terminate", e);
            }
            onFinal(b, fw.replies().synthetic(b.request, Response.REQUEST_TIMEOUT, "Request Timeout"));
        }
    }

    private void onFinal(Branch b, Response r) {
        stopTimer(b);
        b.done = true;
        if (finalSent) {
            return;
        }
        int code = r.getStatusCode();
        if (code == 422 && kind == Kind.INITIAL_INVITE && insertedSe > 0 && !b.retried422) {
            long minSe = SessionTimers.seconds(r, "Min-SE");
            if (minSe > insertedSe) {
                branches.remove(b);
                send(b.target, b.serial, minSe);
                branches.get(branches.size() - 1).retried422 = true;
                return;
            }
        }
        if (code >= 300 && code < 400 && kind == Kind.INITIAL_INVITE && !cancelled && !noAnswer && redirects < 3
                && followRedirect(b, r)) {
            return;
        }
        if (best == null || rank(r) < rank(best)) {
            best = r;
            bestBranch = b;
        }
        if (b.serial && !cancelled && !noAnswer && (code == 408 || code >= 500) && !serial.isEmpty()) {
            send(serial.poll(), true, 0);
            return;
        }
        if (branches.stream().allMatch(x -> x.done)) {
            finish(best, bestBranch);
        }
    }

    private void finish(Response r, Branch b) {
        finalSent = true;
        stopNoAnswer();
        fw.pending().forget(this);
        int code = r.getStatusCode();
        Response out = r;
        if (noAnswer && (code == Response.REQUEST_TERMINATED)) {
            out = fw.replies().synthetic(original, Response.REQUEST_TIMEOUT, "No Answer");
        } else if (cancelled && code == Response.REQUEST_TIMEOUT) {
            out = fw.replies().synthetic(original, Response.REQUEST_TERMINATED, "Request Terminated");
        } else if (code == Response.SERVICE_UNAVAILABLE) {
            out = fw.replies().synthetic(original, Response.SERVER_INTERNAL_ERROR, "Server Internal Error");
        }
        fw.responses().relay(st, out);
        listener.failed(this, b, out);
    }

    /** The callee forwarded the call (3xx with a Contact): recurse to it and record the new leg. */
    private boolean followRedirect(Branch b, Response r) {
        javax.sip.header.ContactHeader c = (javax.sip.header.ContactHeader) r.getHeader(javax.sip.header.ContactHeader.NAME);
        if (c == null || c.getAddress() == null || !(c.getAddress().getURI() instanceof SipURI next)) {
            return false;
        }
        redirects++;
        leg = leg.forwarded(Headers.plain(original.getRequestURI()), Headers.plain(next));
        send(next, b.serial, 0);
        return true;
    }

    /** CANCEL received for this INVITE: cancel every pending branch. */
    synchronized void cancel() {
        cancelled = true;
        serial.clear();
        for (Branch b : branches) {
            if (!b.done) {
                if (b.provisional) {
                    sendCancel(b);
                } else {
                    b.cancelWanted = true;
                }
            }
        }
    }

    private void noAnswer() {
        synchronized (this) {
            if (finalSent) {
                return;
            }
            noAnswer = true;
        }
        cancel();
    }

    private void cancelOthers(Branch winner) {
        serial.clear();
        for (Branch b : branches) {
            if (b != winner && !b.done) {
                if (b.provisional) {
                    sendCancel(b);
                } else {
                    b.cancelWanted = true;
                }
            }
        }
    }

    private void sendCancel(Branch b) {
        b.cancelWanted = false;
        try {
            Request cancel = b.ct.createCancel();
            fw.sip().provider().getNewClientTransaction(cancel).sendRequest();
        } catch (Exception e) {
            log.debug("CANCEL for {} failed: {}", b.target, e.toString());
        }
    }

    private void stopTimer(Branch b) {
        if (b.timer != null) {
            b.timer.cancel(false);
        }
    }

    private void stopNoAnswer() {
        if (noAnswerTimer != null) {
            noAnswerTimer.cancel(false);
        }
    }

    // RFC 3261 16.7 step 6: a 6xx wins, otherwise the lowest class.
    private static int rank(Response r) {
        int c = r.getStatusCode() / 100;
        return c == 6 ? 0 : c;
    }

    /** Points a message's Contact at where its sender is really reached (a phone behind NAT). */
    private static void fixContact(javax.sip.message.Message m, HostPort at) {
        ContactHeader c = (ContactHeader) m.getHeader(ContactHeader.NAME);
        if (at == null || c == null || c.getAddress() == null || !(c.getAddress().getURI() instanceof SipURI u)) {
            return;
        }
        try {
            u.setHost(at.host());
            u.setPort(at.port());
        } catch (java.text.ParseException e) {
            log.debug("cannot rewrite Contact to {}: {}", at, e.getMessage());
        }
    }

    static String transportOf(URI target) {
        if (target instanceof SipURI s && s.getTransportParam() != null) {
            return s.getTransportParam().toLowerCase();
        }
        return "udp";
    }
}
