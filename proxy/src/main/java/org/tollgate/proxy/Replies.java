package org.tollgate.proxy;

import java.text.ParseException;
import java.util.List;
import java.util.function.Consumer;

import javax.sip.ServerTransaction;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.proxy.sip.Headers;
import org.tollgate.proxy.sip.SipEndpoint;

/** The answers the proxy makes itself (as opposed to those it relays), each counted. */
final class Replies {

    private static final Logger log = LoggerFactory.getLogger(Replies.class);
    private static final List<String> ALLOWED = List.of("INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "REGISTER",
            "UPDATE", "MESSAGE", "INFO", "PRACK", "REFER", "SUBSCRIBE", "NOTIFY");

    private final SipEndpoint sip;
    private final ProxyMetrics metrics;

    Replies(SipEndpoint sip, ProxyMetrics metrics) {
        this.sip = sip;
        this.metrics = metrics;
    }

    /** Answers on the server transaction; {@code customize} (or null) adds to the response first. */
    void send(ServerTransaction st, Request req, int code, String reason, Consumer<Response> customize) {
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

    /** Answers without a transaction: for requests the stack would not give one (too many hops, too large, unparsable). */
    void stateless(Request req, int code, String reason) {
        try {
            sip.provider().sendResponse(response(req, code, reason));
            metrics.replied(code);
        } catch (Exception e) {
            log.debug("cannot send {}: {}", code, e.toString());
        }
    }

    /** A response the proxy stands in with for a branch (timeout, unreachable), not sent by itself. */
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

    /** What OPTIONS to the proxy itself lists. */
    void allow(Response r) {
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

    void addHeader(Message m, String name, String value) {
        try {
            m.addHeader(sip.headers().createHeader(name, value));
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
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
}
