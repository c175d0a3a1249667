package org.tollgate.proxy.sip;

import java.util.ListIterator;

import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.message.Request;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;

/**
 * The stack's router with Kamailio's destination URI ({@code $du}): a request marked with
 * {@link #sendTo} goes to that address whatever its Request-URI says — a phone behind NAT is
 * reached where its REGISTER came from while the Request-URI stays its Contact. Anything else
 * goes where RFC 3261 says (Route, else Request-URI).
 */
public final class NextHopRouter implements Router {

    private final DefaultRouter rfc3261;

    /** The constructor the stack calls ({@code javax.sip.ROUTER_PATH}). */
    public NextHopRouter(SipStack stack, String outboundProxy) {
        this.rfc3261 = new DefaultRouter(stack, outboundProxy);
    }

    /** Sends {@code request} to {@code destination} over {@code transport}, not to its Request-URI. */
    public static void sendTo(Request request, HostPort destination, String transport) {
        ((SIPRequest) request).setApplicationData(new HopImpl(destination.host(), destination.port(), transport));
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        if (request instanceof SIPRequest r && r.getApplicationData() instanceof Hop hop) {
            return hop;
        }
        return rfc3261.getNextHop(request);
    }

    @Override
    public Hop getOutboundProxy() {
        return rfc3261.getOutboundProxy();
    }

    @Override
    @SuppressWarnings({"rawtypes", "deprecation"})
    public ListIterator getNextHops(Request request) {
        return rfc3261.getNextHops(request);
    }
}
