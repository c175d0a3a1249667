package org.tollgate.tests.rating;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.tests.support.RatesFile;
import org.tollgate.tests.support.TollgateInstance;

/** The CDR job's rating step: answered calls priced, unknown destinations UNRATED, totals, re-rating. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CdrRatingIT {

    static final String UNTIL = "2026-11-21T00:00:00Z";

    private TollgateInstance tollgate;
    private JdbcTemplate jdbc;

    @BeforeAll
    void start() throws Exception {
        tollgate = new TollgateInstance("tollgate.roles=api");
        jdbc = tollgate.jdbc();
        cli("plan", "add", "--name", "retail", "--currency", "EUR", "--decimals", "4");
        cli("rates", "import", RatesFile.of("49,Germany,*,0.05,0.10,60,60,0,0,,\r\n"), "--plan", "retail");
        cli("account", "add", "--name", "1001@example.com", "--plan", "retail", "--zone", "Europe/Berlin");
        call("c1", "sip:+4930123456@example.com", "START", 1, "2026-11-20T10:00:00Z", null);
        call("c1", "sip:+4930123456@example.com", "STOP", 2, "2026-11-20T10:01:01Z", null);   // 61 s → 120 s billed
        call("c2", "sip:+33123456789@example.com", "START", 1, "2026-11-20T11:00:00Z", null);
        call("c2", "sip:+33123456789@example.com", "STOP", 2, "2026-11-20T11:00:30Z", null);  // no rate for France
        call("c3", "sip:+4930999@example.com", "FAILED", 15, "2026-11-20T12:00:00Z", 486);   // not connected: free
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    @Test
    void theBatchPricesCdrsKeepsTotalsAndRepricesAPeriod() throws Exception {
        assertThat(tollgate.cli("batch", "run", "--until", UNTIL)).isZero();

        Map<String, Object> c1 = price("c1");
        assertThat(c1).containsEntry("rating_status", "RATED").containsEntry("plan_name", "retail")
                .containsEntry("rate_prefix", "49").containsEntry("destination", "Germany")
                .containsEntry("billed_seconds", 120L).containsEntry("currency", "EUR");
        assertThat((BigDecimal) c1.get("cost")).isEqualByComparingTo("0.2500"); // 0.05 + 2 × 0.10
        Map<String, Object> c2 = price("c2");
        assertThat(c2).containsEntry("rating_status", "UNRATED");
        assertThat(c2.get("cost")).isNull();
        assertThat((String) c2.get("unrated_reason")).contains("no rate").contains("33123456789");
        Map<String, Object> c3 = price("c3");
        assertThat(c3).containsEntry("rating_status", "RATED");
        assertThat((BigDecimal) c3.get("cost")).isEqualByComparingTo("0");

        Map<String, Object> total = jdbc.queryForMap("SELECT calls, billed_seconds, cost, unrated_calls, currency "
                + "FROM account_daily_total WHERE day = '2026-11-20'");
        assertThat(total).containsEntry("calls", 2L).containsEntry("billed_seconds", 120L)
                .containsEntry("unrated_calls", 1L).containsEntry("currency", "EUR");
        assertThat((BigDecimal) total.get("cost")).isEqualByComparingTo("0.2500");

        // a tariff fix: re-price the day, the old price is kept
        cli("rates", "import", RatesFile.of("49,Germany,*,0,0.20,60,60,0,0,,\r\n33,France,*,0,0.30,60,60,0,0,,\r\n"),
                "--plan", "retail");
        assertThat(tollgate.cli("batch", "rerate", "--from", "2026-11-20", "--to", "2026-11-20")).isZero();
        assertThat((BigDecimal) price("c1").get("cost")).isEqualByComparingTo("0.4000");
        assertThat(price("c2")).containsEntry("rating_status", "RATED");
        assertThat((BigDecimal) price("c2").get("cost")).isEqualByComparingTo("0.3000");
        assertThat((BigDecimal) jdbc.queryForObject("SELECT a.cost FROM cdr_rating_audit a JOIN cdr c USING (cdr_key) "
                + "WHERE c.call_id = 'c1'", BigDecimal.class)).isEqualByComparingTo("0.2500");
        assertThat((BigDecimal) jdbc.queryForObject("SELECT cost FROM account_daily_total WHERE day = '2026-11-20'",
                BigDecimal.class)).isEqualByComparingTo("0.7000");

        assertThat(tollgate.cli("batch", "rerate", "--from", "2026-11-21", "--to", "2026-11-20")).isEqualTo(2);

        // c1's CDR is superseded (removed and queued, as the pairing does): its price goes, and the day's total
        jdbc.update("WITH gone AS (DELETE FROM cdr WHERE call_id = 'c1' RETURNING cdr_key) "
                + "INSERT INTO cdr_change (cdr_key) SELECT cdr_key FROM gone");
        assertThat(tollgate.cli("batch", "run", "--until", "2026-11-21T01:00:00Z")).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cdr_price p WHERE NOT EXISTS "
                + "(SELECT 1 FROM cdr c WHERE c.cdr_key = p.cdr_key)", Long.class)).isZero();
        assertThat(jdbc.queryForMap("SELECT calls, billed_seconds, cost FROM account_daily_total WHERE day = '2026-11-20'"))
                .containsEntry("calls", 2L).containsEntry("billed_seconds", 60L)
                .hasEntrySatisfying("cost", c -> assertThat((BigDecimal) c).isEqualByComparingTo("0.3000"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rating_touched", Long.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cdr_change", Long.class)).isZero();
    }

    private Map<String, Object> price(String callId) {
        return jdbc.queryForMap("SELECT p.rating_status, p.plan_name, p.rate_prefix, p.destination, p.billed_seconds, p.cost, "
                + "p.currency, p.unrated_reason FROM cdr c JOIN cdr_price p USING (cdr_key) WHERE c.call_id = ?", callId);
    }

    private void cli(String... args) {
        assertThat(tollgate.cli(args)).as(String.join(" ", args)).isZero();
    }

    private void call(String callId, String callee, String status, int code, String time, Integer sipCode) {
        jdbc.update("""
                INSERT INTO acc_event (record_key, received_at, event_time, stored_at, nas_name, nas_address, status,
                       status_code, acct_session_id, user_name, calling_station_id, called_station_id, sip_method,
                       sip_response_code, sip_from_tag, sip_to_tag, attributes)
                VALUES (gen_random_uuid(), ?::timestamptz, ?::timestamptz, '2026-11-20T23:00:00Z', 'tollgate-proxy',
                        '127.0.0.1', ?, ?, ?, '1001@example.com', 'sip:1001@example.com', ?, 'INVITE', ?, 'a', 'b', '{}')
                """, time, time, status, code, callId, callee, sipCode == null ? 200 : sipCode);
    }
}
