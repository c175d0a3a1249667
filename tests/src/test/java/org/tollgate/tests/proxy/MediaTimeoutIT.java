package org.tollgate.tests.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.tollgate.tests.support.Rtpengine;
import org.tollgate.tests.support.Sipp;
import org.tollgate.tests.support.TollgateInstance;

/**
 * Calls with real RTP (SIPp plays 7.05 s of PCMA each way) through a real rtpengine whose timeout
 * is 3 s and whose teardown callback points at the admin API (issue 17 §1, §3): a call hung up with
 * BYE is billed as usual; a call whose media stops is ended by the proxy within the relay timeout
 * + 2 s, BYE to both sides, and billed to its last packet with Acct-Terminate-Cause Idle-Timeout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MediaTimeoutIT {

    static final String DOMAIN = "tollgate.test";
    /** The RTP in /usr/share/sip-tester/g711a.pcap, first packet to last. */
    static final double RTP_SECONDS = 7.05;
    static final int RELAY_TIMEOUT = 3;

    private Rtpengine rtpengine;
    private TollgateInstance tollgate;
    private int gatewayPort;

    @BeforeAll
    void start() {
        int ng = Rtpengine.freeUdpPort();
        gatewayPort = Sipp.freeUdpPort();
        tollgate = new TollgateInstance(
                "tollgate.roles=aaa,proxy,api",
                "tollgate.proxy.domains=" + DOMAIN,
                "tollgate.proxy.radius.secret=testing123",
                "tollgate.proxy.media.relays=127.0.0.1:" + ng,
                "tollgate.proxy.media.relay-timeout=" + RELAY_TIMEOUT + "s",
                "tollgate.proxy.media.poll-interval=1s",
                "tollgate.proxy.pstn-routes[0].pattern=00[1-9][0-9]+",
                "tollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:" + gatewayPort);
        rtpengine = new Rtpengine(ng, 34000, 34999, RELAY_TIMEOUT,
                "--b2b-url=http://127.0.0.1:" + tollgate.httpPort() + "/api/rtpengine", "--xmlrpc-format=1");
        assertThat(tollgate.cli("user", "add", "--name", "601", "--realm", DOMAIN, "--password", "pw-601", "--group",
                "voip", "--group", "pstn")).isZero();
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

    private Sipp.Running caller(String called, boolean idle, int holdMs) {
        return Sipp.scenario("uac-media.xml").remote("127.0.0.1", tollgate.sipPort()).localIp("127.0.0.1")
                .service(called).calls(1).set("domain", DOMAIN).set("caller", "601").auth("601", "pw-601")
                .set("idle", idle ? "yes" : "no").args("-d", Integer.toString(holdMs), "-mp", Integer.toString(
                        Sipp.freeUdpPort())).timeoutSeconds(60).timeoutError(true).start();
    }

    private Sipp.Running gateway() {
        return Sipp.scenario("uas-media.xml").localIp("127.0.0.1").localPort(gatewayPort).calls(1)
                .args("-mp", Integer.toString(Sipp.freeUdpPort())).timeoutSeconds(60).timeoutError(true).start();
    }

    private Map<String, Object> cdr(String callee) {
        assertThat(tollgate.cli("-Dtollgate.cdr.settle=0s", "batch", "run")).isZero();
        return tollgate.jdbc().queryForMap("""
                SELECT call_id, disposition, answer_time, end_time, billable_seconds, terminate_cause, repair
                  FROM cdr WHERE callee = ?""", "sip:" + callee + "@" + DOMAIN);
    }

    private double mediaTimeouts() {
        return tollgate.bean(MeterRegistry.class).counter("tollgate_proxy_calls", "outcome", "media_timeout").count();
    }

    @Test
    @Order(1)
    void aCallWithMediaBothWaysThatEndsWithByeIsBilledAsUsual() {
        try (Sipp.Running gw = gateway(); Sipp.Running caller = caller("0049301170101", false, 8000)) {
            Sipp.Result r = caller.await(Duration.ofSeconds(60));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        Map<String, Object> cdr = cdr("0049301170101");
        assertThat(cdr).containsEntry("disposition", "ANSWERED");
        assertThat(cdr.get("terminate_cause")).isNull();
        assertThat(cdr.get("repair")).isNull();
        assertThat((Long) cdr.get("billable_seconds")).isBetween(8L, 10L);
        // while it was up the relay was asked about it: its last packet is kept for the CDR engine
        Timestamp last = tollgate.jdbc().queryForObject(
                "SELECT max(last_media_at) FROM media_event WHERE call_id = ? AND source = 'proxy-media-relay'",
                Timestamp.class, cdr.get("call_id"));
        assertThat(last).isNotNull();
        assertThat(Duration.between(((Timestamp) cdr.get("answer_time")).toInstant(), last.toInstant()).toMillis())
                .isBetween(6000L, 8100L);
        assertThat(tollgate.jdbc().queryForObject("SELECT count(*) FROM media_event WHERE call_id = ?", Integer.class,
                cdr.get("call_id"))).as("one row per call, however often it was polled").isEqualTo(1);
        assertThat(mediaTimeouts()).isZero();
    }

    @Test
    @Order(2)
    void aCallWhoseMediaStopsIsEndedWithByeBothWaysAndBilledToItsLastPacket() {
        try (Sipp.Running gw = gateway(); Sipp.Running caller = caller("0049301170102", true, 0)) {
            // each side gets the proxy's BYE (the scenarios fail without it)
            Sipp.Result r = caller.await(Duration.ofSeconds(60));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            Sipp.Result g = gw.await(Duration.ofSeconds(20));
            assertThat(g.succeeded()).as(g.describe()).isTrue();
        }
        assertThat(mediaTimeouts()).isEqualTo(1);
        Map<String, Object> stop = tollgate.jdbc().queryForMap("""
                SELECT s.received_at AS stop_sent, a.event_time AS answered, s.terminate_cause,
                       s.attributes->>'Tollgate-Terminate-Reason' AS reason
                  FROM acc_event s JOIN acc_event a ON a.acct_session_id = s.acct_session_id AND a.status = 'START'
                 WHERE s.status = 'STOP' AND s.called_station_id = ?""", "sip:0049301170102@" + DOMAIN);
        assertThat(stop).containsEntry("terminate_cause", 4).containsEntry("reason", "media-timeout");
        // torn down within the relay's timeout + 2 s of the last RTP packet (answer times are whole seconds)
        double lastRtp = ((Timestamp) stop.get("answered")).getTime() / 1000.0 + RTP_SECONDS;
        double torn = ((Timestamp) stop.get("stop_sent")).getTime() / 1000.0;
        assertThat(torn - lastRtp).isLessThanOrEqualTo(RELAY_TIMEOUT + 2 + 1.0);

        Map<String, Object> cdr = cdr("0049301170102");
        assertThat(cdr).containsEntry("disposition", "ANSWERED").containsEntry("terminate_cause", 4);
        // the CDR ends at the last packet (within 1 s), not when the timeout fired 3 s later
        long ms = Duration.between(((Timestamp) cdr.get("answer_time")).toInstant(),
                ((Timestamp) cdr.get("end_time")).toInstant()).toMillis();
        assertThat(ms).isBetween((long) (RTP_SECONDS * 1000) - 1000, (long) (RTP_SECONDS * 1000) + 1000);
    }

    @Test
    @Order(3)
    void theRelayCallbackServesTheRelaysAndAdminsOnly() throws IOException {
        String teardown = "<?xml version=\"1.0\"?><methodCall><methodName>teardown</methodName><params>"
                + "<param><value><string>no-such-call</string></value></param></params></methodCall>";
        // from the relay's host (127.0.0.1): served, though no proxy holds the call
        assertThat(post(InetAddress.getByName("127.0.0.1"), teardown, null)).startsWith("HTTP/1.1 200")
                .contains("not found");
        // from anywhere else: the admin token is needed
        assertThat(post(InetAddress.getByName("127.0.0.2"), teardown, null)).startsWith("HTTP/1.1 401");
        assertThat(post(InetAddress.getByName("127.0.0.2"), teardown, TollgateInstance.API_TOKEN))
                .startsWith("HTTP/1.1 200");
        // not a teardown: an XML-RPC fault, nothing ended
        assertThat(post(InetAddress.getByName("127.0.0.1"), "<methodCall><methodName>x</methodName></methodCall>", null))
                .contains("<fault>");
    }

    private String post(InetAddress from, String body, String token) throws IOException {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), tollgate.httpPort(), from, 0)) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST /api/rtpengine HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                    + "Content-Length: " + b.length + "\r\nConnection: close\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
