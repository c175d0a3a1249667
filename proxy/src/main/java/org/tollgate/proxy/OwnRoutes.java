package org.tollgate.proxy;

import java.text.ParseException;
import java.util.ListIterator;

import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.Header;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;

import org.tollgate.proxy.relay.DialogTokens;
import org.tollgate.proxy.sip.Headers;
import org.tollgate.proxy.sip.SipEndpoint;

/**
 * The proxy's own place in a route set: the Record-Route it puts on initial requests (with the
 * dialog's token, so only dialogs it authorized can be loose-routed through it later) and the
 * Route entries naming it on the requests that come back.
 */
final class OwnRoutes {

    private final SipEndpoint sip;
    private final DialogTokens tokens;

    OwnRoutes(SipEndpoint sip, DialogTokens tokens) {
        this.sip = sip;
        this.tokens = tokens;
    }

    /** The token of the dialog an initial request may open, for its Record-Route. */
    String dialogToken(Request initial) {
        return tokens.token(Headers.callId(initial), Headers.from(initial).getTag());
    }

    /** Whether an in-dialog request's token belongs to its Call-ID and tags. */
    boolean valid(String token, Request req) {
        return tokens.valid(token, Headers.callId(req), Headers.from(req).getTag(), Headers.to(req).getTag());
    }

    /** The Record-Route this proxy puts on an initial request it forwards, with the dialog's token. */
    RecordRouteHeader recordRoute(String transport, String dialogToken) {
        RecordRouteHeader rr = sip.recordRoute(transport);
        try {
            ((SipURI) rr.getAddress().getURI()).setParameter(DialogTokens.PARAM, dialogToken);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        return rr;
    }

    /** The dialog token of the first Route entry naming this proxy at the top, or null. */
    String token(Request req) {
        ListIterator<Header> it = req.getHeaders(RouteHeader.NAME);
        while (it.hasNext()) {
            URI u = ((RouteHeader) it.next()).getAddress().getURI();
            if (!sip.isMe(u)) {
                return null;
            }
            String t = ((SipURI) u).getParameter(DialogTokens.PARAM);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /** Removes the Route entries naming this proxy from the top; true when there was one. */
    boolean strip(Request req) {
        boolean found = false;
        RouteHeader r;
        while ((r = (RouteHeader) req.getHeader(RouteHeader.NAME)) != null && sip.isMe(r.getAddress().getURI())) {
            req.removeFirst(RouteHeader.NAME);
            found = true;
        }
        return found;
    }

    /** Where a request goes next: its first Route entry (once ours are stripped), else its Request-URI. */
    static URI nextHop(Request req) {
        RouteHeader r = (RouteHeader) req.getHeader(RouteHeader.NAME);
        return r != null ? r.getAddress().getURI() : req.getRequestURI();
    }
}
