package org.tollgate.reports;

import static org.tollgate.reports.Column.Kind.DATE;
import static org.tollgate.reports.Column.Kind.DECIMAL;
import static org.tollgate.reports.Column.Kind.INTEGER;
import static org.tollgate.reports.Column.Kind.MONEY;
import static org.tollgate.reports.Column.Kind.PERCENT;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Traffic by destination (calls, answered, ASR, minutes, ACD, revenue) and revenue by day, each
 * with a totals row and a chart. ASR: answered calls over all calls; ACD: average billable
 * minutes of an answered call. Revenue in different currencies is never added up.
 */
final class TrafficReports {

    private static final int CHART_BARS = 20;
    private static final BigDecimal SIXTY = BigDecimal.valueOf(60);

    private static final String DESTINATIONS = """
            SELECT coalesce(p.destination, '(unknown)') AS destination, p.currency, count(*) AS calls,
                   count(*) FILTER (WHERE c.disposition = 'ANSWERED') AS answered,
                   coalesce(sum(c.billable_seconds) FILTER (WHERE c.disposition = 'ANSWERED'), 0) AS seconds,
                   coalesce(sum(p.cost), 0) AS revenue
              FROM cdr c LEFT JOIN cdr_price p USING (cdr_key)
             WHERE c.call_date BETWEEN ? AND ? AND (?::text IS NULL OR c.billing_party = ?)
             GROUP BY 1, 2
             ORDER BY revenue DESC, destination, currency""";

    // from the daily totals the rating keeps per account
    private static final String REVENUE_BY_DAY = """
            SELECT t.day, t.currency, sum(t.calls), sum(t.billed_seconds), sum(t.cost), sum(t.unrated_calls)
              FROM account_daily_total t JOIN account a ON a.id = t.account_id
             WHERE t.day BETWEEN ? AND ? AND (?::text IS NULL OR a.name = ?)
             GROUP BY t.day, t.currency
             ORDER BY t.day, t.currency""";

    private final StreamingQuery query;

    TrafficReports(StreamingQuery query) {
        this.query = query;
    }

    void destinations(ReportRequest r, TableSink out) throws Exception {
        out.start(r.name().title(), List.of(Column.text("Destination"), Column.text("Currency"),
                Column.summed("Calls", INTEGER), Column.summed("Answered", INTEGER), Column.of("ASR", PERCENT),
                Column.summed("Minutes", DECIMAL), Column.of("ACD (min)", DECIMAL), Column.summed("Revenue", MONEY)));
        long[] sums = new long[3]; // calls, answered, seconds
        BigDecimal[] revenue = {BigDecimal.ZERO};
        Set<String> currencies = new HashSet<>();
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        query.run(DESTINATIONS, r.queryArgs(), rs -> {
            long calls = rs.getLong(3);
            long answered = rs.getLong(4);
            long seconds = rs.getLong(5);
            BigDecimal money = rs.getBigDecimal(6);
            String currency = rs.getString(2);
            sums[0] += calls;
            sums[1] += answered;
            sums[2] += seconds;
            revenue[0] = revenue[0].add(money);
            if (currency != null) {
                currencies.add(currency);
            }
            if (names.size() < CHART_BARS) {
                names.add(rs.getString(1));
                values.add(money.doubleValue());
            }
            out.row(new Object[] {rs.getString(1), currency, calls, answered, ratio(answered, calls), minutes(seconds),
                    acd(seconds, answered),
                    money});
        });
        boolean mixed = currencies.size() > 1;
        out.total(new Object[] {"Total", mixed ? "mixed" : currencies.stream().findFirst().orElse(null), sums[0], sums[1],
                ratio(sums[1], sums[0]), minutes(sums[2]),
                acd(sums[2], sums[1]),
                mixed ? null : revenue[0]});
        out.chart(new Chart("Revenue by destination" + (names.size() == CHART_BARS ? " (top " + CHART_BARS + ")" : ""),
                "Revenue", 0, 7, names, values));
        out.finish();
    }

    void revenueByDay(ReportRequest r, TableSink out) throws Exception {
        out.start(r.name().title(), List.of(Column.of("Day", DATE), Column.text("Currency"),
                Column.summed("Calls", INTEGER), Column.summed("Minutes", DECIMAL), Column.summed("Revenue", MONEY),
                Column.summed("Unrated calls", INTEGER)));
        long[] sums = new long[3]; // calls, seconds, unrated
        BigDecimal[] revenue = {BigDecimal.ZERO};
        Set<String> currencies = new HashSet<>();
        List<String> days = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        query.run(REVENUE_BY_DAY, r.queryArgs(), rs -> {
            LocalDate day = rs.getObject(1, LocalDate.class);
            long calls = rs.getLong(3);
            long seconds = rs.getLong(4);
            BigDecimal money = rs.getBigDecimal(5);
            long unrated = rs.getLong(6);
            sums[0] += calls;
            sums[1] += seconds;
            sums[2] += unrated;
            revenue[0] = revenue[0].add(money);
            currencies.add(rs.getString(2));
            days.add(day.toString());
            values.add(money.doubleValue());
            out.row(new Object[] {day, rs.getString(2), calls, minutes(seconds), money, unrated});
        });
        boolean mixed = currencies.size() > 1;
        out.total(new Object[] {"Total", mixed ? "mixed" : currencies.stream().findFirst().orElse(null), sums[0],
                minutes(sums[1]), mixed ? null : revenue[0], sums[2]});
        if (!mixed) { // one bar per row: with several currencies a day would have several bars
            out.chart(new Chart("Revenue by day", "Revenue", 0, 4, days, values));
        }
        out.finish();
    }


    static BigDecimal ratio(long part, long whole) {
        return whole == 0 ? null : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
    }

    /** Average call duration in minutes, over the answered calls; none without one. */
    static BigDecimal acd(long seconds, long answered) {
        return answered == 0 ? null : minutes(seconds).divide(BigDecimal.valueOf(answered), 2, RoundingMode.HALF_UP);
    }

    static BigDecimal minutes(long seconds) {
        return BigDecimal.valueOf(seconds).divide(SIXTY, 2, RoundingMode.HALF_UP);
    }
}
