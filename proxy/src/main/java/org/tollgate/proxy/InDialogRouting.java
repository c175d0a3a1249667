package org.tollgate.proxy;

import java.util.List;

import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.tollgate.proxy.dialog.Dialog;
import org.tollgate.proxy.dialog.DialogRegistry;
import org.tollgate.proxy.relay.InDialogRelay;
import org.tollgate.proxy.sip.Headers;
import org.tollgate.proxy.sip.Source;

/**
 * Requests within a dialog, loose-routed along the route set (RFC 3261 §16.12), ACK for a 2xx
 * end to end, and CANCEL. Only dialogs this proxy authorized are relayed: a known call, or the
 * proxy's token in the Route; from an untrusted source only to where {@link InDialogRelay} allows.
 */
final class InDialogRouting {

    private final Forwarding fw;
    private final DialogRegistry dialogs;
    private final InDialogRelay relay;
    private final Trusted trusted;
    private final CallLifecycle calls;

    InDialogRouting(Forwarding fw, DialogRegistry dialogs, InDialogRelay relay, Trusted trusted, CallLifecycle calls) {
        this.fw = fw;
        this.dialogs = dialogs;
        this.relay = relay;
        this.trusted = trusted;
        this.calls = calls;
    }

    /** A request with a To tag (but ACK and CANCEL). */
    void route(ServerTransaction st, Request req, Source src) {
        String token = fw.routes().token(req);
        boolean routed = fw.routes().strip(req);
        if (!routed && fw.sip().isMe(req.getRequestURI())) {
            fw.replies().send(st, req, Response.NOT_FOUND, "Not Here", null);
            return;
        }
        String fromTag = Headers.from(req).getTag();
        Dialog d = dialogs.find(Headers.callId(req), fromTag, Headers.to(req).getTag());
        boolean untrusted = !trusted.contains(src.ip());
        if (d != null) {
            d.sawCSeq(d.fromCaller(fromTag), Headers.cseq(req).getSeqNumber());
        } else if (!routed || untrusted && (req.getMethod().equals(Request.INVITE) || !fw.routes().valid(token, req))) {
            // a made-up To tag must not open a call (toll fraud) nor relay anything the proxy never
            // authorized; a re-INVITE needs the dialog itself, the rest the proxy's token in its Route
            fw.metrics().refused("unknown_dialog");
            fw.replies().send(st, req, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        if (untrusted && !relay.allows(OwnRoutes.nextHop(req), src, d, fromTag)) {
            // a dialog anyone can open (call or subscribe to a local phone) is no licence to relay
            fw.metrics().refused("relaying");
            fw.replies().send(st, req, Response.FORBIDDEN, "Relaying denied", null);
            return;
        }
        ProxiedRequest.inDialog(fw, calls, st, req, src, d).start(List.of(req.getRequestURI()), List.of());
    }

    /** CANCEL: answered at once, and the INVITE it names cancelled on every branch. */
    void cancel(ServerTransaction st, Request req, Source src) {
        ProxiedRequest pr = fw.pending().cancelled(req);
        if (pr == null) {
            fw.replies().send(st, req, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        fw.replies().send(st, req, Response.OK, null, null);
        pr.cancel();
        if (pr.leg() != null) {
            calls.cancelled(pr.leg(), req, src);
        }
    }

    /** ACK for a 2xx travels end to end: loose-route it statelessly. ACKs for non-2xx stop at their transaction. */
    void ack(RequestEvent ev, Request req, Source src) throws Exception {
        if (ev.getServerTransaction() != null) {
            return;
        }
        String token = fw.routes().token(req);
        if (!fw.routes().strip(req)) {
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
        } else if (untrusted && !fw.routes().valid(token, req)) {
            fw.metrics().refused("unknown_dialog"); // an ACK is never answered: dropped
            return;
        }
        if (untrusted && !relay.allows(OwnRoutes.nextHop(req), src, d, fromTag)) {
            fw.metrics().refused("relaying");
            return;
        }
        ViaHeader top = (ViaHeader) req.getHeader(ViaHeader.NAME);
        req.addFirst(fw.sip().statelessVia(ProxiedRequest.transportOf(OwnRoutes.nextHop(req)),
                top == null ? null : top.getBranch()));
        fw.sip().provider().sendRequest(req);
    }
}
