package org.tollgate.tests.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.tests.support.RawSip;
import org.tollgate.tests.support.Rtpengine;
import org.tollgate.tests.support.Sipp;
import org.tollgate.tests.support.TollgateInstance;

/**
 * A phone "behind NAT" (issue 17 §2): its Via and Contact say 10.0.0.5:5060, its packets come
 * from 127.0.0.1 and another port. It registers (the answers reach it by rport), is kept open by
 * OPTIONS keepalives, receives a call at its real source, and the caller's in-dialog ACK and BYE
 * reach it too; with the media policy {@code nat} the call's SDP goes through rtpengine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatTraversalIT {

    static final String DOMAIN = "nat.test";
    static final String PRIVATE = "10.0.0.5:5060";

    private Rtpengine rtpengine;
    private TollgateInstance tollgate;

    @BeforeAll
    void start() {
        rtpengine = new Rtpengine(35000, 35999, 10);
        tollgate = new TollgateInstance(
                "tollgate.roles=aaa,proxy",
                "tollgate.proxy.domains=" + DOMAIN,
                "tollgate.proxy.radius.secret=testing123",
                "tollgate.proxy.nat-ping-interval=1s",
                "tollgate.proxy.media.relays=" + rtpengine.ng(),
                "tollgate.proxy.media.policy=nat");
        for (String user : new String[] {"601", "602"}) {
            assertThat(tollgate.cli("user", "add", "--name", user, "--realm", DOMAIN, "--password", "pw-" + user,
                    "--group", "voip")).isZero();
        }
    }

    @AfterAll
    void stop() {
        if (tollgate != null) {
            tollgate.close();
        }
        if (rtpengine != null) {
            rtpengine.close();
        }
    }

    @Test
    void aPhoneBehindNatRegistersIsKeptOpenAndReceivesACallAtItsRealSource() throws Exception {
        int proxy = tollgate.sipPort();
        try (RawSip phone = new RawSip()) {
            // REGISTER, challenged, again with credentials: both answers come back to the real source (rport)
            String challenge = register(phone, 1, null);
            assertThat(RawSip.status(challenge)).isEqualTo(401);
            String ok = register(phone, 2, challenge);
            assertThat(RawSip.status(ok)).as(ok).isEqualTo(200);
            assertThat(RawSip.header(ok, "Via")).contains("received=127.0.0.1").contains("rport=" + phone.port());

            // the keepalive comes to where the REGISTER came from
            String ping = receive(phone, "OPTIONS", Duration.ofSeconds(5));
            assertThat(ping).startsWith("OPTIONS sip:602@" + PRIVATE);
            phone.send(answer(ping, 200, "OK", null), proxy);

            try (Sipp.Running caller = Sipp.scenario("uac-auth.xml").remote("127.0.0.1", proxy).localIp("127.0.0.1")
                    .service("602").calls(1).set("domain", DOMAIN).set("caller", "601").auth("601", "pw-601")
                    .args("-d", "1000").timeoutSeconds(30).timeoutError(true).start()) {
                String invite = receive(phone, "INVITE", Duration.ofSeconds(10));
                // the Request-URI stays its Contact; the packet came to its real source
                assertThat(invite).startsWith("INVITE sip:602@" + PRIVATE);
                // policy nat: the caller's SDP was rewritten to the relay
                assertThat(rtpengine.calls()).hasSize(1);
                phone.send(answer(invite, 200, "OK", "602tag"), proxy);

                String ack = receive(phone, "ACK", Duration.ofSeconds(10));
                // the 200's private Contact was rewritten to the real source: in-dialog requests reach it
                assertThat(ack).startsWith("ACK sip:602@127.0.0.1:" + phone.port());
                String bye = receive(phone, "BYE", Duration.ofSeconds(10));
                assertThat(bye).startsWith("BYE sip:602@127.0.0.1:" + phone.port());
                phone.send(answer(bye, 200, "OK", null), proxy);
                Sipp.Result r = caller.await(Duration.ofSeconds(30));
                assertThat(r.succeeded()).as(r.describe()).isTrue();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> tollgate.jdbc().queryForObject(
                "SELECT count(*) FROM acc_event WHERE status = 'STOP' AND called_station_id = ?", Integer.class,
                "sip:602@" + DOMAIN) == 1);
        assertThat(tollgate.bean(MeterRegistry.class).counter("tollgate_proxy_nat_pings").count()).isPositive();
    }

    private String register(RawSip phone, int cseq, String challenge) throws Exception {
        String auth = "";
        if (challenge != null) {
            String h = RawSip.header(challenge, "WWW-Authenticate");
            String realm = param(h, "realm");
            String nonce = param(h, "nonce");
            String uri = "sip:" + DOMAIN;
            String ha1 = md5("602:" + realm + ":pw-602");
            String ha2 = md5("REGISTER:" + uri);
            String response = md5(ha1 + ":" + nonce + ":00000001:0a4f113b:auth:" + ha2);
            auth = "Authorization: Digest username=\"602\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\""
                    + uri + "\", response=\"" + response + "\", algorithm=MD5, qop=auth, nc=00000001, "
                    + "cnonce=\"0a4f113b\"\r\n";
        }
        phone.send("REGISTER sip:" + DOMAIN + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + PRIVATE + ";rport;branch=z9hG4bKnat" + cseq + "\r\n"
                + "From: <sip:602@" + DOMAIN + ">;tag=reg602\r\n"
                + "To: <sip:602@" + DOMAIN + ">\r\n"
                + "Call-ID: nat-register-602\r\n"
                + "CSeq: " + cseq + " REGISTER\r\n"
                + "Contact: <sip:602@" + PRIVATE + ">\r\n"
                + "Expires: 300\r\n" + auth
                + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n", tollgate.sipPort());
        return phone.finalResponse("nat-register-602", Duration.ofSeconds(5));
    }

    /** The next request of {@code method} (answering keepalives that come before it). */
    private String receive(RawSip phone, String method, Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < end) {
            String m = phone.receive(Duration.ofMillis(200));
            if (m == null || m.startsWith("SIP/2.0")) {
                continue;
            }
            if (m.startsWith(method + " ")) {
                return m;
            }
            if (m.startsWith("OPTIONS ")) {
                phone.send(answer(m, 200, "OK", null), tollgate.sipPort());
            }
        }
        throw new AssertionError("no " + method + " reached the phone within " + wait);
    }

    /** A response to {@code request}; with {@code toTag}, a 200 with the phone's private Contact and SDP. */
    private static String answer(String request, int code, String reason, String toTag) {
        StringBuilder b = new StringBuilder("SIP/2.0 " + code + " " + reason + "\r\n");
        for (String via : RawSip.headers(request, "Via")) {
            b.append("Via: ").append(via).append("\r\n");
        }
        for (String rr : RawSip.headers(request, "Record-Route")) {
            b.append("Record-Route: ").append(rr).append("\r\n");
        }
        b.append("From: ").append(RawSip.header(request, "From")).append("\r\n");
        String to = RawSip.header(request, "To");
        b.append("To: ").append(toTag != null && !to.contains("tag=") ? to + ";tag=" + toTag : to).append("\r\n");
        b.append("Call-ID: ").append(RawSip.header(request, "Call-ID")).append("\r\n");
        b.append("CSeq: ").append(RawSip.header(request, "CSeq")).append("\r\n");
        if (toTag == null) {
            return b.append("Content-Length: 0\r\n\r\n").toString();
        }
        String sdp = "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        return b.append("Contact: <sip:602@").append(PRIVATE).append(">\r\n")
                .append("Content-Type: application/sdp\r\nContent-Length: ")
                .append(sdp.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n").append(sdp).toString();
    }

    private static String param(String header, String name) {
        Matcher m = Pattern.compile(name + "=\"?([^\",]+)\"?").matcher(header);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + header);
        }
        return m.group(1);
    }

    private static String md5(String s) throws Exception {
        byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        return String.format("%032x", new BigInteger(1, d));
    }
}
