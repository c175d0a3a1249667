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
import org.tollgate.tests.support.RatesFile;
import org.tollgate.tests.support.Sipp;
import org.tollgate.tests.support.TollgateInstance;

/**
 * Prepaid call control in the proxy (issue 15 §2), SIPp on both sides, the AAA server and the
 * prepaid engine in the same instance. Prices are ten times 0.60 EUR/min so that the money lasts
 * seconds: 1.00 EUR at 6.00 EUR/min is 10 s, as 1.00 EUR at 0.60 EUR/min is 100 s. Grants are 3 s
 * ({@code tollgate.prepaid.quota}), asked again 1 s before they run out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrepaidCallIT {

    static final String DOMAIN = "tollgate.test";
    /** A PBX the proxy trusts: its callers are authorized without credentials (prepaid.trusted-callers). */
    static final String TRUSTED = "127.0.0.2";

    private TollgateInstance tollgate;
    private JdbcTemplate jdbc;
    private int gatewayPort;

    @BeforeAll
    void start() throws Exception {
        gatewayPort = Sipp.freeUdpPort();
        tollgate = new TollgateInstance(
                "tollgate.roles=aaa,proxy,api",
                "tollgate.proxy.domains=" + DOMAIN,
                "tollgate.proxy.radius.secret=testing123",
                "tollgate.prepaid.quota=3s",
                "tollgate.proxy.prepaid.reauthorize-before=1s",
                "tollgate.proxy.trusted=" + TRUSTED,
                "tollgate.proxy.prepaid.trusted-callers=true",
                "tollgate.proxy.pstn-routes[0].pattern=00[1-9][0-9]+",
                "tollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:" + gatewayPort);
        jdbc = tollgate.jdbc();
        // 6.00 EUR/min billed by the second: 0.10 EUR a second; 0.60 EUR/min: 0.01 EUR a second
        cli("plan", "add", "--name", "fast", "--currency", "EUR");
        cli("rates", "import", RatesFile.of("49,Germany,*,0,6.00,1,1,0,0,,\r\n"), "--plan", "fast");
        cli("plan", "add", "--name", "slow", "--currency", "EUR");
        cli("rates", "import", RatesFile.of("49,Germany,*,0,0.60,1,1,0,0,,\r\n"), "--plan", "slow");
        prepaid("301", "fast", "1.00", "0");
        prepaid("302", "slow", "1.00", "0.20");
        prepaid("303", "fast", "0.50", "0");
        prepaid("304", "fast", null, "0");
        prepaid("305", "fast", "0.40", "0");
        PrepaidAccountIndex index = tollgate.bean(PrepaidAccountIndex.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> index.isPrepaid(account("304")));
    }

    @AfterAll
    void stop() {
        if (tollgate != null) {
            tollgate.close();
        }
    }

    @Test
    void theCallIsCutWhenTheMoneyRunsOutAndTheDebitIsTheCdrsPrice() {
        String called = "0049301140001";
        try (Sipp.Running gw = callee(1)) {
            Sipp.Result r = caller(called, "301", 1).run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as("the caller got the proxy's BYE: " + r.describe()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).as("the callee got the proxy's BYE").isTrue();
        }
        List<Map<String, Object>> stops = stops(called, 1);
        Map<String, Object> stop = stops.get(0);
        assertThat(stop).containsEntry("terminate_cause", 5).containsEntry("reason", "credit-exhausted");
        assertThat((Long) stop.get("session_time")).as("1.00 EUR at 0.10 EUR/s").isBetween(9L, 11L);
        String callId = (String) stop.get("acct_session_id");
        await().atMost(Duration.ofSeconds(10)).until(() -> debit(callId) != null);
        assertThat(debit(callId).negate()).isBetween(new BigDecimal("0.90"), new BigDecimal("1.00"));
        assertThat(balance("301")).isGreaterThanOrEqualTo(BigDecimal.ZERO);

        assertThat(tollgate.cli("-Dtollgate.cdr.settle=0s", "batch", "run")).isZero();
        BigDecimal price = jdbc.queryForObject(
                "SELECT p.cost FROM cdr c JOIN cdr_price p USING (cdr_key) WHERE c.call_id = ?", BigDecimal.class, callId);
        assertThat(debit(callId).negate()).as("the ledger's debit is the CDR's postpaid price").isEqualByComparingTo(price);
    }

    @Test
    void twentyCallsOnOneAccountEndTogetherWithinItsMoney() {
        String called = "0049301140002";
        try (Sipp.Running gw = callee(20)) {
            Sipp.Result r = caller(called, "302", 20).rate(20).limit(20).run(Duration.ofSeconds(60));
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(20);
            assertThat(gw.await(Duration.ofSeconds(30)).successfulCalls()).isEqualTo(20);
        }
        List<Map<String, Object>> stops = stops(called, 20);
        assertThat(stops).allSatisfy(s -> assertThat(s).containsEntry("terminate_cause", 5)
                .containsEntry("reason", "credit-exhausted"));
        // 1.00 EUR + 0.20 EUR credit at 0.01 EUR/s for 20 calls: about 6 s each
        assertThat(stops).allSatisfy(s -> assertThat((Long) s.get("session_time")).isBetween(3L, 9L));
        await().atMost(Duration.ofSeconds(10)).until(() -> debits("302").size() == 20);
        BigDecimal total = debits("302").stream().reduce(BigDecimal.ZERO, BigDecimal::add).negate();
        assertThat(total).as("total debit <= balance + credit limit").isLessThanOrEqualTo(new BigDecimal("1.20"))
                .isGreaterThan(new BigDecimal("0.90"));
        assertThat(balance("302")).isGreaterThanOrEqualTo(new BigDecimal("-0.20"));
    }

    @Test
    void aTopUpDuringTheCallExtendsIt() throws Exception {
        String called = "0049301140003";
        try (Sipp.Running gw = callee(1)) {
            Sipp.Running call = caller(called, "303", 1).start();
            // 0.50 EUR is 5 s (a 3 s grant, then the last 2 s); topped up 0.30 EUR during the first grant, it
            // is picked up by the re-authorization and the call lasts about 8 s
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM acc_event WHERE status = 'START' AND called_station_id LIKE ?", Integer.class,
                    "sip:" + called + "@%") == 1);
            var posted = tollgate.adminPost("/api/accounts/" + account("303") + "/topups",
                    "{\"amount\": 0.30, \"reference\": \"mid-call\"}");
            assertThat(posted.statusCode()).as(posted.body()).isBetween(200, 201);
            Sipp.Result r = call.await(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        Map<String, Object> stop = stops(called, 1).get(0);
        assertThat(stop).containsEntry("reason", "credit-exhausted");
        assertThat((Long) stop.get("session_time")).as("extended by the top-up").isBetween(7L, 9L);
        assertThat(balance("303")).isGreaterThanOrEqualTo(BigDecimal.ZERO);
    }

    @Test
    void noMoneyIsRefused402WithAFailedRecordAndNothingForwarded() {
        String called = "0049301140004";
        Sipp.Result r = Sipp.scenario("uac-auth-refused.xml").remote("127.0.0.1", tollgate.sipPort()).localIp("127.0.0.1")
                .service(called).calls(1).set("domain", DOMAIN).set("caller", "304").auth("304", "pw-304")
                .timeoutSeconds(20).timeoutError(true).run(Duration.ofSeconds(30));
        assertThat(r.succeeded()).as(r.describe()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM acc_event WHERE status = 'FAILED' AND called_station_id LIKE ?", Integer.class,
                "sip:" + called + "@%") == 1);
        assertThat(jdbc.queryForObject("SELECT sip_response_code FROM acc_event WHERE status = 'FAILED' "
                + "AND called_station_id LIKE ?", Integer.class, "sip:" + called + "@%")).isEqualTo(402);
        assertThat(debits("304")).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM prepaid_reservation r JOIN account a ON a.id = r.account_id "
                + "WHERE a.name = ? AND r.state = 'OPEN'", Integer.class, account("304"))).isZero();
    }

    @Test
    void aTrustedPbxsCallerIsAuthorizedWithoutCredentialsAndCutToo() {
        String called = "0049301140005";
        try (Sipp.Running gw = callee(1)) {
            Sipp.Result r = Sipp.scenario("uac-expire.xml").remote("127.0.0.1", tollgate.sipPort()).localIp(TRUSTED)
                    .service(called).calls(1).set("domain", DOMAIN).set("caller", "305").timeoutSeconds(30)
                    .timeoutError(true).run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        Map<String, Object> stop = stops(called, 1).get(0);
        assertThat(stop).containsEntry("terminate_cause", 5).containsEntry("reason", "credit-exhausted");
        assertThat((Long) stop.get("session_time")).as("0.40 EUR at 0.10 EUR/s").isBetween(3L, 5L);
        await().atMost(Duration.ofSeconds(10)).until(() -> debit((String) stop.get("acct_session_id")) != null);
        assertThat(balance("305")).isGreaterThanOrEqualTo(BigDecimal.ZERO);
    }

    private Sipp.Builder caller(String called, String user, int calls) {
        return Sipp.scenario("uac-auth-expire.xml").remote("127.0.0.1", tollgate.sipPort()).localIp("127.0.0.1")
                .service(called).calls(calls).set("domain", DOMAIN).set("caller", user).auth(user, "pw-" + user)
                .timeoutSeconds(40).timeoutError(true);
    }

    private Sipp.Running callee(int calls) {
        return Sipp.scenario("uas-expire.xml").localIp("127.0.0.1").localPort(gatewayPort).calls(calls)
                .timeoutSeconds(50).timeoutError(true).start();
    }

    private List<Map<String, Object>> stops(String called, int n) {
        String like = "sip:" + called + "@%";
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM acc_event WHERE status = 'STOP' AND called_station_id LIKE ?", Integer.class, like) == n);
        return jdbc.queryForList("SELECT acct_session_id, terminate_cause, session_time, "
                + "attributes->>'Tollgate-Terminate-Reason' AS reason FROM acc_event "
                + "WHERE status = 'STOP' AND called_station_id LIKE ?", like);
    }

    private BigDecimal debit(String callId) {
        List<BigDecimal> d = jdbc.queryForList("SELECT amount FROM prepaid_ledger WHERE kind = 'CALL' AND reference = ?",
                BigDecimal.class, callId);
        return d.isEmpty() ? null : d.get(0);
    }

    private List<BigDecimal> debits(String user) {
        return jdbc.queryForList("SELECT l.amount FROM prepaid_ledger l JOIN account a ON a.id = l.account_id "
                + "WHERE l.kind = 'CALL' AND a.name = ?", BigDecimal.class, account(user));
    }

    private BigDecimal balance(String user) {
        return jdbc.queryForObject("SELECT p.balance FROM prepaid_account p JOIN account a ON a.id = p.account_id "
                + "WHERE a.name = ?", BigDecimal.class, account(user));
    }

    private static String account(String user) {
        return user + "@" + DOMAIN;
    }

    /** A prepaid account named as the CDRs' billing party (user@domain), with its subscriber. */
    private void prepaid(String user, String plan, String topup, String creditLimit) {
        tollgate.bean(PrepaidAccounts.class).create(account(user), plan, ZoneOffset.UTC, "EUR", new BigDecimal(creditLimit),
                BigDecimal.ZERO);
        if (topup != null) {
            tollgate.bean(JdbcLedger.class).post(account(user), EntryKind.TOPUP, Money.of(topup, "EUR"), "first", null);
        }
        cli("user", "add", "--name", user, "--realm", DOMAIN, "--password", "pw-" + user, "--group", "voip", "--group", "pstn");
    }

    private void cli(String... args) {
        assertThat(tollgate.cli(args)).as(String.join(" ", args)).isZero();
    }
}
