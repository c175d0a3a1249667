package org.tollgate.proxy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.proxy.acct.CallAccountant;
import org.tollgate.proxy.dialog.Dialog;
import org.tollgate.proxy.sip.SipEndpoint;

/**
 * Ends a dialog from the middle: a BYE to the callee as if from the caller and a BYE to the
 * caller as if from the callee, each with the route set of its side and a CSeq above what that
 * side has used; then the Stop with the cause.
 */
final class DialogEnder {

    private static final Logger log = LoggerFactory.getLogger(DialogEnder.class);

    private final SipEndpoint sip;
    private final CallAccountant acct;

    DialogEnder(SipEndpoint sip, CallAccountant acct) {
        this.sip = sip;
        this.acct = acct;
    }

    /**
     * {@code reason}: the Stop's Tollgate-Terminate-Reason (why, beyond the RADIUS cause), or null;
     * {@code at}: when the call is accounted as ended (now, or its last media packet).
     */
    void end(Dialog d, String cause, String reason, Instant at) {
        send(d, true);
        send(d, false);
        acct.stop(d.leg(), d.calleeTag(), null, null, 200, d.translated(), cause, reason,
                Math.max(0, d.secondsSinceAnswer(at)), at);
    }

    private void send(Dialog d, boolean toCallee) {
        String contact = toCallee ? d.calleeContact() : d.callerContact();
        if (contact == null) {
            return;
        }
        try {
            HeaderFactory h = sip.headers();
            URI target = sip.addresses().createURI(contact);
            Address fromAddr = sip.addresses().createAddress(toCallee ? d.fromHeader() : d.toHeader());
            Address toAddr = sip.addresses().createAddress(toCallee ? d.toHeader() : d.fromHeader());
            FromHeader from = h.createFromHeader(fromAddr, toCallee ? d.leg().fromTag() : d.calleeTag());
            ToHeader to = h.createToHeader(toAddr, toCallee ? d.calleeTag() : d.leg().fromTag());
            CallIdHeader callId = h.createCallIdHeader(d.leg().callId());
            CSeqHeader cseq = h.createCSeqHeader(d.nextCSeq(toCallee), Request.BYE);
            MaxForwardsHeader mf = h.createMaxForwardsHeader(70);
            String transport = ProxiedRequest.transportOf(target);
            ViaHeader via = sip.via(transport);
            Request bye = sip.messages().createRequest(target, Request.BYE, callId, cseq, from, to, List.of(via), mf);
            for (String r : routes(d, toCallee)) {
                bye.addHeader(h.createRouteHeader(sip.addresses().createAddress(r)));
            }
            sip.provider().getNewClientTransaction(bye).sendRequest();
        } catch (Exception e) {
            log.warn("cannot send BYE for {} to the {}: {}", d.leg().callId(), toCallee ? "callee" : "caller", e.toString());
        }
    }

    /** The 2xx's Record-Route lists the callee's side first; we are somewhere in it. */
    private List<String> routes(Dialog d, boolean toCallee) {
        List<String> rs = d.routeSet();
        int me = -1;
        for (int i = 0; i < rs.size(); i++) {
            try {
                Address a = sip.addresses().createAddress(rs.get(i));
                if (a.getURI() instanceof SipURI && sip.isMe(a.getURI())) {
                    me = toCallee ? (me < 0 ? i : me) : i;
                }
            } catch (Exception e) {
                log.trace("bad route", e);
            }
        }
        List<String> out = new ArrayList<>();
        if (me < 0) {
            return out;
        }
        if (toCallee) {
            for (int i = me - 1; i >= 0; i--) {
                out.add(rs.get(i));
            }
        } else {
            for (int i = me + 1; i < rs.size(); i++) {
                out.add(rs.get(i));
            }
        }
        return out;
    }
}
