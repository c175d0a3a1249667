package org.tollgate.tests.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollgate.tests.support.Sipp;
import org.tollgate.tests.support.TollgateInstance;

/**
 * The proxy's front door, driven with hand-written SIP over a plain UDP socket: Max-Forwards,
 * the message size limit, OPTIONS to the proxy itself, what the JAIN-SIP RI does with malformed
 * requests, and a call arriving over TCP that leaves over UDP.
 */
class SipSanityIT {

    static final String DOMAIN = "tollgate.test";
    static final String TRUSTED = "127.0.0.2";
    static final int MAX_MESSAGE_SIZE = 1500;
    static final Duration ANSWER = Duration.ofSeconds(3);
    /** How long a request that gets no answer is waited for before it counts as dropped. */
    static final Duration DROPPED = Duration.ofMillis(1500);

    static TollgateInstance tollgate;
    static int gatewayPort;
    static int sip;

    @BeforeAll
    static void start() {
        gatewayPort = Sipp.freeUdpPort();
        tollgate = new TollgateInstance(
                "tollgate.roles=aaa,proxy,api",
                "tollgate.proxy.domains=" + DOMAIN,
                "tollgate.proxy.radius.secret=testing123",
                "tollgate.proxy.trusted=" + TRUSTED,
                "tollgate.proxy.max-message-size=" + MAX_MESSAGE_SIZE,
                // the RI logs a request without CSeq as an NPE with its whole 64 KB receive buffer: not here
                "logging.level.tollgate.sipstack=OFF",
                "tollgate.proxy.pstn-routes[0].pattern=00[1-9][0-9]+",
                "tollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:" + gatewayPort);
        sip = tollgate.sipPort();
    }

    @AfterAll
    static void stop() {
        if (tollgate != null) {
            tollgate.close();
        }
    }

    // ---- raw SIP over UDP ----

    /** A request from a fresh UDP socket: its text (with {@code PORT} standing for the socket's port) and the replies. */
    static final class Exchange implements AutoCloseable {
        final DatagramSocket socket;
        final String callId = UUID.randomUUID() + "@sanity";

