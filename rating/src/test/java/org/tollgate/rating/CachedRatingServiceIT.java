package org.tollgate.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.StringReader;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.TreeSet;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.api.Money;
import org.tollgate.api.rating.Allowance;
import org.tollgate.api.rating.Quote;
import org.tollgate.api.rating.Usage;
import org.tollgate.rating.number.NumberNormalizer;
import org.tollgate.rating.plan.JdbcRatePlans;
import org.tollgate.rating.plan.PlanSettings;
import org.tollgate.rating.plan.RateCsv;
import org.tollgate.rating.tariff.Rounding;

/** The rating service the real-time paths use: accounts and plans from PostgreSQL, kept in memory. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CachedRatingServiceIT {

    private static final Instant NOON = Instant.parse("2026-11-16T12:00:00Z");

    private EmbeddedPostgres pg;
    private HikariDataSource dataSource;
    private JdbcRatePlans plans;
    private CachedRatingService rating;

    @BeforeAll
    void start() throws IOException {
        pg = EmbeddedPostgres.builder().setDataDirectory(Files.createTempDirectory("tollgate-rating-svc-pg")).start();
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres?user=postgres");
        cfg.setMaximumPoolSize(4);
        dataSource = new HikariDataSource(cfg);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migrations").load().migrate();
        plans = new JdbcRatePlans(dataSource);
        plans.createPlan(new PlanSettings("prepaid-eur", PlanSettings.currency("EUR"),
                new Rounding(2, RoundingMode.HALF_UP, false), false, List.of(), new TreeSet<>()));
        plans.importRates("prepaid-eur", new StringReader(RateCsv.HEADER_LINE + "\n49,Germany,*,0,0.60,1,1,0,0,,\n"));
        plans.addAccount("alice", "prepaid-eur", ZoneId.of("Europe/Berlin"));
        rating = new CachedRatingService(plans, new Rater(NumberNormalizer.international()), Duration.ofMillis(200), 1000);
    }

    @AfterAll
    void stop() throws IOException {
        dataSource.close();
        pg.close();
    }

    @Test
    void pricesWithTheAccountsPlanAndAnswersTheLongestCall() {
        Quote q = rating.price(new Usage("alice", "+4930123", NOON, 40));
        assertThat(q.price()).isEqualTo(Money.of("0.40", "EUR"));
        Allowance a = rating.longestCall(new Usage("alice", "+4930123", NOON, 300), Money.of("1.00", "EUR"));
        assertThat(a.seconds()).isEqualTo(100);
        assertThat(a.price()).isEqualTo(Money.of("1.00", "EUR"));
        assertThat(a.capped()).isFalse();
    }

    @Test
    void anUnknownAccountIsUnratedWithTheReason() {
        assertThat(rating.price(new Usage("nobody", "+4930123", NOON, 40)).reason()).contains("no account named 'nobody'");
        assertThat(rating.longestCall(new Usage("nobody", "+4930123", NOON, 40), Money.of("1", "EUR")).rated()).isFalse();
    }

    @Test
    void moneyInAnotherCurrencyIsRefused() {
        assertThatThrownBy(() -> rating.longestCall(new Usage("alice", "+4930123", NOON, 40), Money.of("1", "USD")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EUR");
    }

    @Test
    void anImportedPlanAndANewAccountAreSeenAfterTheRefreshInterval() {
        plans.createPlan(new PlanSettings("changing", PlanSettings.currency("EUR"),
                new Rounding(2, RoundingMode.HALF_UP, false), false, List.of(), new TreeSet<>()));
        plans.importRates("changing", new StringReader(RateCsv.HEADER_LINE + "\n49,Germany,*,0,1.20,1,1,0,0,,\n"));
        assertThat(rating.price(new Usage("bob", "+4930", NOON, 60)).rated()).isFalse();
        plans.addAccount("bob", "changing", ZoneId.of("UTC"));
        await().atMost(Duration.ofSeconds(5)).until(() -> rating.price(new Usage("bob", "+4930", NOON, 60)).rated());
        assertThat(rating.price(new Usage("bob", "+4930", NOON, 60)).price()).isEqualTo(Money.of("1.20", "EUR"));

        plans.importRates("changing", new StringReader(RateCsv.HEADER_LINE + "\n49,Germany,*,0,0.30,1,1,0,0,,\n"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(rating.price(new Usage("bob", "+4930", NOON, 60)).price()).isEqualTo(Money.of("0.30", "EUR")));
    }

    @Test
    void refreshAllReadsAgainWhatIsKeptAndTheOldAnswersMeanwhile() {
        CachedRatingService hourly = new CachedRatingService(plans, new Rater(NumberNormalizer.international()),
                Duration.ofHours(1), 1000);
        plans.createPlan(new PlanSettings("missed", PlanSettings.currency("EUR"),
                new Rounding(2, RoundingMode.HALF_UP, false), false, List.of(), new TreeSet<>()));
        plans.importRates("missed", new StringReader(RateCsv.HEADER_LINE + "\n49,Germany,*,0,1.20,1,1,0,0,,\n"));
        plans.addAccount("carol", "missed", ZoneId.of("UTC"));
        assertThat(hourly.price(new Usage("carol", "+4930", NOON, 60)).price()).isEqualTo(Money.of("1.20", "EUR"));

        // changed while no notification could be heard: the cache keeps the old tariff for its hour
        plans.importRates("missed", new StringReader(RateCsv.HEADER_LINE + "\n49,Germany,*,0,0.30,1,1,0,0,,\n"));
        assertThat(hourly.price(new Usage("carol", "+4930", NOON, 60)).price()).isEqualTo(Money.of("1.20", "EUR"));

        hourly.refreshAll();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(hourly.price(new Usage("carol", "+4930", NOON, 60)).price()).isEqualTo(Money.of("0.30", "EUR")));
    }
}
