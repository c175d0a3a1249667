package org.tollgate.tests.radius;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.api.prepaid.CallEnd;
import org.tollgate.api.prepaid.CallKey;
import org.tollgate.api.prepaid.PrepaidService;
import org.tollgate.prepaid.account.PrepaidAccountIndex;
import org.tollgate.tests.support.FrozenDatabase;
import org.tollgate.tests.support.Radclient;
import org.tollgate.tests.support.RatesFile;
import org.tollgate.tests.support.TollgateInstance;

/**
 * PostgreSQL hangs while a prepaid call is up: an Access-Request is still answered within about
 * a second ("temporarily unavailable"), the call's Stop is stored (journaled) and answered though
 * prepaid cannot debit it then — and nothing is lost: the sweeper releases the reservation after
 * its grant and grace, and the CDR settles the call, debited once, at the rating function's price.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrepaidRadiusOutageIT {

    private static final String SECRET = "testing123";
    private static final String CALLEE = "sip:004930123456@kamailio.org";

    private TollgateInstance tollgate;
    private JdbcTemplate jdbc;
    private final Radclient radclient = new Radclient();

    @BeforeAll
    void start() {
        // grants of 5 s, released 1 s after they end when nothing is heard of the call
        tollgate = new TollgateInstance("tollgate.prepaid.quota=5s", "tollgate.prepaid.stale-grace=1s",
                "tollgate.prepaid.sweep-interval=200ms");
        jdbc = tollgate.jdbc();
        cli("plan", "add", "--name", "retail", "--currency", "EUR");
        cli("rates", "import", rates(), "--plan", "retail");
        cli("account", "add", "--name", "3001", "--plan", "retail", "--prepaid", "--currency", "EUR");
        cli("account", "topup", "3001", "1.00", "--reference", "first");
        cli("user", "add", "--name", "3001", "--password", "pw-3001");
        cli("nas", "add", "--name", "kamailio", "--address", "127.0.0.1", "--secret", SECRET,
                "--no-require-message-authenticator");
        PrepaidAccountIndex index = tollgate.bean(PrepaidAccountIndex.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> index.isPrepaid("3001"));
    }

    private static String rates() {
        try {
            return RatesFile.of("49,Germany,*,0,0.60,1,1,0,0,,\r\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    @Test
    void aHungDatabaseGetsAnAnswerAndTheCallIsSettledFromItsCdrOnce() throws Exception {
        Radclient.Result granted = authorize("o-1");
        assertThat(granted.accepted()).as(granted.output()).isTrue();
        assertThat(granted.output()).contains("Session-Timeout = 5").contains("Termination-Action = RADIUS-Request");
        Instant answered = LocalDate.now(ZoneOffset.UTC).minusDays(1).atTime(9, 0).toInstant(ZoneOffset.UTC);
        assertThat(acc("o-1", "Start", "INVITE", answered).accountingAnswered()).isTrue();

        try (FrozenDatabase frozen = tollgate.freezeDatabase()) {
            long t0 = System.nanoTime();
            Radclient.Result another = authorize("o-2");
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(another.rejected()).as(another.output()).isTrue();
            assertThat(another.output()).contains("Reply-Message = \"temporarily unavailable\"");
            assertThat(millis).as("answered within about a second").isLessThan(2_000);

            // the Stop is journaled and answered (within about the commit timeout: radclient's 2 s may not wait
            // for the first, as a NAS it sends it again); prepaid cannot take it now
            boolean stored = false;
            for (int i = 0; i < 3 && !stored; i++) {
                stored = acc("o-1", "Stop", "BYE", answered.plusSeconds(40)).accountingAnswered();
            }
            assertThat(stored).isTrue();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> tollgate.metrics().prepaidCount("stop", "unavailable") >= 1);
        }

        // the database is back: the Stop is replayed into acc_event, the stale reservation released
        await().atMost(Duration.ofSeconds(20)).until(() -> "EXPIRED".equals(jdbc.queryForObject(
                "SELECT state FROM prepaid_reservation WHERE call_id = 'o-1'", String.class)));
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM acc_event WHERE acct_session_id = 'o-1' AND status = 'STOP'", Integer.class) == 1);
        assertThat(balance()).isEqualByComparingTo("1.00");
        assertThat(jdbc.queryForObject("SELECT reserved FROM prepaid_account", BigDecimal.class)).isEqualByComparingTo("0");

        // the nightly run: the CDR, priced; the day's prepaid calls settled from their CDRs (debited once)
        String day = answered.atZone(ZoneOffset.UTC).toLocalDate().toString();
        cli("batch", "run", "--date", day, "--until", Instant.now().toString());
        BigDecimal cdrPrice = jdbc.queryForObject("SELECT p.cost FROM cdr c JOIN cdr_price p USING (cdr_key) "
                + "WHERE c.call_id = 'o-1'", BigDecimal.class);
        assertThat(cdrPrice).isEqualByComparingTo("0.40");
        List<CallEnd> ends = jdbc.query("""
                SELECT billing_party, call_id, callee, answer_time, billable_seconds FROM cdr
                 WHERE call_date = ?::date AND disposition = 'ANSWERED'""", (rs, i) -> new CallEnd(
                new CallKey(rs.getString(1), rs.getString(2)), rs.getString(3), rs.getLong(5),
                rs.getTimestamp(4).toInstant(), rs.getTimestamp(4).toInstant().plusSeconds(rs.getLong(5)), "cdr"), day);
        // the batch settled it: debited at the CDR's price, and settling it again charges nothing
        assertThat(jdbc.queryForObject("SELECT amount FROM prepaid_ledger WHERE kind = 'CALL' AND reference = 'o-1'",
                BigDecimal.class)).isEqualByComparingTo(cdrPrice.negate());
        PrepaidService prepaid = tollgate.bean(PrepaidService.class);
        assertThat(prepaid.settle(ends)).singleElement().satisfies(s -> assertThat(s.alreadySettled()).isTrue());
        assertThat(balance()).isEqualByComparingTo("0.60");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM prepaid_ledger WHERE kind = 'CALL'", Integer.class)).isEqualTo(1);
        assertThat(tollgate.cliCaptured("account", "check").rc()).isZero();
    }

    private Radclient.Result authorize(String callId) {
        return radclient.send(tollgate.authPort(), "auth", SECRET, "User-Name = \"3001\", User-Password = \"pw-3001\", "
                + "Called-Station-Id = \"" + CALLEE + "\", Acct-Session-Id = \"" + callId + "\"");
    }

    /** Kamailio's acc: Start and Stop in the call's direction, no Acct-Session-Time. */
    private Radclient.Result acc(String callId, String status, String method, Instant at) {
        return radclient.send(tollgate.acctPort(), "acct", SECRET, "Acct-Status-Type = " + status + ", "
                + "Service-Type = Sip-Session, Sip-Method = " + method + ", Sip-Response-Code = 200, "
                + "Acct-Session-Id = \"" + callId + "\", User-Name = \"3001\", Calling-Station-Id = \"sip:3001@kamailio.org\", "
                + "Called-Station-Id = \"" + CALLEE + "\", Sip-From-Tag = \"f1\", Sip-To-Tag = \"t1\", "
                + "Event-Timestamp = " + at.getEpochSecond());
    }

    private BigDecimal balance() {
        return jdbc.queryForObject("SELECT balance FROM prepaid_account", BigDecimal.class);
    }

    private void cli(String... args) {
        assertThat(tollgate.cli(args)).as(String.join(" ", args)).isZero();
    }
}
