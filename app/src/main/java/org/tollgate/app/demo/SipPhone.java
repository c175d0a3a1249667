package org.tollgate.app.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.TimeoutEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A SIP phone of the demo: its own UDP socket, registering and calling through the proxy (its
 * outbound proxy) and answering the proxy's digest challenges (401 on REGISTER, 407 on
 * INVITE) with its password. Its SDP offers a port; RTP is sent only when asked ({@link #sendMedia}).
 */
final class SipPhone implements EndpointListener, AutoCloseable {

    private final String name;
    private final String user;
    private final String domain;
    private final String password;
    private final UdpSipStack sip;
    private final Map<String, PhoneCall> calls = new ConcurrentHashMap<>();
    private volatile CompletableFuture<Integer> registration = new CompletableFuture<>();
    private volatile boolean registerChallenged;

    SipPhone(String name, String user, String domain, String password, int proxyPort) {
        this.name = name;
        this.user = user;
        this.domain = domain;
        this.password = password;
        this.sip = new UdpSipStack("phone-" + name, 0, UdpSipStack.HOST + ":" + proxyPort + "/udp", this);
    }

    String name() {
        return name;
    }

    String aor() {
        return user + "@" + domain;
    }

    /** REGISTER (challenged with 401, sent again with credentials); the final status code. */
    int register(Duration timeout) throws Exception {
        registration = new CompletableFuture<>();
        registerChallenged = false;
        Request r = request(Request.REGISTER, "sip:" + domain, "sip:" + aor(), sip.provider.getNewCallId().getCallId());
        r.addHeader(sip.headers.createExpiresHeader(300));
        sip.provider.getNewClientTransaction(r).sendRequest();
        int code = Waits.get(registration, timeout, name + "'s REGISTER");
        if (code == Response.OK && !registerChallenged) {
            throw new DemoFailure("the proxy registered " + aor() + " without a digest challenge");
        }
        return code;
    }

    /** Sends an INVITE to {@code number}@domain; the call's futures say what follows. */
    PhoneCall call(String number) throws Exception {
        String callId = sip.provider.getNewCallId().getCallId();
        PhoneCall call = new PhoneCall(callId, number);
        calls.put(callId, call);
        Request invite = request(Request.INVITE, "sip:" + number + "@" + domain, "sip:" + number + "@" + domain, callId);
        // a phone that supports session timers: the proxy then makes it the refresher (RFC 4028)
        invite.addHeader(sip.headers.createSupportedHeader("timer"));
        invite.setContent(sdp(), sip.headers.createContentTypeHeader("application", "sdp"));
        send(call, invite);
        return call;
    }

    void hangUp(PhoneCall call) throws Exception {
        Request bye = call.dialog.createRequest(Request.BYE);
        ClientTransaction ct = sip.provider.getNewClientTransaction(bye);
        call.dialog.sendRequest(ct);
    }

    void cancel(PhoneCall call) throws Exception {
        Request cancel = call.invite.createCancel();
        sip.provider.getNewClientTransaction(cancel).sendRequest();
    }

    private void send(PhoneCall call, Request invite) throws Exception {
        ClientTransaction ct = sip.provider.getNewClientTransaction(invite);
        call.invite = ct;
        ct.sendRequest();
    }

    private Request request(String method, String requestUri, String toUri, String callId) throws Exception {
        Address self = sip.addresses.createAddress("sip:" + aor());
        Address to = sip.addresses.createAddress(toUri);
        CallIdHeader cid = sip.headers.createCallIdHeader(callId);
        CSeqHeader cseq = sip.headers.createCSeqHeader(1L, method);
        ViaHeader via = sip.headers.createViaHeader(UdpSipStack.HOST, sip.port, "udp", null);
        Request r = sip.messages.createRequest(sip.addresses.createURI(requestUri), method, cid, cseq,
                sip.headers.createFromHeader(self, Long.toHexString(ThreadLocalRandom.current().nextLong())),
                sip.headers.createToHeader(to, null), List.of(via), sip.headers.createMaxForwardsHeader(70));
        SipURI contact = sip.addresses.createSipURI(user, UdpSipStack.HOST);
        contact.setPort(sip.port);
        r.addHeader(sip.headers.createContactHeader(sip.addresses.createAddress(contact)));
        r.addHeader(sip.headers.createUserAgentHeader(List.of("Tollgate-demo-phone/0.1")));
        return r;
    }

    /** The same request again with credentials: next CSeq, a new branch (a new transaction). */
    private Request withCredentials(Response challenge, Request original) throws Exception {
        Request again = (Request) original.clone();
        CSeqHeader cseq = (CSeqHeader) again.getHeader(CSeqHeader.NAME);
        cseq.setSeqNumber(cseq.getSeqNumber() + 1);
        again.removeHeader(ViaHeader.NAME);
        again.addHeader(sip.headers.createViaHeader(UdpSipStack.HOST, sip.port, "udp", null));
        again.addHeader(DigestAnswer.to(challenge, again, user, password, sip.headers));
        return again;
    }

    /**
     * Sends {@code length} of RTP (PCMU, a packet every 20 ms) from the port its SDP offered to the
     * one the answer named, then stops — as a phone whose network went away.
     */
    void sendMedia(PhoneCall call, Duration length) throws Exception {
        if (call.remoteMedia == null) {
            throw new DemoFailure("the answer to the call to " + call.number + " named no media address");
        }
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(sip.port + 2,
                java.net.InetAddress.getByName(UdpSipStack.HOST))) {
            byte[] packet = new byte[12 + 160];
            packet[0] = (byte) 0x80;
            int ssrc = ThreadLocalRandom.current().nextInt();
            long packets = length.toMillis() / 20;
            long start = System.nanoTime();
            for (int seq = 0; seq < packets; seq++) {
                packet[2] = (byte) (seq >> 8);
                packet[3] = (byte) seq;
                int ts = seq * 160;
                for (int i = 0; i < 4; i++) {
                    packet[4 + i] = (byte) (ts >> (24 - 8 * i));
                    packet[8 + i] = (byte) (ssrc >> (24 - 8 * i));
                }
                java.util.Arrays.fill(packet, 12, packet.length, (byte) 0xff); // PCMU silence
                socket.send(new java.net.DatagramPacket(packet, packet.length, call.remoteMedia));
                long next = start + (seq + 1) * 20_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
    }

    /** The c= address and first m=audio port of a message's SDP, or null. */
    private static java.net.InetSocketAddress mediaAddress(Response r) {
        byte[] body = r.getRawContent();
        if (body == null) {
            return null;
        }
        String sdp = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher c = java.util.regex.Pattern.compile("(?m)^c=IN IP4 (\\S+)").matcher(sdp);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^m=audio (\\d+)").matcher(sdp);
        return c.find() && m.find() ? new java.net.InetSocketAddress(c.group(1), Integer.parseInt(m.group(1))) : null;
    }

    private String sdp() {
        int media = sip.port + 2;
        return "v=0\r\no=" + user + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + media + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    }

    @Override
    public void processResponse(ResponseEvent ev) {
        Response r = ev.getResponse();
        CSeqHeader cseq = (CSeqHeader) r.getHeader(CSeqHeader.NAME);
        String callId = ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
        int code = r.getStatusCode();
        try {
            switch (cseq.getMethod()) {
                case Request.REGISTER:
                    onRegister(ev, r, code);
                    break;
                case Request.INVITE:
                    onInvite(ev, r, code, calls.get(callId));
                    break;
                case Request.BYE:
                    PhoneCall c = calls.get(callId);
                    if (c != null && code >= 200) {
                        c.ended.complete(code);
                    }
                    break;
                default:
                    break;
            }
        } catch (Exception e) {
            failAll(callId, e);
        }
    }

    private void onRegister(ResponseEvent ev, Response r, int code) throws Exception {
        if (code == Response.UNAUTHORIZED && !registerChallenged && ev.getClientTransaction() != null) {
            registerChallenged = true;
            Request again = withCredentials(r, ev.getClientTransaction().getRequest());
            sip.provider.getNewClientTransaction(again).sendRequest();
        } else if (code >= 200) {
            registration.complete(code);
        }
    }

    private void onInvite(ResponseEvent ev, Response r, int code, PhoneCall call) throws Exception {
        if (call == null) {
            return;
        }
        if (code == 180 || code == 183) {
            call.ringing.complete(null);
        } else if (code == Response.PROXY_AUTHENTICATION_REQUIRED && !call.challenged && ev.getClientTransaction() != null) {
            call.challenged = true;
            send(call, withCredentials(r, ev.getClientTransaction().getRequest()));
        } else if (code >= 200 && code < 300) {
            call.remoteMedia = mediaAddress(r);
            // the 2xx is acknowledged end to end, also when it is a retransmission
            javax.sip.Dialog d = ev.getDialog();
            if (d != null) {
                d.sendAck(d.createAck(((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber()));
                call.dialog = d;
            }
            call.answer.complete(code);
        } else if (code >= 300) {
            call.answer.complete(code);
        }
    }

    @Override
    public void processRequest(RequestEvent ev) {
        Request req = ev.getRequest();
        if (req.getMethod().equals(Request.ACK)) {
            return;
        }
        try {
            ServerTransaction st = ev.getServerTransaction() != null ? ev.getServerTransaction()
                    : sip.provider.getNewServerTransaction(req);
            st.sendResponse(sip.messages.createResponse(Response.OK, req));
            if (req.getMethod().equals(Request.BYE)) {
                PhoneCall c = calls.get(((CallIdHeader) req.getHeader(CallIdHeader.NAME)).getCallId());
                if (c != null) {
                    c.ended.complete(Response.OK);
                }
            }
        } catch (Exception e) {
            // a retransmission the stack already answered
        }
    }

    @Override
    public void processTimeout(TimeoutEvent ev) {
        ClientTransaction ct = ev.getClientTransaction();
        if (ct == null) {
            return;
        }
        String callId = ((CallIdHeader) ct.getRequest().getHeader(CallIdHeader.NAME)).getCallId();
        failAll(callId, new IllegalStateException(ct.getRequest().getMethod() + " from " + user + " timed out"));
    }

    private void failAll(String callId, Exception e) {
        PhoneCall c = calls.get(callId);
        if (c == null) {
            registration.completeExceptionally(e);
            return;
        }
        c.ringing.completeExceptionally(e);
        c.answer.completeExceptionally(e);
        c.ended.completeExceptionally(e);
    }

    /** The phone is switched off: its socket closes, whatever calls it has. */
    @Override
    public void close() {
        sip.close();
    }
}
