package org.tollgate.tests.diameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jdiameter.api.PeerState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollgate.diameter.DiameterServer;
import org.tollgate.tests.support.FreeDiameter;
import org.tollgate.tests.support.TollgateInstance;

/**
 * The Diameter server against a real peer, freeDiameterd: capabilities exchange, watchdogs and
 * disconnect; an unknown peer refused at CER; base accounting into acc_event and the CDRs; the
 * errors a bad request gets.
 */
class DiameterInteropIT {

    static final String TOLLGATE = "tollgate.test";
    static final String PEER = "client.fd.test";

    static TollgateInstance tollgate;
    static FreeDiameter peer;
    static int port;

    @BeforeAll
    static void start() {
        port = FreeDiameter.freeTcpPort();
        tollgate = new TollgateInstance("tollgate.roles=aaa,diameter,api", "tollgate.diameter.identity=" + TOLLGATE,
                "tollgate.diameter.realm=" + TOLLGATE, "tollgate.diameter.bind-address=127.0.0.1",
                "tollgate.diameter.port=" + port, "tollgate.diameter.watchdog-interval=6s",
                "tollgate.diameter.watchdog-timeout=2s");
        assertThat(tollgate.cli("diameter-peer", "add", "--name", "fd", "--origin-host", PEER, "--realm", "fd.test",
                "--address", "127.0.0.1")).isZero();
        peer = new FreeDiameter(PEER, TOLLGATE, port);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(states()).containsEntry(PEER, PeerState.OKAY));
    }

    @AfterAll
    static void stop() {
        if (peer != null) {
            peer.close();
        }
        if (tollgate != null) {
            tollgate.close();
        }
    }

    static Map<String, PeerState> states() {
        return tollgate.bean(DiameterServer.class).peerStates();
    }

    @Test
    void theConnectionOutlivesSeveralWatchdogIntervals() throws Exception {
        // freeDiameter's Tw is 6 s: in 14 s it sends DWRs, which are answered, and the peer stays up
        Thread.sleep(14_000);
        assertThat(states()).containsEntry(PEER, PeerState.OKAY);
        assertThat(peer.log()).doesNotContain("STATE_SUSPECT");
    }

    @Test
    void aPeerThatStopsAnsweringWatchdogsIsMarkedDown() {
        assertThat(tollgate.cli("diameter-peer", "add", "--name", "frozen", "--origin-host", "frozen.fd.test",
                "--realm", "fd.test", "--address", "127.0.0.1")).isZero();
        try (FreeDiameter frozen = new FreeDiameter("frozen.fd.test", TOLLGATE, port)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(states()).containsEntry("frozen.fd.test", PeerState.OKAY));
            frozen.freeze();
            // Tw 6 s, then 2 s for the DWA: down within about 10 s
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(states()).doesNotContainEntry("frozen.fd.test", PeerState.OKAY));
            assertThat(states()).containsEntry(PEER, PeerState.OKAY);
        }
    }

    @Test
    void aPeerRemovedWhileConnectedIsDisconnectedAndListedNoMore() {
        assertThat(tollgate.cli("diameter-peer", "add", "--name", "leaving", "--origin-host", "leaving.fd.test",
                "--realm", "fd.test", "--address", "127.0.0.1")).isZero();
        assertThat(tollgate.cliCaptured("diameter-peer", "list").out()).contains("leaving.fd.test").contains(PEER);
        try (FreeDiameter leaving = new FreeDiameter("leaving.fd.test", TOLLGATE, port)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(states()).containsEntry("leaving.fd.test", PeerState.OKAY));
            assertThat(tollgate.cli("diameter-peer", "remove", "leaving")).isZero();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(states()).doesNotContainEntry("leaving.fd.test", PeerState.OKAY));
            assertThat(tollgate.cliCaptured("diameter-peer", "list").out()).doesNotContain("leaving.fd.test");
            assertThat(tollgate.cli("diameter-peer", "remove", "leaving")).isEqualTo(1);
        }
    }

    @Test
    void aBadPeerDefinitionIsRefusedWithAReason() {
        TollgateInstance.CliRun r = tollgate.cliCaptured("diameter-peer", "add", "--name", "bad", "--origin-host",
                "not a host", "--realm", "fd.test", "--address", "127.0.0.1");
        assertThat(r.rc()).isNotZero();
        assertThat(r.err()).contains("DiameterIdentity");
        assertThat(tollgate.cliCaptured("diameter-peer", "add", "--name", "dup", "--origin-host", PEER, "--realm",
                "fd.test", "--address", "127.0.0.1").err()).contains("exists already");
    }

    @Test
    void anUnknownPeerIsRefusedAtCer() {
        try (FreeDiameter stranger = new FreeDiameter("stranger.fd.test", TOLLGATE, port)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(stranger.log()).contains("DIAMETER_UNKNOWN_PEER"));
            assertThat(states()).doesNotContainEntry("stranger.fd.test", PeerState.OKAY);
            assertThat(tollgate.bean(io.micrometer.core.instrument.MeterRegistry.class)
                    .counter("tollgate_diameter_peers_refused").count()).isPositive();
        }
    }

    @Test
    void accountingStartAndStopMakeOneCdrAndARetransmissionNoSecondRow() {
        long t0 = Instant.parse("2026-12-01T10:00:00Z").getEpochSecond();
        String call = " session=" + PEER + ";1;acr realm=" + TOLLGATE + " user=alice@fd.test callid=acr-call-1@fd"
                + " fromtag=ft1 totag=tt1 calling=sip:alice@fd.test dest=sip:0049301110601@fd.test code=200";
        FreeDiameter.Answer start = peer.request("acr type=2 number=0 method=INVITE ts=" + t0 + call);
        assertThat(start.resultCode()).isEqualTo(2001);
        FreeDiameter.Answer stop = peer.request("acr type=4 number=1 method=BYE time=65 e2e=4242 ts=" + (t0 + 65) + call);
        assertThat(stop.resultCode()).isEqualTo(2001);
        // the same STOP again, T flag set, as a client that lost the ACA sends it
        FreeDiameter.Answer again = peer.request("acr type=4 number=1 method=BYE time=65 e2e=4242 retransmit=1 ts="
                + (t0 + 65) + call);
        assertThat(again.resultCode()).isEqualTo(2001);

        assertThat(tollgate.jdbc().queryForList("""
                SELECT status, nas_name, user_name FROM acc_event WHERE acct_session_id = 'acr-call-1@fd'
                ORDER BY event_time""")).extracting(r -> r.get("status") + "/" + r.get("nas_name") + "/" + r.get("user_name"))
                .containsExactly("START/fd/alice@fd.test", "STOP/fd/alice@fd.test");

        assertThat(tollgate.cli("-Dtollgate.cdr.settle=0s", "batch", "run", "--date", "2026-12-01")).isZero();
        assertThat(tollgate.jdbc().queryForList(
                "SELECT duration_seconds, disposition, callee FROM cdr WHERE call_id = 'acr-call-1@fd'"))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("duration_seconds")).isEqualTo(65L);
                    assertThat(r.get("disposition")).isEqualTo("ANSWERED");
                });
    }

    @Test
    void aMandatoryAvpNobodyKnowsIsAnswered5001() {
        FreeDiameter.Answer a = peer.request("acr type=1 number=0 unknown=1 session=" + PEER + ";2;x realm=" + TOLLGATE);
        assertThat(a.resultCode()).isEqualTo(5001);
        assertThat(tollgate.jdbc().queryForObject(
                "SELECT count(*) FROM acc_event WHERE acct_unique_session_id = ?", Integer.class, PEER + ";2;x")).isZero();
    }

    @Test
    void aRecordTypeOutOfRangeIsAnInvalidAvpValue() {
        FreeDiameter.Answer a = peer.request("acr type=9 number=0 session=" + PEER + ";3;x realm=" + TOLLGATE);
        assertThat(a.resultCode()).isEqualTo(5004);
    }
}
