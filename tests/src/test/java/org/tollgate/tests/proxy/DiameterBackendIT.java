package org.tollgate.tests.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.api.Money;
import org.tollgate.prepaid.account.PrepaidAccountIndex;
import org.tollgate.prepaid.account.PrepaidAccounts;
import org.tollgate.prepaid.ledger.EntryKind;
import org.tollgate.prepaid.ledger.JdbcLedger;
import org.tollgate.proxy.aaa.diameter.DiameterClient;
import org.tollgate.tests.support.FreeDiameter;
import org.tollgate.tests.support.RatesFile;
import org.tollgate.tests.support.Sipp;
import org.tollgate.tests.support.TollgateInstance;

/**
 * The proxy with {@code accounting.backend=diameter} (issue 16 §4), SIPp on both sides: its
 * calls accounted by ACR and their prepaid grants asked by CCR from the Diameter server in the
 * same instance — digest checks still over RADIUS. The first Diameter server configured is one
 * that does not exist: every request fails over to the second. Prices as in PrepaidCallIT: 6.00
 * EUR/min, so 1.00 EUR is 10 s; grants of 3 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiameterBackendIT {

    static final String DOMAIN = "tollgate.test";

    private TollgateInstance tollgate;
    private JdbcTemplate jdbc;
    private int gatewayPort;

    @BeforeAll
    void start() throws Exception {
        gatewayPort = Sipp.freeUdpPort();
        int diameterPort = FreeDiameter.freeTcpPort();
        int nobody = FreeDiameter.freeTcpPort();
        tollgate = new TollgateInstance(
                "tollgate.roles=aaa,diameter,proxy,api",
                "tollgate.diameter.bind-address=127.0.0.1",
                "tollgate.diameter.port=" + diameterPort,
                "tollgate.proxy.domains=" + DOMAIN,
                "tollgate.proxy.radius.secret=testing123",
                "tollgate.proxy.accounting.backend=diameter",
                "tollgate.proxy.diameter.servers=127.0.0.1:" + nobody + "/gone.localdomain,local",
                "tollgate.prepaid.quota=3s",
                "tollgate.proxy.prepaid.reauthorize-before=1s",
                "tollgate.proxy.pstn-routes[0].pattern=00[1-9][0-9]+",
                "tollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:" + gatewayPort);
        jdbc = tollgate.jdbc();
        cli("plan", "add", "--name", "fast", "--currency", "EUR");
        cli("rates", "import", RatesFile.of("49,Germany,*,0,6.00,1,1,0,0,,\r\n"), "--plan", "fast");
        prepaid("401", "1.00");
        prepaid("402", null);
        cli("account", "add", "--name", "403@" + DOMAIN, "--plan", "fast");
        cli("user", "add", "--name", "403", "--realm", DOMAIN, "--password", "pw-403", "--group", "voip", "--group", "pstn");
        PrepaidAccountIndex index = tollgate.bean(PrepaidAccountIndex.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> index.isPrepaid("402@" + DOMAIN));
        await().atMost(Duration.ofSeconds(30)).until(() -> tollgate.bean(DiameterClient.class).connected());
    }

    @AfterAll
    void stop() {
        if (tollgate != null) {
            tollgate.close();
        }
    }

    @Test
    void aPrepaidCallIsGrantedByCcrCutWhenTheMoneyRunsOutAccountedByAcrAndDebitedOnce() {
        String called = "0049301150001";
        try (Sipp.Running gw = callee(1)) {
            Sipp.Result r = caller(called, "401").run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as("the caller got the proxy's BYE: " + r.describe()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).as("the callee got the proxy's BYE").isTrue();
        }
        Map<String, Object> stop = stop(called);
        assertThat(stop).containsEntry("terminate_cause", 5).containsEntry("nas_name", "tollgate-proxy")
                .containsEntry("record_type", "STOP_RECORD"); // an ACR, not a RADIUS Stop
        assertThat((Long) stop.get("session_time")).as("1.00 EUR at 0.10 EUR/s").isBetween(9L, 11L);
        String callId = (String) stop.get("acct_session_id");
        // the grants were CCRs: INITIAL, UPDATEs, TERMINATE, and the debit came from the TERMINATE
        await().atMost(Duration.ofSeconds(10)).until(() -> debits(callId).size() == 1);
        assertThat(debits(callId).get(0).negate()).isBetween(new BigDecimal("0.90"), new BigDecimal("1.00"));
        assertThat(jdbc.queryForObject("SELECT source FROM prepaid_reservation WHERE call_id = ?", String.class, callId))
                .isEqualTo("ccr-terminate");
        assertThat(balance("401")).isGreaterThanOrEqualTo(BigDecimal.ZERO);

        // the nightly run pairs the ACRs into the call's CDR, which finds its debit there already
        assertThat(tollgate.cli("-Dtollgate.cdr.settle=0s", "batch", "run")).isZero();
        BigDecimal price = jdbc.queryForObject(
                "SELECT p.cost FROM cdr c JOIN cdr_price p USING (cdr_key) WHERE c.call_id = ?", BigDecimal.class, callId);
        assertThat(debits(callId)).singleElement().satisfies(d -> assertThat(d.negate()).isEqualByComparingTo(price));
    }

    @Test
    void noMoneyIsRefused402AndTheFailedCallAccountedAsAnEventRecord() {
        String called = "0049301150002";
        Sipp.Result r = Sipp.scenario("uac-auth-refused.xml").remote("127.0.0.1", tollgate.sipPort()).localIp("127.0.0.1")
                .service(called).calls(1).set("domain", DOMAIN).set("caller", "402").auth("402", "pw-402")
                .timeoutSeconds(20).timeoutError(true).run(Duration.ofSeconds(30));
        assertThat(r.succeeded()).as(r.describe()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM acc_event WHERE status = 'FAILED' AND called_station_id LIKE ?", Integer.class,
                "sip:" + called + "@%") == 1);
        assertThat(jdbc.queryForObject("SELECT sip_response_code FROM acc_event WHERE status = 'FAILED' "
                + "AND called_station_id LIKE ?", Integer.class, "sip:" + called + "@%")).isEqualTo(402);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM prepaid_ledger l JOIN account a ON a.id = l.account_id "
                + "WHERE a.name = ? AND l.kind = 'CALL'", Integer.class, "402@" + DOMAIN)).isZero();
    }

    @Test
    void aPostpaidCallerIsNotLimited() {
        String called = "0049301150003";
        try (Sipp.Running gw = Sipp.scenario("uas.xml").localIp("127.0.0.1").localPort(gatewayPort).calls(1)
                .timeoutSeconds(30).timeoutError(true).start()) {
            Sipp.Result r = Sipp.scenario("uac-auth.xml").remote("127.0.0.1", tollgate.sipPort()).localIp("127.0.0.1")
                    .service(called).calls(1).set("domain", DOMAIN).set("caller", "403").auth("403", "pw-403")
                    .timeoutSeconds(30).timeoutError(true).run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM acc_event WHERE status = 'STOP' AND called_station_id LIKE ?", Integer.class,
                "sip:" + called + "@%") == 1);
    }

    private Sipp.Builder caller(String called, String user) {
        return Sipp.scenario("uac-auth-expire.xml").remote("127.0.0.1", tollgate.sipPort()).localIp("127.0.0.1")
                .service(called).calls(1).set("domain", DOMAIN).set("caller", user).auth(user, "pw-" + user)
                .timeoutSeconds(40).timeoutError(true);
    }

    private Sipp.Running callee(int calls) {
        return Sipp.scenario("uas-expire.xml").localIp("127.0.0.1").localPort(gatewayPort).calls(calls)
                .timeoutSeconds(50).timeoutError(true).start();
    }

    private Map<String, Object> stop(String called) {
        String like = "sip:" + called + "@%";
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM acc_event WHERE status = 'STOP' AND called_station_id LIKE ?", Integer.class, like) == 1);
        return jdbc.queryForMap("SELECT acct_session_id, terminate_cause, session_time, nas_name, "
                + "attributes->>'Accounting-Record-Type' AS record_type FROM acc_event "
                + "WHERE status = 'STOP' AND called_station_id LIKE ?", like);
    }

    private List<BigDecimal> debits(String callId) {
        return jdbc.queryForList("SELECT amount FROM prepaid_ledger WHERE kind = 'CALL' AND reference = ?",
                BigDecimal.class, callId);
    }

    private BigDecimal balance(String user) {
        return jdbc.queryForObject("SELECT p.balance FROM prepaid_account p JOIN account a ON a.id = p.account_id "
                + "WHERE a.name = ?", BigDecimal.class, user + "@" + DOMAIN);
    }

    private void prepaid(String user, String topup) {
        tollgate.bean(PrepaidAccounts.class).create(user + "@" + DOMAIN, "fast", ZoneOffset.UTC, "EUR", BigDecimal.ZERO,
                BigDecimal.ZERO);
        if (topup != null) {
            tollgate.bean(JdbcLedger.class).post(user + "@" + DOMAIN, EntryKind.TOPUP, Money.of(topup, "EUR"), "first", null);
        }
        cli("user", "add", "--name", user, "--realm", DOMAIN, "--password", "pw-" + user, "--group", "voip", "--group", "pstn");
    }

    private void cli(String... args) {
        assertThat(tollgate.cli(args)).as(String.join(" ", args)).isZero();
    }
}
