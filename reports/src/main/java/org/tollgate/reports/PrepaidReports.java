package org.tollgate.reports;

import static org.tollgate.reports.Column.Kind.DATE;
import static org.tollgate.reports.Column.Kind.DATETIME;
import static org.tollgate.reports.Column.Kind.INTEGER;
import static org.tollgate.reports.Column.Kind.MONEY;
import static org.tollgate.reports.StreamingQuery.local;
import static org.tollgate.reports.StreamingQuery.longOrNull;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * Prepaid reports over the ledger: an account's statement (balance carried forward, every top-up,
 * voucher, call, refund and adjustment with the balance after it, totals by kind, the closing
 * balance), and the reconciliation of prepaid calls: every call where the CDR's price and the
 * ledger's debit disagree — a CDR priced without a debit, a debit of another amount, a debit
 * without a CDR. It is empty when prepaid and postpaid rating agree.
 */
final class PrepaidReports {

    private static final String CARRIED = """
            SELECT coalesce(sum(amount), 0) FROM prepaid_ledger WHERE account_id = ? AND created_at < ?""";

    private static final String ENTRIES = """
            SELECT created_at, kind, reference, note, amount, balance_after
              FROM prepaid_ledger WHERE account_id = ? AND created_at >= ? AND created_at < ? ORDER BY id""";

    // CDRs of prepaid accounts against the ledger entry of their call (key call/<account id>/<call id>)
    private static final String CDRS_AGAINST_LEDGER = """
            SELECT c.call_date, c.answer_time, c.billing_party, c.call_id, c.callee, p.billed_seconds, p.rating_status,
                   p.cost, -l.amount AS debit, pa.currency,
                   CASE WHEN l.id IS NULL THEN 'NO_DEBIT' WHEN p.rating_status = 'UNRATED' THEN 'UNRATED_CDR'
                        ELSE 'DIFFERENT' END AS status
              FROM cdr c JOIN cdr_price p USING (cdr_key)
              JOIN prepaid_account pa ON pa.account_id = p.account_id
              LEFT JOIN prepaid_ledger l ON l.idempotency_key = 'call/' || p.account_id || '/' || c.call_id
             WHERE p.call_date BETWEEN ? AND ? AND (?::text IS NULL OR c.billing_party = ?)
               AND CASE WHEN l.id IS NULL THEN coalesce(p.cost, 0) <> 0
                        ELSE p.cost IS NULL OR -l.amount <> p.cost END
             ORDER BY c.call_date, c.answer_time, c.call_id""";

    // debits of the period (by when they were written) whose call has no CDR of that account at all
    private static final String LEDGER_WITHOUT_CDR = """
            SELECT l.created_at, a.name, l.reference, -l.amount AS debit, l.currency, l.note
              FROM prepaid_ledger l JOIN account a ON a.id = l.account_id
             WHERE l.kind = 'CALL' AND l.amount <> 0 AND l.created_at >= ? AND l.created_at < ?
               AND (?::text IS NULL OR a.name = ?)
               AND NOT EXISTS (SELECT 1 FROM cdr c JOIN cdr_price p USING (cdr_key)
                                WHERE c.call_id = l.reference AND p.account_id = l.account_id)
             ORDER BY l.id""";

    private final StreamingQuery query;

    PrepaidReports(StreamingQuery query) {
        this.query = query;
    }

    void statement(long accountId, ReportRequest r, ZoneId zone, TableSink out) throws Exception {
        out.start(r.name().title(), List.of(Column.of("Time", DATETIME), Column.text("Kind"), Column.text("Reference"),
                Column.text("Detail"), Column.of("Amount", MONEY), Column.of("Balance", MONEY)));
        Timestamp from = Timestamp.from(r.from().atStartOfDay(zone).toInstant());
        Timestamp to = Timestamp.from(r.to().plusDays(1).atStartOfDay(zone).toInstant());
        BigDecimal[] balance = {BigDecimal.ZERO};
        query.run(CARRIED, new Object[] {accountId, from}, rs -> balance[0] = rs.getBigDecimal(1));
        out.row(new Object[] {r.from().atStartOfDay(), "CARRIED FORWARD", null,
                "balance before " + r.from(), null, balance[0]});
        Map<String, BigDecimal> byKind = new java.util.LinkedHashMap<>();
        for (String k : List.of("TOPUP", "VOUCHER", "CALL", "REFUND", "ADJUSTMENT")) {
            byKind.put(k, BigDecimal.ZERO);
        }
        long[] entries = {0};
        query.run(ENTRIES, new Object[] {accountId, from, to}, rs -> {
            entries[0]++;
            BigDecimal amount = rs.getBigDecimal(5);
            String kind = rs.getString(2);
            byKind.merge(kind, amount, BigDecimal::add);
            balance[0] = balance[0].add(amount);
            out.row(new Object[] {local(rs, 1, zone), kind, rs.getString(3), rs.getString(4), amount, rs.getBigDecimal(6)});
        });
        for (Map.Entry<String, BigDecimal> k : byKind.entrySet()) {
            out.subtotal(new Object[] {"Subtotal", k.getKey(), null, null, k.getValue(), null});
        }
        out.total(new Object[] {"Total", "CLOSING BALANCE", null, entries[0] + " entries", null, balance[0]});
        out.finish();
    }

    void reconciliation(ReportRequest r, ZoneId zone, TableSink out) throws Exception {
        out.start(r.name().title(), List.of(Column.of("Day", DATE), Column.of("Time", DATETIME), Column.text("Account"),
                Column.text("Call-ID"), Column.text("Callee"), Column.of("Billed (s)", INTEGER),
                Column.of("CDR price", MONEY), Column.of("Ledger debit", MONEY), Column.of("Difference", MONEY),
                Column.text("Currency"), Column.text("Status")));
        long[] n = {0};
        query.run(CDRS_AGAINST_LEDGER, r.queryArgs(), rs -> {
            n[0]++;
            BigDecimal cdr = rs.getBigDecimal(8);
            BigDecimal debit = rs.getBigDecimal(9);
            out.row(new Object[] {rs.getObject(1, java.time.LocalDate.class), local(rs, 2, zone), rs.getString(3),
                    rs.getString(4), rs.getString(5), longOrNull(rs, 6), cdr, debit, difference(cdr, debit),
                    rs.getString(10), rs.getString(11)});
        });
        Timestamp from = Timestamp.from(r.from().atStartOfDay(zone).toInstant());
        Timestamp to = Timestamp.from(r.to().plusDays(1).atStartOfDay(zone).toInstant());
        query.run(LEDGER_WITHOUT_CDR, new Object[] {from, to, r.account(), r.account()}, rs -> {
            n[0]++;
            BigDecimal debit = rs.getBigDecimal(4);
            out.row(new Object[] {local(rs, 1, zone).toLocalDate(), local(rs, 1, zone), rs.getString(2), rs.getString(3),
                    rs.getString(6), null, null, debit, difference(null, debit), rs.getString(5), "NO_CDR"});
        });
        out.total(new Object[] {"Total", null, n[0] + " calls disagree", null, null, null, null, null, null, null, null});
        out.finish();
    }

    private static BigDecimal difference(BigDecimal cdr, BigDecimal debit) {
        return (debit == null ? BigDecimal.ZERO : debit).subtract(cdr == null ? BigDecimal.ZERO : cdr);
    }

}
