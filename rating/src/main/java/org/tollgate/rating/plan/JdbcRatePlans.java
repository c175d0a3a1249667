package org.tollgate.rating.plan;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.tollgate.rating.tariff.PrefixTrie;
import org.tollgate.rating.tariff.Rate;
import org.tollgate.rating.tariff.RatePlan;
import org.tollgate.rating.tariff.Rounding;
import org.tollgate.rating.tariff.TimeBand;

/**
 * Rate plans, their rates and the accounts on them, in PostgreSQL. Rates are replaced as a
 * whole by {@link #importRates} (checked first, then one transaction: delete and COPY), and read
 * as a stream by {@link #load} and {@link #exportRates}, so a plan of 100,000+ prefixes costs
 * one query, not one per rate.
 */
public class JdbcRatePlans {

    private static final String RATE_COLUMNS = "prefix, destination, band, connect_fee, price_per_minute, "
            + "first_increment, next_increment, minimum_seconds, free_seconds, valid_from, valid_to";
    // the byte order of digits and '*': the same order whatever the database's collation
    private static final String RATE_ORDER = "prefix COLLATE \"C\", band COLLATE \"C\", valid_from";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final TransactionTemplate snapshot;

    public JdbcRatePlans(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        // inside a transaction the driver fetches with a cursor, this many rows at a time, instead of all at once
        jdbc.setFetchSize(10_000);
        DataSourceTransactionManager tm = new DataSourceTransactionManager(dataSource);
        this.tx = new TransactionTemplate(tm);
        this.snapshot = new TransactionTemplate(tm);
        // the plan, its bands and its rates as of one moment, even while an import commits
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
    }

    /** Creates a plan without rates; a name already taken is a DuplicateKeyException. */
    public long createPlan(PlanSettings s) {
        Long id = tx.execute(st -> {
            Long planId = jdbc.queryForObject("""
                    INSERT INTO rate_plan (name, currency, decimals, rounding, round_per_increment, charge_failed)
                    VALUES (?, ?, ?, ?, ?, ?) RETURNING id""", Long.class, s.name(), s.currency().getCurrencyCode(),
                    s.rounding().decimals(), s.rounding().mode().name(), s.rounding().perIncrement(), s.chargeFailed());
            List<Object[]> bands = new ArrayList<>();
            for (int i = 0; i < s.bands().size(); i++) {
                TimeBand b = s.bands().get(i);
                bands.add(new Object[] {planId, i, b.name(), Weekdays.format(b.days()), b.from(), b.to(), b.holidays()});
            }
            jdbc.batchUpdate("INSERT INTO rate_plan_band (plan_id, ordinal, name, days, from_time, to_time, holidays) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)", bands);
            jdbc.batchUpdate("INSERT INTO rate_plan_holiday (plan_id, day) VALUES (?, ?)",
                    s.holidays().stream().map(d -> new Object[] {planId, Date.valueOf(d)}).toList());
            return planId;
        });
        return id;
    }

    public List<PlanSummary> plans() {
        return jdbc.query("""
                SELECT p.name, p.currency, p.decimals, p.rounding, p.round_per_increment, p.charge_failed,
                       (SELECT string_agg(b.name, ',' ORDER BY b.ordinal) FROM rate_plan_band b WHERE b.plan_id = p.id) AS bands,
                       (SELECT count(*) FROM rate_plan_holiday h WHERE h.plan_id = p.id) AS holidays,
                       (SELECT count(*) FROM rate r WHERE r.plan_id = p.id) AS rates
                FROM rate_plan p ORDER BY p.name""", (rs, i) -> new PlanSummary(rs.getString("name"),
                rs.getString("currency"), rs.getInt("decimals"), RoundingMode.valueOf(rs.getString("rounding")),
                rs.getBoolean("round_per_increment"), rs.getBoolean("charge_failed"),
                rs.getString("bands") == null ? List.of() : Arrays.asList(rs.getString("bands").split(",")),
                rs.getInt("holidays"), rs.getLong("rates")));
    }

    /** The plan with all its rates in a prefix trie, ready for the rater; empty if there is no such plan. */
    public Optional<RatePlan> load(String name) {
        return snapshot.execute(st -> {
            List<PlanRow> found = jdbc.query("SELECT * FROM rate_plan WHERE name = ?", JdbcRatePlans::planRow, name);
            if (found.isEmpty()) {
                return Optional.<RatePlan>empty();
            }
            PlanRow p = found.get(0);
            List<TimeBand> bands = bands(p.id());
            List<LocalDate> holidays = jdbc.query("SELECT day FROM rate_plan_holiday WHERE plan_id = ?",
                    (rs, i) -> rs.getObject(1, LocalDate.class), p.id());
            List<Rate> rates = new ArrayList<>();
            jdbc.query("SELECT " + RATE_COLUMNS + " FROM rate WHERE plan_id = ?",
                    (RowCallbackHandler) rs -> rates.add(rate(rs)), p.id());
            return Optional.of(new RatePlan(p.name(), p.currency(), p.rounding(), bands, new HashSet<>(holidays),
                    p.chargeFailed(), new PrefixTrie(rates)));
        });
    }

    /** When the plan or its rates last changed; empty if there is no such plan. */
    public Optional<java.time.Instant> updatedAt(String plan) {
        return jdbc.query("SELECT updated_at FROM rate_plan WHERE name = ?",
                (rs, i) -> rs.getObject(1, OffsetDateTime.class).toInstant(), plan).stream().findFirst();
    }

    public int importRates(String plan, Reader csv) {
        return importRates(plan, "rates", csv);
    }

