package org.tollgate.proxy;

import javax.sip.ServerTransaction;
import javax.sip.header.ViaHeader;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.proxy.sip.Headers;
import org.tollgate.proxy.sip.SipEndpoint;

/** Responses from downstream on their way up: on their server transaction, or statelessly by Via. */
final class ResponseRelay {

    private static final Logger log = LoggerFactory.getLogger(ResponseRelay.class);

    private final SipEndpoint sip;
    private final ProxyMetrics metrics;

    ResponseRelay(SipEndpoint sip, ProxyMetrics metrics) {
        this.sip = sip;
        this.metrics = metrics;
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
    void stray(Response r) {
        metrics.stray(Headers.cseq(r).getMethod());
        try {
            ViaHeader top = (ViaHeader) r.getHeader(ViaHeader.NAME);
            if (top == null || !sip.isMyVia(top)) {
                return;
            }
            r.removeFirst(ViaHeader.NAME);
            if (r.getHeader(ViaHeader.NAME) != null) {
                sip.provider().sendResponse(r);
            }
        } catch (Exception e) {
            log.debug("cannot relay stray {}: {}", r.getStatusCode(), e.toString());
        }
    }
}
