package org.tollgate.prepaid.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.TreeSet;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.api.Money;
import org.tollgate.prepaid.PrepaidSettings;
import org.tollgate.prepaid.account.PrepaidAccount;
import org.tollgate.prepaid.account.PrepaidAccounts;
import org.tollgate.prepaid.ledger.EntryKind;
import org.tollgate.prepaid.ledger.JdbcLedger;
import org.tollgate.prepaid.reservation.PrepaidEngine;
import org.tollgate.rating.CachedRatingService;
import org.tollgate.rating.Rater;
import org.tollgate.rating.number.NumberNormalizer;
import org.tollgate.rating.plan.JdbcRatePlans;
import org.tollgate.rating.plan.PlanSettings;
import org.tollgate.rating.plan.RateCsv;
import org.tollgate.rating.tariff.Rounding;

/**
 * A real PostgreSQL (embedded) with the project's migrations, rate plans made with rating's own
 * storage, the rating service the engine uses in production, and helpers to check that every
 * balance is the sum of its ledger.
 */
public final class PrepaidDatabase implements AutoCloseable {

    private final EmbeddedPostgres pg;
    private final HikariDataSource dataSource;
    public final JdbcRatePlans plans;
    public final CachedRatingService rating;
    public final PrepaidAccounts accounts;
    public final JdbcLedger ledger;
    public final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    public PrepaidDatabase() {
        try {
            pg = EmbeddedPostgres.builder().setDataDirectory(Files.createTempDirectory("tollgate-prepaid-pg"))
                    .setServerConfig("synchronous_commit", "on").start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres?user=postgres");
        cfg.setMaximumPoolSize(12);
        cfg.setConnectionTimeout(2000);
        dataSource = new HikariDataSource(cfg);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migrations").load().migrate();
        plans = new JdbcRatePlans(dataSource);
        rating = new CachedRatingService(plans, new Rater(NumberNormalizer.international()), Duration.ofMillis(200), 100_000);
        accounts = new PrepaidAccounts(dataSource);
        ledger = new JdbcLedger(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public JdbcTemplate jdbc() {
        return new JdbcTemplate(dataSource);
    }

    /** A plan rounding to {@code decimals}, with rates as rating's CSV rows (no header). */
    public void plan(String name, String currency, int decimals, String rateRows) {
        plans.createPlan(new PlanSettings(name, PlanSettings.currency(currency),
                new Rounding(decimals, RoundingMode.HALF_UP, false), false, List.of(), new TreeSet<>()));
        plans.importRates(name, new StringReader(RateCsv.HEADER_LINE + "\n" + rateRows));
    }

    /** A prepaid account on {@code plan} (in the plan's currency) topped up with {@code balance}. */
    public PrepaidAccount prepaid(String name, String plan, String currency, String balance, String creditLimit) {
        PrepaidAccount a = accounts.create(name, plan, ZoneId.of("Europe/Berlin"), currency, new BigDecimal(creditLimit),
                BigDecimal.ZERO);
        if (new BigDecimal(balance).signum() > 0) {
            ledger.post(name, EntryKind.TOPUP, Money.of(balance, currency), "initial", null);
        }
        return accounts.find(name).orElseThrow();
    }

    /** An engine reporting to {@link #metrics}. */
    public PrepaidEngine engine(PrepaidSettings settings) {
        return new PrepaidEngine(dataSource, rating, settings, metrics, Clock.systemUTC());
    }

    /** Another engine on the same database (as another Tollgate instance would run), with metrics of its own. */
    public PrepaidEngine otherEngine(PrepaidSettings settings) {
        return new PrepaidEngine(dataSource, rating, settings, new SimpleMeterRegistry(), Clock.systemUTC());
    }

    public BigDecimal balance(String account) {
        return accounts.find(account).orElseThrow().balance();
    }

    public BigDecimal reserved(String account) {
        return accounts.find(account).orElseThrow().reserved();
    }

    /** The sum of the account's CALL entries, as a positive amount. */
    public BigDecimal debits(String account) {
        return jdbc().queryForObject("SELECT coalesce(-sum(l.amount), 0) FROM prepaid_ledger l JOIN account a "
                + "ON a.id = l.account_id WHERE a.name = ? AND l.kind = 'CALL'", BigDecimal.class, account);
    }

    /** Every balance is the sum of its ledger, every reservation total the sum of its open calls. */
    public void assertConsistent() {
        PrepaidAccounts.Check check = accounts.check(java.time.Instant.now().minus(Duration.ofDays(1)));
        assertThat(check.problems()).isEmpty();
    }

    @Override
    public void close() {
        dataSource.close();
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
