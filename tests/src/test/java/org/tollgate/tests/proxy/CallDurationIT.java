package org.tollgate.tests.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollgate.tests.support.Sipp;
import org.tollgate.tests.support.TollgateInstance;

/**
 * The longest a call may last (issue 15 §3): Session-Timeout on the caller's Access-Accept caps
 * the call, postpaid included; without one the proxy's {@code max-call-duration}. The proxy sends
 * BYE to both sides at the cap and accounts the Stop with Acct-Terminate-Cause Session-Timeout,
 * although the call's session timer (30 min) would have kept it up.
 */
class CallDurationIT {

    static final String DOMAIN = "tollgate.test";
    static final String TRUSTED = "127.0.0.2";
    static TollgateInstance tollgate;
    static int gatewayPort;

    @BeforeAll
    static void start() {
        gatewayPort = Sipp.freeUdpPort();
        tollgate = new TollgateInstance(
                "tollgate.roles=aaa,proxy,api",
                "tollgate.proxy.domains=" + DOMAIN,
                "tollgate.proxy.radius.secret=testing123",
                "tollgate.proxy.trusted=" + TRUSTED,
                "tollgate.proxy.max-call-duration=6s",
                "tollgate.proxy.pstn-routes[0].pattern=00[1-9][0-9]+",
                "tollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:" + gatewayPort);
        assertThat(tollgate.cli("user", "add", "--name", "101", "--realm", DOMAIN, "--password", "secret101",
                "--group", "voip", "--group", "pstn", "--reply", "Session-Timeout=2")).isZero();
    }

    @AfterAll
    static void stop() {
        if (tollgate != null) {
            tollgate.close();
        }
    }

    @Test
    void theCallersSessionTimeoutEndsTheCall() {
        String called = "0049301130001";
        try (Sipp.Running gw = callee()) {
            Sipp.Result r = Sipp.scenario("uac-auth-expire.xml").remote("127.0.0.1", tollgate.sipPort())
                    .localIp("127.0.0.1").service(called).calls(1).set("domain", DOMAIN).set("caller", "101")
                    .auth("101", "secret101").timeoutSeconds(30).timeoutError(true).run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).as("the callee got the proxy's BYE").isTrue();
        }
        Map<String, Object> stop = stop(called);
        assertThat(stop).containsEntry("terminate_cause", 5);
        assertThat((Long) stop.get("session_time")).isBetween(2L, 3L);
    }

    @Test
    void withoutOneTheProxysDefaultEndsTheCall() {
        String called = "0049301130002";
        try (Sipp.Running gw = callee()) {
            Sipp.Result r = Sipp.scenario("uac-expire.xml").remote("127.0.0.1", tollgate.sipPort()).localIp(TRUSTED)
                    .service(called).calls(1).set("domain", DOMAIN).timeoutSeconds(30).timeoutError(true)
                    .run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        Map<String, Object> stop = stop(called);
        assertThat(stop).containsEntry("terminate_cause", 5);
        assertThat((Long) stop.get("session_time")).isBetween(6L, 7L);
    }

    private static Sipp.Running callee() {
        return Sipp.scenario("uas-expire.xml").localIp("127.0.0.1").localPort(gatewayPort).calls(1)
                .timeoutSeconds(40).timeoutError(true).start();
    }

    private static Map<String, Object> stop(String called) {
        String like = "sip:" + called + "@%";
        await().atMost(Duration.ofSeconds(20)).until(() -> tollgate.jdbc().queryForObject(
                "SELECT count(*) FROM acc_event WHERE status = 'STOP' AND called_station_id LIKE ?", Integer.class, like) == 1);
        return tollgate.jdbc().queryForMap(
                "SELECT terminate_cause, session_time FROM acc_event WHERE status = 'STOP' AND called_station_id LIKE ?", like);
    }
}
