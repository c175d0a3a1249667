package org.tollgate.rating.batch;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.tollgate.rating.Quote;
import org.tollgate.rating.Rater;
import org.tollgate.rating.tariff.RatePlan;

/**
 * Prices the CDRs that have no price yet (new, corrected, or marked for re-rating), a chunk at a
 * time in the caller's transaction, and keeps the per-account daily totals of the days it
 * touched. Every chunk is idempotent: a run killed half-way is finished by the next one.
 *
 * <p>The billing party is the account's name. Answered calls are priced by the callee number
 * at the answer time for the billable seconds, in the account's zone. A call that did not
 * connect costs nothing unless its plan charges failed calls (then the connect fee). A CDR
 * without account, plan or rate is UNRATED with the reason, never priced at zero.
 */
public class JdbcCdrRating {

    // keyset: each chunk starts after the last key, past the index entries earlier chunks left dead
    private static final String PICK = """
            SELECT cdr_key, billing_party, callee, answer_time, end_time, billable_seconds, disposition, call_date
              FROM cdr WHERE rating_status IS NULL AND cdr_key > ? ORDER BY cdr_key LIMIT ?""";

    private static final String PRICE = """
            UPDATE cdr c SET rating_status = v.status, account_id = v.account_id, plan_name = v.plan,
                   rate_prefix = v.prefix, destination = v.destination, billed_seconds = v.billed, cost = v.cost,
                   currency = v.currency, unrated_reason = v.reason, rated_at = now()
              FROM unnest(?::uuid[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[],
                          ?::numeric[], ?::text[], ?::text[])
                   AS v(cdr_key, status, account_id, plan, prefix, destination, billed, cost, currency, reason)
             WHERE c.cdr_key = v.cdr_key""";

    private static final String TOTALS = """
            INSERT INTO account_daily_total (account_id, day, currency, calls, billed_seconds, cost, unrated_calls, updated_at)
            SELECT c.account_id, c.call_date, p.currency,
                   count(*) FILTER (WHERE c.rating_status = 'RATED'),
                   coalesce(sum(c.billed_seconds) FILTER (WHERE c.rating_status = 'RATED'), 0),
                   coalesce(sum(c.cost) FILTER (WHERE c.rating_status = 'RATED'), 0),
                   count(*) FILTER (WHERE c.rating_status = 'UNRATED'), now()
                FROM (SELECT DISTINCT account_id, call_date FROM cdr WHERE rated_at >= ? AND account_id IS NOT NULL) k
              JOIN cdr c ON c.account_id = k.account_id AND c.call_date = k.call_date
              JOIN account a ON a.id = c.account_id
              JOIN rate_plan p ON p.id = a.plan_id
             GROUP BY c.account_id, c.call_date, p.currency
            ON CONFLICT (account_id, day, currency) DO UPDATE SET calls = excluded.calls,
                   billed_seconds = excluded.billed_seconds, cost = excluded.cost,
                   unrated_calls = excluded.unrated_calls, updated_at = now()""";

    private static final String AUDIT = """
            INSERT INTO cdr_rating_audit (cdr_key, rating_status, plan_name, rate_prefix, billed_seconds, cost, currency,
                                          unrated_reason, rated_at, reason)
            SELECT cdr_key, rating_status, plan_name, rate_prefix, billed_seconds, cost, currency, unrated_reason, rated_at, ?
              FROM cdr WHERE call_date BETWEEN ? AND ? AND rating_status IS NOT NULL""";

    private static final String UNPRICE =
            "UPDATE cdr SET rating_status = NULL WHERE call_date BETWEEN ? AND ? AND rating_status IS NOT NULL";

    private static final UUID FIRST = new UUID(0L, 0L); // the lowest key in PostgreSQL's (unsigned) order

    /** An account as rating needs it. */
    record Account(long id, String name, String plan, ZoneId zone) { }

    /** What one chunk did. */
    public record Chunk(int rated, int unrated) {
        public int total() {
            return rated + unrated;
        }
    }

    private final DataSource dataSource;
    private final Rater rater;
    private final Function<String, Optional<RatePlan>> plans;
    private final Map<String, Optional<RatePlan>> planCache = new HashMap<>();
    private Map<String, Account> accounts;
    private UUID lastKey = FIRST;

    public JdbcCdrRating(DataSource dataSource, Rater rater, Function<String, Optional<RatePlan>> plans) {
        this.dataSource = dataSource;
        this.rater = rater;
        this.plans = plans;
    }

