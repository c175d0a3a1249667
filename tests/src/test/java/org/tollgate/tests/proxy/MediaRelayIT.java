package org.tollgate.tests.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * The proxy drives a real rtpengine (issue 17 §1, first part): a call's SDP is offered and
 * answered through the relay while it is up, and the relay's call is deleted when it ends; with
 * the relay gone the call goes on, signalling only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MediaRelayIT {

    static final String DOMAIN = "tollgate.test";

    private Rtpengine rtpengine;
    private TollgateInstance tollgate;
    private int gatewayPort;

    @BeforeAll
    void start() {
        rtpengine = new Rtpengine(32000, 32999, 10);
        gatewayPort = Sipp.freeUdpPort();
        tollgate = new TollgateInstance(
                "tollgate.roles=aaa,proxy,api",
                "tollgate.proxy.domains=" + DOMAIN,
                "tollgate.proxy.radius.secret=testing123",
                "tollgate.proxy.media.relays=" + rtpengine.ng(),
                "tollgate.proxy.media.timeout=300ms",
                "tollgate.proxy.pstn-routes[0].pattern=00[1-9][0-9]+",
                "tollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:" + gatewayPort,
                "tollgate.proxy.pstn-routes[1].pattern=990[0-9]+",
                "tollgate.proxy.pstn-routes[1].gateways[0]=127.0.0.1:" + gatewayPort,
                "tollgate.proxy.pstn-routes[1].media=never");
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

    private Sipp.Running call(String called, int holdMs) {
        return call(tollgate, "uac-auth.xml", called, holdMs);
    }

    private static Sipp.Running call(TollgateInstance tollgate, String scenario, String called, int holdMs) {
        return Sipp.scenario(scenario).remote("127.0.0.1", tollgate.sipPort()).localIp("127.0.0.1")
                .service(called).calls(1).set("domain", DOMAIN).set("caller", "601").auth("601", "pw-601")
                .args("-d", Integer.toString(holdMs)).timeoutSeconds(30).timeoutError(true).start();
    }

    private Sipp.Running gateway() {
        return Sipp.scenario("uas.xml").localIp("127.0.0.1").localPort(gatewayPort).calls(1)
                .timeoutSeconds(30).timeoutError(true).start();
    }

    private double count(String step, String result) {
        return tollgate.bean(MeterRegistry.class).counter("tollgate_proxy_media_relay", "result", result, "step", step)
                .count();
    }

    @Test
    @Order(1)
    void aCallsSdpGoesThroughTheRelayWhileItIsUpAndTheRelaysCallIsDeletedAtItsEnd() {
        try (Sipp.Running gw = gateway(); Sipp.Running caller = call("0049301170001", 3000)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> rtpengine.calls().size() == 1);
            String callId = rtpengine.calls().get(0);
            Map<String, Object> q = rtpengine.query(callId);
            // both sides are known to the relay: the caller's offer and the callee's answer
            assertThat((Map<?, ?>) q.get("tags")).hasSize(2);
            assertThat(caller.await(Duration.ofSeconds(30)).succeeded()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> rtpengine.calls().isEmpty());
        assertThat(count("offer", "ok")).isEqualTo(1);
        assertThat(count("answer", "ok")).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> count("delete", "ok") == 1);
    }

    @Test
    @Order(2)
    void aRouteWhoseMediaPolicyIsNeverKeepsItsCallsOffTheRelay() {
        try (Sipp.Running gw = gateway(); Sipp.Running caller = call("9901400001", 2000)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> tollgate.jdbc().queryForObject(
                    "SELECT count(*) FROM acc_event WHERE status = 'START' AND called_station_id LIKE 'sip:990%'",
                    Integer.class) == 1);
            assertThat(rtpengine.calls()).isEmpty();
            assertThat(caller.await(Duration.ofSeconds(30)).succeeded()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        assertThat(count("offer", "ok")).isEqualTo(1);
    }

    @Test
    @Order(3)
    void withTheRelayGoneTheCallGoesOnSignallingOnly() {
        rtpengine.close();
        try (Sipp.Running gw = gateway(); Sipp.Running caller = call("0049301170002", 0)) {
            assertThat(caller.await(Duration.ofSeconds(30)).succeeded()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        assertThat(count("offer", "failed")).isEqualTo(1);
    }

    @Test
    @Order(4)
    void withTheRelayGoneAndRefuseUnavailableTheCallIsRefused503() {
        try (TollgateInstance refusing = TollgateInstance.onSharedDatabase(tollgate,
                "tollgate.roles=proxy",
                "tollgate.proxy.domains=" + DOMAIN,
                "tollgate.proxy.radius.secret=testing123",
                "tollgate.proxy.radius.auth-servers=127.0.0.1:" + tollgate.authPort(),
                "tollgate.proxy.radius.acct-servers=127.0.0.1:" + tollgate.acctPort(),
                "tollgate.proxy.media.relays=" + rtpengine.ng(),
                "tollgate.proxy.media.timeout=300ms",
                "tollgate.proxy.media.refuse-unavailable=true",
                "tollgate.proxy.pstn-routes[0].pattern=00[1-9][0-9]+",
                "tollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:" + gatewayPort);
             Sipp.Running caller = call(refusing, "uac-auth-refused.xml", "0049301170003", 0)) {
            assertThat(caller.await(Duration.ofSeconds(30)).succeeded()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> tollgate.jdbc().queryForObject(
                    "SELECT count(*) FROM acc_event WHERE status = 'FAILED' AND sip_response_code = 503 "
                            + "AND called_station_id LIKE 'sip:0049301170003%'", Integer.class) == 1);
        }
    }
}
