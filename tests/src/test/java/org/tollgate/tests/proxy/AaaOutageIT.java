package org.tollgate.tests.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tollgate.tests.support.Sipp;
import org.tollgate.tests.support.TollgateInstance;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The AAA server goes away while calls are up and comes back: the proxy (instance A, roles
 * proxy and api) keeps connecting calls, spools the accounting no server answers, and replays
 * it once the AAA server (instance B, role aaa, fixed RADIUS ports, its own PostgreSQL) is
 * started again on the same data. Every Start and Stop lands exactly once.
 */
class AaaOutageIT {

    static final String DOMAIN = "tollgate.test";
    static final String TRUSTED = "127.0.0.2";
    static final String SECRET = "testing123";
    /** Called numbers: calls up when B stops, and calls placed while B is down. */
    static final String DURING = "00493011200";
    static final String WHILE_DOWN = "00493011300";
    static final int CALLS_DURING = 4;
    static final int CALLS_WHILE_DOWN = 3;

    TollgateInstance a;
    TollgateInstance b;
    Sipp.Running gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    static String[] aaaProperties(int authPort, int acctPort) {
        return new String[] {
            "tollgate.roles=aaa",
            "tollgate.radius.auth-port=" + authPort,
            "tollgate.radius.acct-port=" + acctPort,
        };
    }

    @Test
    void accountingOfCallsDuringAnAaaOutageArrivesExactlyOnceAfterItsReturn() {
        int[] ports = TollgateInstance.freeUdpPorts(3);
        int authPort = ports[0];
        int acctPort = ports[1];
        int gatewayPort = ports[2];

        b = new TollgateInstance(aaaProperties(authPort, acctPort));
        Path bHome = b.home();
        assertThat(b.cli("nas", "add", "--name", "proxy", "--address", "127.0.0.1", "--secret", SECRET)).isZero();

        a = new TollgateInstance(
                "tollgate.roles=proxy,api",
                "tollgate.proxy.domains=" + DOMAIN,
                "tollgate.proxy.radius.secret=" + SECRET,
                "tollgate.proxy.radius.acct-servers=127.0.0.1:" + acctPort,
                "tollgate.proxy.radius.auth-servers=127.0.0.1:" + authPort,
                "tollgate.proxy.radius.timeout=300ms",
                "tollgate.proxy.radius.tries=2",
                // the suspended check of a caller in our domain is a RADIUS question too: answered
                // while B is up, it is cached through the outage (an uncached one would be refused 500)
                "tollgate.proxy.radius.group-cache-ttl=5m",
                "tollgate.proxy.trusted=" + TRUSTED,
                "tollgate.proxy.pstn-routes[0].pattern=00[1-9][0-9]+",
                "tollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:" + gatewayPort);
        int sip = a.sipPort();
        MeterRegistry meters = a.bean(MeterRegistry.class);

        gateway = Sipp.scenario("uas.xml").localIp("127.0.0.1").localPort(gatewayPort).calls(null)
                .timeoutSeconds(120).timeoutError(false).start();

        // calls that are up when B stops: answered (Start) with B up, hung up (Stop) with B down
        Sipp.Running during = Sipp.scenario("uac.xml").remote("127.0.0.1", sip).localIp(TRUSTED).service(DURING)
                .set("domain", DOMAIN).set("caller", "gw").calls(CALLS_DURING).rate(4).pauseMs(3000)
                .timeoutSeconds(40).timeoutError(true).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> counter(meters, "answered") >= 2);
        assertThat(during.isAlive()).as("calls are up when B stops").isTrue();
        b.close();
        b = null;

        Sipp.Result duringResult = during.await(Duration.ofSeconds(40));
        assertThat(duringResult.succeeded()).as(duringResult.describe()).isTrue();

        // calls placed while no AAA server answers: accounting must not hold them up
        Sipp.Result whileDown = Sipp.scenario("uac.xml").remote("127.0.0.1", sip).localIp(TRUSTED).service(WHILE_DOWN)
                .set("domain", DOMAIN).set("caller", "gw").calls(CALLS_WHILE_DOWN).rate(5).pauseMs(300)
                .timeoutSeconds(30).timeoutError(true).run(Duration.ofSeconds(40));
        assertThat(whileDown.succeeded()).as(whileDown.describe()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> spoolDepth(meters) >= CALLS_WHILE_DOWN * 2);
        assertThat(counter(meters, "spooled")).isGreaterThanOrEqualTo(CALLS_WHILE_DOWN * 2);

        // B again: same data, same ports
        b = TollgateInstance.onHome(bHome, aaaProperties(authPort, acctPort));
        await().atMost(Duration.ofSeconds(30)).until(() -> spoolDepth(meters) == 0);
        assertThat(counter(meters, "replayed")).isGreaterThanOrEqualTo(CALLS_WHILE_DOWN * 2);

        assertEveryCallStartedAndStoppedOnce(DURING, CALLS_DURING);
        assertEveryCallStartedAndStoppedOnce(WHILE_DOWN, CALLS_WHILE_DOWN);
        assertThat(b.jdbc().queryForObject("SELECT count(*) FROM acc_event WHERE status NOT IN ('START', 'STOP')",
                Integer.class)).isZero();
    }

    private void assertEveryCallStartedAndStoppedOnce(String called, int calls) {
        String like = "sip:" + called + "@%";
        await().atMost(Duration.ofSeconds(20)).until(() -> b.jdbc().queryForObject(
                "SELECT count(*) FROM acc_event WHERE called_station_id LIKE ?", Integer.class, like) >= 2 * calls);
        List<Map<String, Object>> perCall = b.jdbc().queryForList("""
                SELECT acct_session_id,
                       count(*) FILTER (WHERE status = 'START') AS starts,
                       count(*) FILTER (WHERE status = 'STOP') AS stops,
                       count(*) AS all_rows
                FROM acc_event WHERE called_station_id LIKE ? GROUP BY acct_session_id""", like);
        assertThat(perCall).as("calls to " + called).hasSize(calls);
        for (Map<String, Object> c : perCall) {
            assertThat(c).as("call " + c.get("acct_session_id"))
                    .containsEntry("starts", 1L).containsEntry("stops", 1L).containsEntry("all_rows", 2L);
        }
    }

    private static double counter(MeterRegistry meters, String result) {
        Counter c = result.equals("answered")
                ? meters.find("tollgate_proxy_calls").tag("outcome", "answered").counter()
                : meters.find("tollgate.proxy.acct").tag("result", result).counter();
        return c == null ? 0 : c.count();
    }

    private static double spoolDepth(MeterRegistry meters) {
        Gauge g = meters.find("tollgate.proxy.acct.spool.depth").gauge();
        return g == null ? -1 : g.value();
    }
}
