package org.tollgate.tests.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.api.Money;
import org.tollgate.prepaid.account.PrepaidAccounts;
import org.tollgate.prepaid.ledger.EntryKind;
import org.tollgate.prepaid.ledger.JdbcLedger;
import org.tollgate.tests.support.RatesFile;
import org.tollgate.tests.support.Sipp;
import org.tollgate.tests.support.TollgateInstance;

/**
 * The AAA server stops while prepaid calls are up (issue 15 §2): two proxies on one database, one
 * with the default failure handling (terminate: the call ends with its grant) and one with
 * {@code continue} (it goes on up to {@code failure-max-duration}); the AAA server (role aaa, fixed
 * RADIUS ports) is stopped once each call is answered and started again afterwards, when the spooled
 * Stops reach it and the calls are debited for the time they really lasted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrepaidAaaOutageIT {

    static final String DOMAIN = "tollgate.test";
    static final String SECRET = "testing123";

    private TollgateInstance terminate;
    private TollgateInstance carryOn;
    private TollgateInstance aaa;
    private JdbcTemplate jdbc;
    private int authPort;
    private int acctPort;
    private int gatewayPort;

    @BeforeAll
    void start() throws Exception {
        int[] ports = TollgateInstance.freeUdpPorts(3);
        authPort = ports[0];
        acctPort = ports[1];
        gatewayPort = ports[2];
        terminate = proxy("tollgate.roles=proxy,api", null);
        jdbc = terminate.jdbc();
        startAaa();
        carryOn = proxy("tollgate.roles=proxy", terminate, "tollgate.proxy.prepaid.failure-handling=continue",
                "tollgate.proxy.prepaid.failure-max-duration=6s");
        assertThat(terminate.cli("nas", "add", "--name", "proxy", "--address", "127.0.0.1", "--secret", SECRET)).isZero();
        assertThat(terminate.cli("plan", "add", "--name", "fast", "--currency", "EUR")).isZero();
        assertThat(terminate.cli("rates", "import", RatesFile.of("49,Germany,*,0,6.00,1,1,0,0,,\r\n"), "--plan", "fast")).isZero();
        for (String user : new String[] {"401", "402"}) {
            aaa.bean(PrepaidAccounts.class).create(user + "@" + DOMAIN, "fast", ZoneOffset.UTC, "EUR", BigDecimal.ZERO,
                    BigDecimal.ZERO);
            aaa.bean(JdbcLedger.class).post(user + "@" + DOMAIN, EntryKind.TOPUP, Money.of("1.00", "EUR"), "first", null);
            assertThat(terminate.cli("user", "add", "--name", user, "--realm", DOMAIN, "--password", "pw-" + user,
                    "--group", "voip", "--group", "pstn")).isZero();
        }
        // the AAA server as it is after a restart: its caches loaded from the database
        aaa.close();
        startAaa();
    }

    @AfterAll
    void stop() {
        for (TollgateInstance t : new TollgateInstance[] {carryOn, aaa, terminate}) {
            if (t != null) {
                t.close();
            }
        }
    }

    @Test
    void terminateEndsTheCallWithItsGrant() {
        Map<String, Object> stop = callThroughOutage(terminate, "401", "0049301150001");
        assertThat(stop).containsEntry("terminate_cause", 5).containsEntry("reason", "aaa-unavailable");
        assertThat((Long) stop.get("session_time")).as("its 3 s grant, not its 10 s of money").isBetween(2L, 4L);
        assertThat(debit((String) stop.get("acct_session_id"))).isEqualByComparingTo(
                new BigDecimal("0.10").multiply(BigDecimal.valueOf((Long) stop.get("session_time"))));
    }

    @Test
    void continueLetsItGoOnToTheFailureMaximumAndSettlesAfterwards() {
        Map<String, Object> stop = callThroughOutage(carryOn, "402", "0049301150002");
        assertThat(stop).containsEntry("terminate_cause", 5).containsEntry("reason", "aaa-unavailable-cap");
        assertThat((Long) stop.get("session_time")).as("failure-max-duration 6 s").isBetween(5L, 7L);
        assertThat(debit((String) stop.get("acct_session_id"))).as("the time it really lasted, beyond its grant")
                .isEqualByComparingTo(new BigDecimal("0.10").multiply(BigDecimal.valueOf((Long) stop.get("session_time"))));
    }

    /** A call answered with the AAA server up, the server stopped, the call ended by the proxy, the server back. */
    private Map<String, Object> callThroughOutage(TollgateInstance proxy, String user, String called) {
        String like = "sip:" + called + "@%";
        try (Sipp.Running gw = Sipp.scenario("uas-expire.xml").localIp("127.0.0.1").localPort(gatewayPort).calls(1)
                .timeoutSeconds(40).timeoutError(true).start()) {
            Sipp.Running call = Sipp.scenario("uac-auth-expire.xml").remote("127.0.0.1", proxy.sipPort())
                    .localIp("127.0.0.1").service(called).calls(1).set("domain", DOMAIN).set("caller", user)
                    .auth(user, "pw-" + user).timeoutSeconds(40).timeoutError(true).start();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM acc_event WHERE status = 'START' AND called_station_id LIKE ?", Integer.class,
                    like) == 1);
            aaa.close();
            aaa = null;
            Sipp.Result r = call.await(Duration.ofSeconds(30));
            assertThat(r.succeeded()).as("the caller got the proxy's BYE: " + r.describe()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        } finally {
            if (aaa == null) {
                startAaa();
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM acc_event WHERE status = 'STOP' AND called_station_id LIKE ?", Integer.class, like) == 1);
        Map<String, Object> stop = jdbc.queryForMap("SELECT acct_session_id, terminate_cause, session_time, "
                + "attributes->>'Tollgate-Terminate-Reason' AS reason FROM acc_event WHERE status = 'STOP' "
                + "AND called_station_id LIKE ?", like);
        String callId = (String) stop.get("acct_session_id");
        await().atMost(Duration.ofSeconds(10)).until(() -> debit(callId) != null);
        return stop;
    }

    private BigDecimal debit(String callId) {
        var d = jdbc.queryForList("SELECT -amount FROM prepaid_ledger WHERE kind = 'CALL' AND reference = ?",
                BigDecimal.class, callId);
        return d.isEmpty() ? null : d.get(0);
    }

    private void startAaa() {
        aaa = TollgateInstance.onSharedDatabase(terminate, "tollgate.roles=aaa", "tollgate.radius.auth-port=" + authPort,
                "tollgate.radius.acct-port=" + acctPort, "tollgate.prepaid.quota=3s");
    }

    private TollgateInstance proxy(String roles, TollgateInstance shared, String... more) {
        String[] base = {
            roles,
            "tollgate.proxy.domains=" + DOMAIN,
            "tollgate.proxy.radius.secret=" + SECRET,
            "tollgate.proxy.radius.auth-servers=127.0.0.1:" + authPort,
            "tollgate.proxy.radius.acct-servers=127.0.0.1:" + acctPort,
            "tollgate.proxy.radius.timeout=300ms",
            "tollgate.proxy.radius.tries=2",
            "tollgate.proxy.prepaid.reauthorize-before=1s",
            "tollgate.proxy.pstn-routes[0].pattern=00[1-9][0-9]+",
            "tollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:" + gatewayPort,
        };
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(more))
                .toArray(String[]::new);
        return shared == null ? new TollgateInstance(all) : TollgateInstance.onSharedDatabase(shared, all);
    }
}
