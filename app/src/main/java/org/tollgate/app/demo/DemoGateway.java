package org.tollgate.app.demo;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.TimeoutEvent;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The PSTN as the demo's proxy sees it: a SIP gateway on its own UDP port, which the proxy's
 * PSTN route points at. What happens to a call depends on the number dialled: it is answered
 * after a second of ringing, it is busy, or it rings until the INVITE is cancelled.
 */
final class DemoGateway implements EndpointListener, AutoCloseable {

    enum Behaviour { ANSWER, BUSY, RING }

    private final Map<String, Behaviour> numbers;
    private final UdpSipStack sip;
    private final ScheduledExecutorService answering = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-gateway");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ServerTransaction> invites = new ConcurrentHashMap<>();
    private final Map<String, String> toTags = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Request>> byes = new ConcurrentHashMap<>();

    DemoGateway(int port, Map<String, Behaviour> numbers) {
        this.numbers = Map.copyOf(numbers);
        this.sip = new UdpSipStack("gateway", port, null, this);
    }

    int port() {
        return sip.port;
    }

    /** Completes with the BYE that ends the call {@code callId} on the gateway's side. */
    CompletableFuture<Request> bye(String callId) {
        return byes.computeIfAbsent(callId, k -> new CompletableFuture<>());
    }

    @Override
    public void processRequest(RequestEvent ev) {
        Request req = ev.getRequest();
        String callId = ((CallIdHeader) req.getHeader(CallIdHeader.NAME)).getCallId();
        try {
            switch (req.getMethod()) {
                case Request.INVITE:
                    if (((ToHeader) req.getHeader(ToHeader.NAME)).getTag() == null) {
                        invite(transaction(ev), req, callId);
                    }
                    break;
                case Request.CANCEL:
                    transaction(ev).sendResponse(sip.messages.createResponse(Response.OK, req));
                    ServerTransaction st = invites.remove(callId);
                    if (st != null) {
                        st.sendResponse(response(Response.REQUEST_TERMINATED, st.getRequest(), callId));
                    }
                    break;
                case Request.BYE:
                    transaction(ev).sendResponse(sip.messages.createResponse(Response.OK, req));
                    bye(callId).complete(req);
                    break;
                case Request.ACK:
                    break;
                default:
                    transaction(ev).sendResponse(sip.messages.createResponse(Response.OK, req));
                    break;
            }
        } catch (Exception e) {
            // a retransmission the stack answered already
        }
    }

    private void invite(ServerTransaction st, Request req, String callId) throws Exception {
        String number = ((SipURI) req.getRequestURI()).getUser();
        Behaviour b = numbers.getOrDefault(number, Behaviour.BUSY);
        toTags.put(callId, Long.toHexString(ThreadLocalRandom.current().nextLong()));
        st.sendResponse(response(Response.RINGING, req, callId));
        switch (b) {
            case BUSY:
                st.sendResponse(response(Response.BUSY_HERE, req, callId));
                break;
            case ANSWER:
                answering.schedule(() -> answer(st, req, callId), 1, TimeUnit.SECONDS);
                break;
            default:
                invites.put(callId, st);
                break;
        }
    }

    private void answer(ServerTransaction st, Request req, String callId) {
        try {
            Response ok = response(Response.OK, req, callId);
            ok.setContent("v=0\r\no=gw 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio " + (sip.port + 2) + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n",
                    sip.headers.createContentTypeHeader("application", "sdp"));
            st.sendResponse(ok);
        } catch (Exception e) {
            bye(callId).completeExceptionally(e);
        }
    }

    private Response response(int code, Request req, String callId) throws Exception {
        Response r = sip.messages.createResponse(code, req);
        ((ToHeader) r.getHeader(ToHeader.NAME)).setTag(toTags.get(callId));
        SipURI contact = sip.addresses.createSipURI(((SipURI) req.getRequestURI()).getUser(), UdpSipStack.HOST);
        contact.setPort(sip.port);
        r.addHeader(sip.headers.createContactHeader(sip.addresses.createAddress(contact)));
        return r;
    }

    private ServerTransaction transaction(RequestEvent ev) throws Exception {
        return ev.getServerTransaction() != null ? ev.getServerTransaction()
                : sip.provider.getNewServerTransaction(ev.getRequest());
    }

    @Override
    public void processResponse(ResponseEvent ev) {
    }

    @Override
    public void processTimeout(TimeoutEvent ev) {
    }

    @Override
    public void close() {
        answering.shutdownNow();
        sip.close();
    }
}
