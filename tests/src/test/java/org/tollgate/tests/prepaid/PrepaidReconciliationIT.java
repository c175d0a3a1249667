package org.tollgate.tests.prepaid;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.api.prepaid.CallEnd;
import org.tollgate.api.prepaid.CallKey;
import org.tollgate.api.prepaid.CallRequest;
import org.tollgate.api.prepaid.PrepaidService;
import org.tollgate.api.prepaid.Settlement;
import org.tollgate.tests.support.RatesFile;
import org.tollgate.tests.support.TollgateInstance;

/**
 * Prepaid and postpaid agree: calls debited by the engine, then paired and priced by the nightly
 * batch, reconcile to nothing — the call whose Stop never reached prepaid is settled by the batch
 * from its CDR, once; a debit of another amount, or without a CDR, is listed. The prepaid statement carries the
 * balance forward and adds up to the account's balance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrepaidReconciliationIT {

    static final String DAY = "2026-11-20";
    static final String ACCOUNT = "1001@example.com";
    static final String OTHER = "1002@example.com";

    @TempDir
    Path dir;

    private TollgateInstance tollgate;
    private JdbcTemplate jdbc;
    private PrepaidService prepaid;

    @BeforeAll
    void start() throws Exception {
        tollgate = new TollgateInstance("tollgate.roles=api");
        jdbc = tollgate.jdbc();
        prepaid = tollgate.bean(PrepaidService.class);
        cli("plan", "add", "--name", "retail", "--currency", "EUR", "--decimals", "4");
        cli("rates", "import", RatesFile.of("49,Germany,*,0.05,0.10,60,60,0,0,,\r\n"), "--plan", "retail");
        for (String a : List.of(ACCOUNT, OTHER)) {
            cli("account", "add", "--name", a, "--plan", "retail", "--zone", "Europe/Berlin", "--prepaid", "--currency", "EUR");
            cli("account", "topup", a, "10.00", "--reference", "opening");
        }
        // on the network: authorized, answered, stopped — and c3's Stop never reached prepaid
        call(ACCOUNT, "c1", "10:00:00", 61, true);   // 0.05 + 2 × 0.10
        call(ACCOUNT, "c2", "11:00:00", 30, true);   // 0.05 + 0.10
        call(ACCOUNT, "c3", "12:00:00", 125, false); // 0.05 + 3 × 0.10, Stop lost
        call(OTHER, "d1", "13:00:00", 59, true);
        assertThat(tollgate.cli("batch", "run", "--until", "2026-11-21T00:00:00Z")).isZero();
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    private void call(String account, String callId, String time, long seconds, boolean stopReachesPrepaid) {
        Instant answered = Instant.parse(DAY + "T" + time + "Z");
        CallKey key = new CallKey(account, callId);
        String callee = "sip:+4930123456@example.com";
        assertThat(prepaid.authorize(new CallRequest(key, callee, answered, 0)).join().granted()).isTrue();
        if (stopReachesPrepaid) {
            Settlement s = prepaid.commit(new CallEnd(key, callee, seconds, answered, answered.plusSeconds(seconds),
                    "radius-stop")).join();
            assertThat(s.debit()).isNotNull();
        }
        event(account, callId, callee, "START", 1, answered);
        event(account, callId, callee, "STOP", 2, answered.plusSeconds(seconds));
    }

    private void event(String account, String callId, String callee, String status, int code, Instant t) {
        jdbc.update("""
                INSERT INTO acc_event (record_key, received_at, event_time, stored_at, nas_name, nas_address, status,
                       status_code, acct_session_id, user_name, calling_station_id, called_station_id, sip_method,
                       sip_response_code, sip_from_tag, sip_to_tag, attributes)
                VALUES (gen_random_uuid(), ?, ?, '2026-11-20T23:00:00Z', 'tollgate-proxy', '127.0.0.1', ?, ?, ?, ?,
                        'sip:' || ?, ?, 'INVITE', 200, 'a', 'b', '{}')
                """, java.sql.Timestamp.from(t), java.sql.Timestamp.from(t), status, code, callId, account, account, callee);
    }

    private void cli(String... args) {
        assertThat(tollgate.cli(args)).as(String.join(" ", args)).isZero();
    }

    private List<CSVRecord> report(String... args) throws Exception {
        Path out = Files.createTempFile(dir, "report", ".csv");
        Files.delete(out);
        String[] command = new String[args.length + 2];
        System.arraycopy(args, 0, command, 0, args.length);
        command[args.length] = "--out";
        command[args.length + 1] = out.toString();
        cli(command);
        try (Reader r = Files.newBufferedReader(out)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
    }

    /** The report's data rows (its last row is the total). */
    private static List<CSVRecord> data(List<CSVRecord> rows) {
        return rows.subList(0, rows.size() - 1);
    }

    @Test
    void theBatchSettlesTheLostStopAndTheLedgerAndTheCdrsAgree() throws Exception {
        // the batch's rating step handed the day's prepaid calls to settle: c3, whose Stop never
        // reached prepaid, is debited from its CDR; the others were debited once, by their Stop
        assertThat(jdbc.queryForList("SELECT reference FROM prepaid_ledger WHERE kind = 'CALL' ORDER BY reference",
                String.class)).containsExactly("c1", "c2", "c3", "d1");
        assertThat(debit("c3")).isEqualByComparingTo("-0.35");
        // every debit is the CDR's price: the same function, the same rounding
        for (String call : List.of("c1", "c2", "c3", "d1")) {
            assertThat(debit(call).negate()).as(call).isEqualByComparingTo(price(call));
        }
        assertThat(data(report("report", "reconciliation", "--from", DAY, "--to", DAY))).isEmpty();
        assertThat(tollgate.cliCaptured("account", "check").rc()).isZero();

        // settling the same CDRs again charges nothing
        List<CallEnd> ends = jdbc.query("""
                SELECT c.billing_party, c.call_id, c.callee, c.answer_time, c.billable_seconds FROM cdr c
                 WHERE c.call_date = ?::date AND c.disposition = 'ANSWERED' ORDER BY c.call_id""", (rs, i) -> new CallEnd(
                new CallKey(rs.getString(1), rs.getString(2)), rs.getString(3), rs.getLong(5),
                rs.getTimestamp(4).toInstant(), rs.getTimestamp(4).toInstant().plusSeconds(rs.getLong(5)), "cdr"), DAY);
        assertThat(prepaid.settle(ends)).hasSize(4).allSatisfy(st -> assertThat(st.alreadySettled()).isTrue());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM prepaid_ledger WHERE kind = 'CALL'", Integer.class))
                .isEqualTo(4);
    }

    private BigDecimal debit(String callId) {
        return jdbc.queryForObject("SELECT amount FROM prepaid_ledger WHERE kind = 'CALL' AND reference = ?",
                BigDecimal.class, callId);
    }

    @Test
    void aDebitOfAnotherAmountOrWithoutACdrIsListed() throws Exception {
        Instant now = Instant.now();
        // a debit for a call with no CDR at all (not paired yet, or never accounted)
        CallKey ghost = new CallKey(OTHER, "ghost");
        prepaid.authorize(new CallRequest(ghost, "+4930123456", now, 0)).join();
        prepaid.commit(new CallEnd(ghost, "+4930123456", 70, now, now.plusSeconds(70), "radius-stop")).join();
        String today = LocalDate.now(ZoneId.of("Europe/Berlin")).toString();
        List<CSVRecord> rows = data(report("report", "reconciliation", "--from", today, "--to", today, "--account", OTHER));
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.get("Call-ID")).isEqualTo("ghost");
            assertThat(r.get("Status")).isEqualTo("NO_CDR");
            assertThat(new BigDecimal(r.get("Ledger debit"))).isEqualByComparingTo("0.25");
        });
        // a debit that differs from the CDR's price
        jdbc.update("UPDATE cdr_price SET cost = 0.99 WHERE cdr_key = (SELECT cdr_key FROM cdr WHERE call_id = 'd1')");
        try {
            assertThat(data(report("report", "reconciliation", "--from", DAY, "--to", DAY, "--account", OTHER))).singleElement()
                    .satisfies(r -> {
                        assertThat(r.get("Call-ID")).isEqualTo("d1");
                        assertThat(r.get("Status")).isEqualTo("DIFFERENT");
                        assertThat(new BigDecimal(r.get("Difference"))).isEqualByComparingTo("-0.84");
                    });
        } finally {
            jdbc.update("UPDATE cdr_price SET cost = 0.1500 WHERE cdr_key = (SELECT cdr_key FROM cdr WHERE call_id = 'd1')");
        }
    }

    @Test
    void thePrepaidStatementCarriesTheBalanceForwardAndAddsUpToIt() throws Exception {
        String today = LocalDate.now(ZoneId.of("Europe/Berlin")).toString();
        String yesterday = LocalDate.now(ZoneId.of("Europe/Berlin")).minusDays(1).toString();
        List<CSVRecord> rows = report("report", "prepaid-statement", "--from", yesterday, "--to", today, "--account", ACCOUNT);
        assertThat(rows.get(0).get("Kind")).isEqualTo("CARRIED FORWARD");
        assertThat(new BigDecimal(rows.get(0).get("Balance"))).isEqualByComparingTo("0");
        List<String> kinds = rows.stream().map(r -> r.get("Kind")).toList();
        assertThat(kinds).contains("TOPUP", "CALL");
        CSVRecord total = rows.get(rows.size() - 1);
        assertThat(total.get("Kind")).isEqualTo("CLOSING BALANCE");
        BigDecimal balance = jdbc.queryForObject("SELECT balance FROM prepaid_account p JOIN account a ON a.id = p.account_id "
                + "WHERE a.name = ?", BigDecimal.class, ACCOUNT);
        assertThat(new BigDecimal(total.get("Balance"))).isEqualByComparingTo(balance);
        // from tomorrow on, all of it is carried forward
        String tomorrow = LocalDate.now(ZoneId.of("Europe/Berlin")).plusDays(1).toString();
        List<CSVRecord> later = report("report", "prepaid-statement", "--from", tomorrow, "--to", tomorrow, "--account", ACCOUNT);
        assertThat(new BigDecimal(later.get(0).get("Balance"))).isEqualByComparingTo(balance);
        Path xlsx = dir.resolve("statement.xlsx");
        cli("report", "prepaid-statement", "--from", yesterday, "--to", today, "--account", ACCOUNT, "--out", xlsx.toString());
        assertThat(Files.size(xlsx)).isGreaterThan(1000);
    }

    private BigDecimal price(String callId) {
        return jdbc.queryForObject("SELECT p.cost FROM cdr c JOIN cdr_price p USING (cdr_key) WHERE c.call_id = ?",
                BigDecimal.class, callId);
    }
}
