package org.tollgate.reports;

import static org.tollgate.reports.Column.Kind.DATETIME;
import static org.tollgate.reports.Column.Kind.DATE;
import static org.tollgate.reports.Column.Kind.INTEGER;
import static org.tollgate.reports.Column.Kind.MONEY;
import static org.tollgate.reports.StreamingQuery.local;
import static org.tollgate.reports.StreamingQuery.longOrNull;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * The reports that list calls: the statement (grouped by destination, with subtotals), missed
 * calls, repaired calls, unrated CDRs and the CDR export. Each ends with a totals row.
 */
final class CallListings {

    private static final String STATEMENT = """
            SELECT c.answer_time, coalesce(p.destination, '(unrated)') AS destination, c.callee, c.duration_seconds,
                   p.billed_seconds, p.cost, p.currency
              FROM cdr_price p JOIN cdr c USING (cdr_key)
             WHERE p.account_id = ? AND p.call_date BETWEEN ? AND ?
               AND (c.disposition = 'ANSWERED' OR p.cost > 0 OR p.rating_status = 'UNRATED')
             ORDER BY destination, c.answer_time, c.cdr_key""";

    private static final String MISSED = """
            SELECT coalesce(c.setup_time, c.end_time) AS at, c.billing_party, c.caller, c.callee, c.disposition,
                   c.sip_code, c.sip_reason
              FROM cdr c
             WHERE c.call_date BETWEEN ? AND ? AND c.disposition <> 'ANSWERED' AND (?::text IS NULL OR c.billing_party = ?)
             ORDER BY at, c.cdr_key""";

    private static final String REPAIRED = """
            SELECT c.answer_time, c.end_time, c.billing_party, c.caller, c.callee, c.duration_seconds, c.billable_seconds,
                   c.repair, c.terminate_cause
              FROM cdr c
             WHERE c.call_date BETWEEN ? AND ? AND c.repair IS NOT NULL AND (?::text IS NULL OR c.billing_party = ?)
             ORDER BY c.answer_time, c.cdr_key""";

    private static final String UNRATED = """
            SELECT coalesce(c.answer_time, c.setup_time), c.billing_party, c.callee, c.disposition, c.duration_seconds,
                   p.unrated_reason
              FROM cdr_price p JOIN cdr c USING (cdr_key)
             WHERE p.rating_status = 'UNRATED' AND p.call_date BETWEEN ? AND ? AND (?::text IS NULL OR c.billing_party = ?)
             ORDER BY 1, c.cdr_key""";

    private static final String CDRS = """
            SELECT c.call_date, c.setup_time, c.answer_time, c.end_time, c.billing_party, c.caller, c.callee,
                   c.disposition, c.sip_code, c.duration_seconds, c.billable_seconds, c.repair, p.rating_status,
                   p.destination, p.billed_seconds, p.cost, p.currency, c.call_id
              FROM cdr c LEFT JOIN cdr_price p USING (cdr_key)
             WHERE c.call_date BETWEEN ? AND ? AND (?::text IS NULL OR c.billing_party = ?)
             ORDER BY c.call_date, c.setup_time, c.cdr_key""";

    private final StreamingQuery query;

    CallListings(StreamingQuery query) {
        this.query = query;
    }

    /** The account's calls by destination, a subtotal after each destination, then the total. */
    void statement(long accountId, ReportRequest r, ZoneId zone, TableSink out) throws Exception {
        out.start(r.name().title(), List.of(Column.of("Time", DATETIME), Column.text("Destination"),
                Column.text("Number"), Column.summed("Duration (s)", INTEGER), Column.summed("Billed (s)", INTEGER),
                Column.summed("Cost", MONEY), Column.text("Currency")));
        Totals all = new Totals();
        Totals[] group = {null};
        String[] current = {null};
        String[] currency = {null};
        query.run(STATEMENT, new Object[] {accountId, Date.valueOf(r.from()), Date.valueOf(r.to())}, rs -> {
            String destination = rs.getString(2);
            if (!destination.equals(current[0])) {
                if (group[0] != null) {
                    out.subtotal(group[0].row("Subtotal", current[0], currency[0]));
                }
                group[0] = new Totals();
                current[0] = destination;
            }
            Long duration = longOrNull(rs, 4);
            Long billed = longOrNull(rs, 5);
            BigDecimal cost = rs.getBigDecimal(6);
            currency[0] = currency[0] == null ? rs.getString(7) : currency[0];
            group[0].add(duration, billed, cost);
            all.add(duration, billed, cost);
            out.row(new Object[] {local(rs, 1, zone), destination, rs.getString(3), duration, billed, cost,
                    rs.getString(7)});
        });
        if (group[0] != null) {
            out.subtotal(group[0].row("Subtotal", current[0], currency[0]));
        }
        out.total(all.row("Total", null, currency[0]));
        out.finish();
    }