        Exchange() {
            try {
                socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        String via() {
            return "Via: SIP/2.0/UDP 127.0.0.1:" + port() + ";branch=z9hG4bK" + UUID.randomUUID().toString().replace("-", "");
        }

        void send(String text) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            try {
                socket.send(new DatagramPacket(b, b.length, InetAddress.getByName("127.0.0.1"), sip));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The first final response (provisionals skipped), or null when none came within {@code wait}. */
        String finalResponse(Duration wait) {
            long end = System.nanoTime() + wait.toNanos();
            byte[] buf = new byte[65536];
            try {
                while (true) {
                    long left = (end - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        return null;
                    }
                    socket.setSoTimeout((int) left);
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                    } catch (SocketTimeoutException e) {
                        return null;
                    }
                    String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                    if (text.startsWith("SIP/2.0 1")) {
                        continue;
                    }
                    return text;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** A well-formed request: request line, the usual headers (Via, From, To, Call-ID, CSeq, Max-Forwards), extra lines. */
    static String request(Exchange x, String method, String uri, int maxForwards, String... extra) {
        StringBuilder b = new StringBuilder();
        b.append(method).append(' ').append(uri).append(" SIP/2.0\r\n");
        b.append(x.via()).append("\r\n");
        b.append("From: <sip:sanity@").append(DOMAIN).append(">;tag=").append(Long.toHexString(System.nanoTime())).append("\r\n");
        b.append("To: <").append(uri).append(">\r\n");
        b.append("Call-ID: ").append(x.callId).append("\r\n");
        b.append("CSeq: 1 ").append(method).append("\r\n");
        b.append("Max-Forwards: ").append(maxForwards).append("\r\n");
        for (String e : extra) {
            b.append(e).append("\r\n");
        }
        b.append("Content-Length: 0\r\n\r\n");
        return b.toString();
    }

    static String proxyUri() {
        return "sip:127.0.0.1:" + sip;
    }

    /** Sends one request and returns the status line of its final answer, or null when none came. */
    static String statusLineOf(String text) {
        return text == null ? null : text.substring(0, text.indexOf("\r\n"));
    }

    static String header(String response, String name) {
        for (String line : response.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    static String optionsToProxy() {
        try (Exchange x = new Exchange()) {
            x.send(request(x, "OPTIONS", proxyUri(), 70));
            return x.finalResponse(ANSWER);
        }
    }

    // ---- tests ----

    @Test
    void optionsToTheProxyItselfIsAnswered200WithAllow() {
        String r = optionsToProxy();
        assertThat(r).as("answer to OPTIONS " + proxyUri()).isNotNull();
        assertThat(statusLineOf(r)).startsWith("SIP/2.0 200");
        assertThat(header(r, "Allow")).contains("INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "REGISTER");
        assertThat(header(r, "Call-ID")).isNotNull();
        assertThat(header(r, "To")).contains("tag=");
    }

    @Test
    void maxForwardsZeroIsAnswered483() {
        try (Exchange x = new Exchange()) {
            // a request the proxy would otherwise forward (to the PSTN gateway)
            x.send(request(x, "OPTIONS", "sip:0049301110001@" + DOMAIN, 0));
            assertThat(statusLineOf(x.finalResponse(ANSWER))).startsWith("SIP/2.0 483");
        }
        try (Exchange x = new Exchange()) {
            x.send(request(x, "INVITE", "sip:0049301110001@" + DOMAIN, 0,
                    "Contact: <sip:sanity@127.0.0.1:" + x.port() + ">"));
            assertThat(statusLineOf(x.finalResponse(ANSWER))).startsWith("SIP/2.0 483");
            // nothing was forwarded: an INVITE refused before routing is no call
        }
        assertThat(tollgate.jdbc().queryForObject(
                "SELECT count(*) FROM acc_event WHERE called_station_id LIKE 'sip:0049301110001@%'", Integer.class))
                .isZero();
    }

    @Test
    void requestAboveMaxMessageSizeIsAnswered513() {
        String padding = "X-Padding: " + "a".repeat(MAX_MESSAGE_SIZE);
        try (Exchange x = new Exchange()) {
            String big = request(x, "OPTIONS", proxyUri(), 70, padding);
            assertThat(big.length()).isGreaterThan(MAX_MESSAGE_SIZE);
            x.send(big);
            assertThat(statusLineOf(x.finalResponse(ANSWER))).startsWith("SIP/2.0 513");
        }
        // just below the limit is served as usual
        try (Exchange x = new Exchange()) {
            String small = request(x, "OPTIONS", proxyUri(), 70, "X-Padding: " + "a".repeat(800));
            assertThat(small.length()).isLessThan(MAX_MESSAGE_SIZE);
            x.send(small);
            assertThat(statusLineOf(x.finalResponse(ANSWER))).startsWith("SIP/2.0 200");
        }
    }

    /**
     * What the JAIN-SIP RI (1.3.0-91) does with broken requests, before the proxy sees them: a header
     * it cannot parse among Via, From, To, Call-ID, CSeq, Content-Length or the request line is
     * answered 400 (by the stack itself, with the parse error in the reason phrase and the request
     * as a message/sipfrag body); a request missing Via, From, To, Call-ID or CSeq, or without
     * any header, is dropped silently. A Max-Forwards that cannot be parsed is ignored like any
     * other unparsable header, and a request without one is served (the proxy adds it).
     */
    @Test
    void malformedRequestsAreRefusedOrDroppedAndTheProxyGoesOn() {
        Map<String, UnaryOperator<String>> cases = new LinkedHashMap<>();
        cases.put("garbage request line", ok -> "THIS IS NOT SIP AT ALL" + ok.substring(ok.indexOf("\r\n")));
        cases.put("request line without version", ok -> ok.replaceFirst(" SIP/2.0\r\n", "\r\n"));
        cases.put("bad CSeq number", ok -> ok.replace("CSeq: 1 OPTIONS", "CSeq: abc OPTIONS"));
        cases.put("CSeq method differs", ok -> ok.replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE"));
        cases.put("bad From", ok -> ok.replaceFirst("From: [^\r]*\r\n", "From: <<<nonsense;tag=1\r\n"));
        cases.put("bad Via", ok -> ok.replaceFirst("Via: [^\r]*\r\n", "Via: rubbish\r\n"));
        cases.put("bad Content-Length", ok -> ok.replace("Content-Length: 0", "Content-Length: x"));
        cases.put("garbage alone", ok -> "hello there\r\n\r\n");
        cases.put("missing Call-ID", ok -> ok.replaceFirst("Call-ID: [^\r]*\r\n", ""));
        cases.put("missing CSeq", ok -> ok.replaceFirst("CSeq: [^\r]*\r\n", ""));
        cases.put("missing From", ok -> ok.replaceFirst("From: [^\r]*\r\n", ""));
        cases.put("missing To", ok -> ok.replaceFirst("To: [^\r]*\r\n", ""));
        cases.put("missing Via", ok -> ok.replaceFirst("Via: [^\r]*\r\n", ""));
        cases.put("bad Max-Forwards", ok -> ok.replace("Max-Forwards: 70", "Max-Forwards: lots"));
        cases.put("missing Max-Forwards", ok -> ok.replace("Max-Forwards: 70\r\n", ""));

        Map<String, String> outcome = new LinkedHashMap<>();
        cases.forEach((name, breakIt) -> {
            // each case its own socket, branch and Call-ID: no case may look like a retransmission of another
            try (Exchange x = new Exchange()) {
                x.send(breakIt.apply(request(x, "OPTIONS", proxyUri(), 70)));
                String r = x.finalResponse(DROPPED);
                outcome.put(name, r == null ? "dropped" : statusLineOf(r).substring("SIP/2.0 ".length(), "SIP/2.0 ".length() + 3));
                if (r != null && r.startsWith("SIP/2.0 400")) {
                    assertThat(r).as(name).containsIgnoringCase("SIP/2.0 400 Bad Request");
                    assertThat(header(r, "Call-ID")).as(name).isEqualTo(x.callId);
                }
            }
        });

        Map<String, String> expected = new LinkedHashMap<>();
        List.of("garbage request line", "request line without version", "bad CSeq number", "CSeq method differs",
                "bad From", "bad Via", "bad Content-Length").forEach(n -> expected.put(n, "400"));
        List.of("garbage alone", "missing Call-ID", "missing CSeq", "missing From", "missing To", "missing Via")
                .forEach(n -> expected.put(n, "dropped"));
        List.of("bad Max-Forwards", "missing Max-Forwards").forEach(n -> expected.put(n, "200"));
        assertThat(outcome).containsExactlyEntriesOf(expected);

        String after = optionsToProxy();
        assertThat(after).as("OPTIONS after the malformed requests").isNotNull();
        assertThat(statusLineOf(after)).startsWith("SIP/2.0 200");
    }

    @Test
    void inviteOverTcpReachesAUdpGatewayAndIsAccounted() {
        String called = "0049301110077";
        try (Sipp.Running gw = Sipp.scenario("uas.xml").localIp("127.0.0.1").localPort(gatewayPort).calls(1)
                .timeoutSeconds(40).timeoutError(true).start()) {
            Sipp.Result r = Sipp.scenario("uac.xml").remote("127.0.0.1", sip).localIp(TRUSTED).service(called)
                    .calls(1).set("domain", DOMAIN).set("caller", "tcp1").args("-t", "t1")
                    .timeoutSeconds(30).timeoutError(true).run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        String like = "sip:" + called + "@%";
        await().atMost(Duration.ofSeconds(20)).until(() -> tollgate.jdbc().queryForObject(
                "SELECT count(*) FROM acc_event WHERE called_station_id LIKE ?", Integer.class, like) >= 2);
        List<Map<String, Object>> rows = tollgate.jdbc().queryForList("""
                SELECT status, acct_session_id, sip_method, sip_response_code, sip_translated_uri, sip_src_ip
                FROM acc_event WHERE called_station_id LIKE ? ORDER BY event_time, status_code""", like);
        assertThat(rows).extracting(m -> m.get("status")).containsExactly("START", "STOP");
        assertThat(rows.get(0)).containsEntry("sip_method", "INVITE").containsEntry("sip_response_code", 200)
                .containsEntry("sip_src_ip", TRUSTED)
                .containsEntry("sip_translated_uri", "sip:" + called + "@127.0.0.1:" + gatewayPort);
        assertThat(rows.get(1)).containsEntry("sip_method", "BYE").containsEntry("sip_response_code", 200);
        assertThat(rows.get(1).get("acct_session_id")).isEqualTo(rows.get(0).get("acct_session_id"));
    }

    @Test
    void inviteWithAMadeUpToTagIsNotRelayedForAnUntrustedSource() {
        // the classic toll-fraud probe: a "re-INVITE" for a dialog that never was, routed via the proxy
        try (Exchange x = new Exchange()) {
            String uri = "sip:0049301119999@127.0.0.1:" + gatewayPort;
            x.send("INVITE " + uri + " SIP/2.0\r\n" + x.via() + "\r\n"
                    + "Route: <sip:127.0.0.1:" + sip + ";lr>\r\n"
                    + "From: <sip:fraud@example.net>;tag=f1\r\n"
                    + "To: <sip:0049301119999@" + DOMAIN + ">;tag=made-up\r\n"
                    + "Call-ID: " + x.callId + "\r\nCSeq: 2 INVITE\r\nMax-Forwards: 70\r\n"
                    + "Contact: <sip:fraud@127.0.0.1:" + x.port() + ">\r\nContent-Length: 0\r\n\r\n");
            assertThat(statusLineOf(x.finalResponse(ANSWER))).startsWith("SIP/2.0 481");
        }
    }
}