    /**
     * Replaces every rate of {@code plan} with those of {@code csv}, all or nothing: a file with
     * any bad row is a {@link RateCsvException} listing every problem, and the plan keeps its rates.
     * {@code source} names the file in that exception. Returns the number of rates now in the plan.
     */
    public int importRates(String plan, String source, Reader csv) {
        Integer n = tx.execute(st -> {
            // locked until commit: two imports into one plan run one after the other
            List<Long> ids = jdbc.queryForList("SELECT id FROM rate_plan WHERE name = ? FOR UPDATE", Long.class, plan);
            long planId = ids.stream().findFirst().orElseThrow(() -> noPlan(plan));
            Set<String> bandNames = new HashSet<>();
            bands(planId).forEach(b -> bandNames.add(b.name()));
            List<Rate> rates = RateCsv.read(source, csv, bandNames);
            jdbc.update("DELETE FROM rate WHERE plan_id = ?", planId);
            copy(planId, rates);
            jdbc.update("UPDATE rate_plan SET updated_at = now() WHERE id = ?", planId);
            return rates.size();
        });
        return n;
    }

    /** The plan's rates as {@link RateCsv}, ordered by prefix, band and valid_from. */
    public void exportRates(String plan, Writer out) {
        snapshot.executeWithoutResult(st -> {
            List<Long> ids = jdbc.queryForList("SELECT id FROM rate_plan WHERE name = ?", Long.class, plan);
            long planId = ids.stream().findFirst().orElseThrow(() -> noPlan(plan));
            try (RateCsv.Output csv = new RateCsv.Output(out)) {
                jdbc.query("SELECT " + RATE_COLUMNS + " FROM rate WHERE plan_id = ? ORDER BY " + RATE_ORDER,
                        (RowCallbackHandler) rs -> csv.add(rate(rs)), planId);
            }
        });
    }

    public AccountRef addAccount(String name, String plan, ZoneId zone) {
        List<Long> ids = jdbc.queryForList("""
                INSERT INTO account (name, plan_id, time_zone)
                SELECT ?, id, ? FROM rate_plan WHERE name = ? RETURNING id""", Long.class, name, zone.getId(), plan);
        if (ids.isEmpty()) {
            throw noPlan(plan);
        }
        return new AccountRef(ids.get(0), name, plan, zone, "POSTPAID");
    }

    public Optional<AccountRef> account(String name) {
        return jdbc.query(ACCOUNTS + " WHERE a.name = ?", JdbcRatePlans::accountRow, name).stream().findFirst();
    }

    public List<AccountRef> accounts() {
        return jdbc.query(ACCOUNTS + " ORDER BY a.name", JdbcRatePlans::accountRow);
    }

    private static final String ACCOUNTS = "SELECT a.id, a.name, p.name AS plan, a.time_zone, a.kind "
            + "FROM account a JOIN rate_plan p ON p.id = a.plan_id";

    private static AccountRef accountRow(ResultSet rs, int i) throws SQLException {
        ZoneId zone;
        try {
            zone = ZoneId.of(rs.getString("time_zone"));
        } catch (DateTimeException e) {
            // written by hand in the database: rating reads it as UTC rather than failing every call
            zone = ZoneId.of("UTC");
        }
        return new AccountRef(rs.getLong("id"), rs.getString("name"), rs.getString("plan"), zone, rs.getString("kind"));
    }

    private List<TimeBand> bands(long planId) {
        return jdbc.query("SELECT name, days, from_time, to_time, holidays FROM rate_plan_band WHERE plan_id = ? "
                + "ORDER BY ordinal", (rs, i) -> new TimeBand(rs.getString("name"), Weekdays.parse(rs.getString("days")),
                rs.getObject("from_time", LocalTime.class), rs.getObject("to_time", LocalTime.class),
                rs.getBoolean("holidays")), planId);
    }

    private void copy(long planId, Collection<Rate> rates) {
        StringWriter data = new StringWriter(rates.size() * 96);
        try (CSVPrinter p = new CSVPrinter(data, CSVFormat.POSTGRESQL_CSV)) {
            for (Rate r : rates) {
                p.printRecord(planId, r.prefix(), r.destination(), r.band(), r.connectFee().toPlainString(),
                        r.pricePerMinute().toPlainString(),
                        r.firstIncrement(), r.nextIncrement(), r.minimumSeconds(), r.freeSeconds(), r.validFrom(),
                        r.validTo());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        jdbc.execute((ConnectionCallback<Long>) c -> {
            try {
                return c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY rate (plan_id, " + RATE_COLUMNS
                        + ") FROM STDIN WITH (FORMAT csv)", new StringReader(data.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Rate rate(ResultSet rs) throws SQLException {
        OffsetDateTime to = rs.getObject(11, OffsetDateTime.class);
        return new Rate(rs.getString(1), rs.getString(2), rs.getString(3), plain(rs.getBigDecimal(4)),
                plain(rs.getBigDecimal(5)), rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getInt(9),
                rs.getObject(10, OffsetDateTime.class).toInstant(), to == null ? null : to.toInstant());
    }

    /** NUMERIC(18,6) comes back with 6 decimals; the rate as written reads better in a quote. */
    private static BigDecimal plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    private record PlanRow(long id, String name, Currency currency, Rounding rounding, boolean chargeFailed) { }

    private static PlanRow planRow(ResultSet rs, int i) throws SQLException {
        return new PlanRow(rs.getLong("id"), rs.getString("name"), Currency.getInstance(rs.getString("currency")),
                new Rounding(rs.getInt("decimals"), RoundingMode.valueOf(rs.getString("rounding")),
                        rs.getBoolean("round_per_increment")), rs.getBoolean("charge_failed"));
    }

    private static IllegalArgumentException noPlan(String plan) {
        return new IllegalArgumentException("no rate plan named " + plan);
    }
}
