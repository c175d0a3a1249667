package org.tollgate.tests.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollgate.tests.support.Sipp;
import org.tollgate.tests.support.TollgateInstance;

/**
 * Concurrent-call limits (issue 15 §3): an account limited to 2 calls places 3 at once (an
 * authenticated SIPp caller, the calls waiting for the proxy to end them after 4 s): two go
 * through, the third gets 486 and a Failed record. The limit is changed while the proxy runs.
 */
class CallLimitIT {

    static final String DOMAIN = "tollgate.test";
    static final String ACCOUNT = "101@" + DOMAIN;
    static TollgateInstance tollgate;
    static int gatewayPort;

    @BeforeAll
    static void start() {
        gatewayPort = Sipp.freeUdpPort();
        tollgate = new TollgateInstance(
                "tollgate.roles=aaa,proxy,api",
                "tollgate.proxy.domains=" + DOMAIN,
                "tollgate.proxy.radius.secret=testing123",
                "tollgate.proxy.max-call-duration=4s",
                "tollgate.proxy.pstn-routes[0].pattern=00[1-9][0-9]+",
                "tollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:" + gatewayPort);
        assertThat(tollgate.cli("user", "add", "--name", "101", "--realm", DOMAIN, "--password", "secret101",
                "--group", "voip", "--group", "pstn")).isZero();
    }

    @AfterAll
    static void stop() {
        if (tollgate != null) {
            tollgate.close();
        }
    }

    @Test
    void theCallOverTheLimitIsRefusedAndTheLimitChangesWhileRunning() {
        assertThat(tollgate.cli("limits", "set", ACCOUNT, "--max-calls", "2")).isZero();
        String called = "0049301140001";
        try (Sipp.Running gw = callee(2)) {
            Sipp.Result r = caller(called, 3).rate(20).limit(3).run(Duration.ofSeconds(60));
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(2);
            assertThat(r.failedCalls()).as(r.describe()).isEqualTo(1);
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        assertThat(count(called, "START", null)).isEqualTo(2);
        assertThat(count(called, "FAILED", 486)).isEqualTo(1);

        // no calls at all now, while the proxy runs
        assertThat(tollgate.cli("limits", "set", ACCOUNT, "--max-calls", "0")).isZero();
        String refused = "0049301140002";
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            caller(refused, 1).run(Duration.ofSeconds(30));
            return count(refused, "FAILED", 486) >= 1;
        });
        assertThat(count(refused, "START", null)).isZero();

        // no limit: the call goes through
        assertThat(tollgate.cli("limits", "remove", ACCOUNT)).isZero();
        String free = "0049301140003";
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            try (Sipp.Running gw = callee(1)) {
                caller(free, 1).run(Duration.ofSeconds(30));
            }
            return count(free, "START", null) == 1;
        });
    }

    @Test
    void badArgumentsAreExplained() {
        assertThat(tollgate.cliCaptured("limits", "set", ACCOUNT, "--max-calls", "-1").rc()).isEqualTo(2);
        assertThat(tollgate.cliCaptured("limits", "remove", "nobody@" + DOMAIN).rc()).isEqualTo(1);
    }

    private static Sipp.Builder caller(String called, int calls) {
        return Sipp.scenario("uac-auth-expire.xml").remote("127.0.0.1", tollgate.sipPort()).localIp("127.0.0.1")
                .service(called).calls(calls).set("domain", DOMAIN).set("caller", "101").auth("101", "secret101")
                .timeoutSeconds(30).timeoutError(true);
    }

    private static Sipp.Running callee(int calls) {
        return Sipp.scenario("uas-expire.xml").localIp("127.0.0.1").localPort(gatewayPort).calls(calls)
                .timeoutSeconds(40).timeoutError(true).start();
    }

    private static int count(String called, String status, Integer code) {
        return tollgate.jdbc().queryForObject("SELECT count(*) FROM acc_event WHERE called_station_id LIKE ? "
                + "AND status = ? AND (?::int IS NULL OR sip_response_code = ?)", Integer.class,
                "sip:" + called + "@%", status, code, code);
    }
}