    void missed(ReportRequest r, ZoneId zone, TableSink out) throws Exception {
        out.start(r.name().title(), List.of(Column.of("Time", DATETIME), Column.text("Billing party"),
                Column.text("Caller"), Column.text("Callee"), Column.text("Disposition"), Column.of("SIP code", INTEGER),
                Column.text("Reason")));
        long[] n = {0};
        query.run(MISSED, r.queryArgs(), rs -> {
            n[0]++;
            out.row(new Object[] {local(rs, 1, zone), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5), longOrNull(rs, 6), rs.getString(7)});
        });
        out.total(new Object[] {"Total", n[0] + " calls", null, null, null, null, null});
        out.finish();
    }

    void repaired(ReportRequest r, ZoneId zone, TableSink out) throws Exception {
        out.start(r.name().title(), List.of(Column.of("Answered", DATETIME), Column.of("Ended", DATETIME),
                Column.text("Billing party"), Column.text("Caller"), Column.text("Callee"),
                Column.summed("Duration (s)", INTEGER), Column.summed("Billable (s)", INTEGER), Column.text("Repair"),
                Column.text("Terminate cause")));
        Totals t = new Totals();
        long[] n = {0};
        query.run(REPAIRED, r.queryArgs(), rs -> {
            n[0]++;
            Long duration = longOrNull(rs, 6);
            Long billable = longOrNull(rs, 7);
            t.add(duration, billable, null);
            out.row(new Object[] {local(rs, 1, zone), local(rs, 2, zone), rs.getString(3),
                    rs.getString(4), rs.getString(5), duration, billable, rs.getString(8), rs.getString(9)});
        });
        out.total(new Object[] {"Total", null, n[0] + " calls", null, null, t.duration, t.billed, null, null});
        out.finish();
    }

    void unrated(ReportRequest r, ZoneId zone, TableSink out) throws Exception {
        out.start(r.name().title(), List.of(Column.of("Time", DATETIME), Column.text("Billing party"),
                Column.text("Callee"), Column.text("Disposition"), Column.summed("Duration (s)", INTEGER),
                Column.text("Why unrated")));
        Totals t = new Totals();
        long[] n = {0};
        query.run(UNRATED, r.queryArgs(), rs -> {
            n[0]++;
            Long duration = longOrNull(rs, 5);
            t.add(duration, null, null);
            out.row(new Object[] {local(rs, 1, zone), rs.getString(2), rs.getString(3), rs.getString(4),
                    duration, rs.getString(6)});
        });
        out.total(new Object[] {"Total", n[0] + " CDRs", null, null, t.duration, null});
        out.finish();
    }

    /** Every CDR of the period with its price: the raw export. */
    void cdrs(ReportRequest r, ZoneId zone, TableSink out) throws Exception {
        out.start(r.name().title(), List.of(Column.of("Day", DATE), Column.of("Setup", DATETIME),
                Column.of("Answered", DATETIME), Column.of("Ended", DATETIME), Column.text("Billing party"),
                Column.text("Caller"), Column.text("Callee"), Column.text("Disposition"), Column.of("SIP code", INTEGER),
                Column.summed("Duration (s)", INTEGER), Column.summed("Billable (s)", INTEGER), Column.text("Repair"),
                Column.text("Rating"), Column.text("Destination"), Column.summed("Billed (s)", INTEGER),
                Column.summed("Cost", MONEY), Column.text("Currency"), Column.text("Call-ID")));
        Totals t = new Totals();
        long[] n = {0};
        String[] currency = {null};
        boolean[] mixed = {false};
        query.run(CDRS, r.queryArgs(), rs -> {
            n[0]++;
            Long duration = longOrNull(rs, 10);
            Long billed = longOrNull(rs, 15);
            BigDecimal cost = rs.getBigDecimal(16);
            String cur = rs.getString(17);
            if (cur != null) {
                mixed[0] |= currency[0] != null && !currency[0].equals(cur);
                currency[0] = cur;
            }
            t.add(duration, billed, cost);
            t.billable += nz(longOrNull(rs, 11));
            out.row(new Object[] {rs.getObject(1, java.time.LocalDate.class), local(rs, 2, zone),
                    local(rs, 3, zone), local(rs, 4, zone), rs.getString(5), rs.getString(6),
                    rs.getString(7), rs.getString(8), longOrNull(rs, 9), duration, longOrNull(rs, 11), rs.getString(12),
                    rs.getString(13), rs.getString(14), billed, cost, cur, rs.getString(18)});
        });
        // costs in different currencies do not add up
        out.total(new Object[] {"Total", n[0] + " CDRs", null, null, null, null, null, null, null, t.duration, t.billable,
                null, null, null, t.billed, mixed[0] ? null : t.cost, mixed[0] ? "mixed" : currency[0], null});
        out.finish();
    }


    private static long nz(Long v) {
        return v == null ? 0 : v;
    }

    /** Running sums for subtotal and total rows. */
    private static final class Totals {
        long calls;
        long duration;
        long billed;
        long billable;
        BigDecimal cost = BigDecimal.ZERO;

        void add(Long duration, Long billed, BigDecimal cost) {
            calls++;
            this.duration += nz(duration);
            this.billed += nz(billed);
            if (cost != null) {
                this.cost = this.cost.add(cost);
            }
        }

        Object[] row(String label, String destination, String currency) {
            return new Object[] {label, destination, calls + " calls", duration, billed, cost,
                    Objects.requireNonNullElse(currency, "")};
        }
    }
}