    /** Prices up to {@code size} unpriced CDRs; a chunk of 0 means there are none left. */
    public Chunk rateChunk(int size) throws SQLException {
        Connection c = DataSourceUtils.getConnection(dataSource);
        List<Object[]> rows = new ArrayList<>(size);
        try (PreparedStatement s = c.prepareStatement(PICK)) {
            s.setObject(1, lastKey);
            s.setInt(2, size);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Timestamp answer = rs.getTimestamp(4);
                    rows.add(new Object[] {rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            answer == null ? null : answer.toInstant(), rs.getLong(6), rs.getString(7),
                            rs.getObject(8, LocalDate.class), rs.getTimestamp(5).toInstant()});
                }
            }
        }
        if (rows.isEmpty()) {
            return new Chunk(0, 0);
        }
        lastKey = (UUID) rows.get(rows.size() - 1)[0];
        Map<String, Account> byName = accounts();
        int n = rows.size();
        UUID[] keys = new UUID[n];
        String[] status = new String[n];
        Long[] accountIds = new Long[n];
        String[] planNames = new String[n];
        String[] prefixes = new String[n];
        String[] destinations = new String[n];
        Long[] billed = new Long[n];
        BigDecimal[] costs = new BigDecimal[n];
        String[] currencies = new String[n];
        String[] reasons = new String[n];
        int rated = 0;
        for (int i = 0; i < n; i++) {
            Object[] r = rows.get(i);
            keys[i] = (UUID) r[0];
            Account a = r[1] == null ? null : byName.get((String) r[1]);
            if (a == null) {
                status[i] = "UNRATED";
                reasons[i] = "no account for billing party '" + r[1] + "'";
                continue;
            }
            accountIds[i] = a.id();
            planNames[i] = a.plan();
            Optional<RatePlan> plan = planCache.computeIfAbsent(a.plan(), plans);
            if (plan.isEmpty()) {
                status[i] = "UNRATED";
                reasons[i] = "plan '" + a.plan() + "' of account '" + a.name() + "' does not exist";
                continue;
            }
            if (a.zone() == null) {
                status[i] = "UNRATED";
                reasons[i] = "account '" + a.name() + "' has no valid time zone";
                continue;
            }
            boolean answered = "ANSWERED".equals(r[5]);
            Instant at = answered ? (Instant) r[3] : (Instant) r[7];
            if (!answered && !plan.get().chargeFailed()) {
                status[i] = "RATED";
                billed[i] = 0L;
                costs[i] = BigDecimal.ZERO.setScale(plan.get().rounding().decimals());
                currencies[i] = plan.get().currency().getCurrencyCode();
                rated++;
                continue;
            }
            Quote q = rater.price(plan.get(), (String) r[2], at, answered ? (Long) r[4] : 0, a.zone());
            if (!q.rated()) {
                status[i] = "UNRATED";
                reasons[i] = q.reason();
                continue;
            }
            status[i] = "RATED";
            prefixes[i] = q.prefix();
            destinations[i] = q.destination();
            billed[i] = q.billedSeconds();
            costs[i] = answered ? q.cost() : q.connectFee().setScale(plan.get().rounding().decimals(),
                    plan.get().rounding().mode());
            currencies[i] = q.currency().getCurrencyCode();
            rated++;
        }
        try (PreparedStatement s = c.prepareStatement(PRICE)) {
            Object[][] columns = {keys, status, accountIds, planNames, prefixes, destinations, billed, costs, currencies, reasons};
            String[] types = {"uuid", "text", "bigint", "text", "text", "text", "bigint", "numeric", "text", "text"};
            for (int i = 0; i < columns.length; i++) {
                s.setArray(i + 1, c.createArrayOf(types[i], columns[i]));
            }
            s.executeUpdate();
        }
        return new Chunk(rated, n - rated);
    }

    /** The database's clock: prices are stamped with it, so a pass's start must be read from it too. */
    public Instant databaseNow() {
        return new JdbcTemplate(dataSource).queryForObject("SELECT clock_timestamp()", Timestamp.class).toInstant();
    }

    /**
     * Recomputes the daily totals of every account and day with a CDR priced since {@code since}
     * (the start of this pass): once at the end, not per chunk, as a day's total sums all its CDRs.
     */
    public int refreshTotals(Instant since) {
        return new JdbcTemplate(dataSource).update(TOTALS, Timestamp.from(since));
    }

    /**
     * Marks the CDRs of a period for pricing again (after a tariff fix), keeping their current
     * prices in cdr_rating_audit; the next chunks re-price them. Returns how many were marked.
     */
    public int markForRerate(LocalDate from, LocalDate to, String reason) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.update(AUDIT, reason, java.sql.Date.valueOf(from), java.sql.Date.valueOf(to));
        planCache.clear();
        lastKey = FIRST;
        return jdbc.update(UNPRICE, java.sql.Date.valueOf(from), java.sql.Date.valueOf(to));
    }

    private Map<String, Account> accounts() {
        if (accounts == null) {
            Map<String, Account> out = new HashMap<>();
            new JdbcTemplate(dataSource).query("""
                    SELECT a.id, a.name, p.name, a.time_zone FROM account a JOIN rate_plan p ON p.id = a.plan_id""", rs -> {
                ZoneId zone;
                try {
                    zone = ZoneId.of(rs.getString(4));
                } catch (DateTimeException e) {
                    zone = null; // its CDRs go UNRATED with the reason
                }
                out.put(rs.getString(2), new Account(rs.getLong(1), rs.getString(2), rs.getString(3), zone));
            });
            accounts = out;
        }
        return accounts;
    }
}
