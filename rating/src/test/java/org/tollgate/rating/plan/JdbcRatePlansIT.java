package org.tollgate.rating.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.dao.DuplicateKeyException;
import org.tollgate.api.rating.Quote;
import org.tollgate.rating.Rater;
import org.tollgate.rating.number.NumberNormalizer;
import org.tollgate.rating.tariff.RatePlan;
import org.tollgate.rating.tariff.Rounding;
import org.tollgate.rating.tariff.TimeBand;

/** Plans, rates and accounts in a real (embedded) PostgreSQL migrated with the project's migrations. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcRatePlansIT {

    private EmbeddedPostgres pg;
    private HikariDataSource dataSource;
    private JdbcRatePlans plans;

    @BeforeAll
    void start() throws IOException {
        pg = EmbeddedPostgres.builder().setDataDirectory(Files.createTempDirectory("tollgate-rating-pg")).start();
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres?user=postgres");
        cfg.setMaximumPoolSize(4);
        dataSource = new HikariDataSource(cfg);
        // V4 (batch and Quartz tables) is a Java migration in cdr-engine; nothing here needs it
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migrations").load().migrate();
        plans = new JdbcRatePlans(dataSource);
    }

    @AfterAll
    void stop() throws IOException {
        dataSource.close();
        pg.close();
    }

    @Test
    void aPlanComesBackWithItsBandsInOrderAndItsHolidays() {
        plans.createPlan(new PlanSettings("standard", PlanSettings.currency("EUR"),
                new Rounding(4, RoundingMode.UP, true), true,
                List.of(TimeBands.holidays("holiday"), TimeBands.parse("peak=MON-FRI 08:00-18:00"),
                        TimeBands.parse("weekend=SAT,SUN")),
                new TreeSet<>(Set.of(LocalDate.parse("2026-12-25"), LocalDate.parse("2026-12-26")))));
        plans.importRates("standard", new StringReader(RateCsv.HEADER_LINE + "\n"
                + "49,Germany,*,0.1,0.05,60,60,0,0,,\n"
                + "49,Germany,peak,0.1,0.08,60,60,0,0,,\n"));

        RatePlan plan = plans.load("standard").orElseThrow();
        assertThat(plan.currency().getCurrencyCode()).isEqualTo("EUR");
        assertThat(plan.rounding()).isEqualTo(new Rounding(4, RoundingMode.UP, true));
        assertThat(plan.chargeFailed()).isTrue();
        assertThat(plan.bands()).extracting(TimeBand::name).containsExactly("holiday", "peak", "weekend");
        assertThat(plan.bands().get(0).holidays()).isTrue();
        assertThat(Weekdays.format(plan.bands().get(1).days())).isEqualTo("MON-FRI");
        assertThat(plan.bands().get(1).to()).hasToString("18:00");
        assertThat(plan.holidays()).containsExactlyInAnyOrder(LocalDate.parse("2026-12-25"), LocalDate.parse("2026-12-26"));
        assertThat(plan.rates().prefixes()).isEqualTo(1);
        // Friday 25 December is a holiday: the holiday band has no rate of its own, so '*' applies
        assertThat(price(plan, "2026-12-25T10:00:00Z").cost()).isEqualByComparingTo("0.2000");
        assertThat(price(plan, "2026-12-24T10:00:00Z").cost()).isEqualByComparingTo("0.2600");

        assertThat(plans.plans()).filteredOn(p -> p.name().equals("standard")).singleElement().satisfies(p -> {
            assertThat(p.bands()).containsExactly("holiday", "peak", "weekend");
            assertThat(p.holidays()).isEqualTo(2);
            assertThat(p.rates()).isEqualTo(2);
        });
        assertThat(plans.load("no-such-plan")).isEmpty();
        assertThatThrownBy(() -> plans.createPlan(settings("standard"))).isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void anImportReplacesAllRatesAndABadFileChangesNothing() {
        plans.createPlan(settings("replace"));
        assertThat(plans.importRates("replace", new StringReader(RateCsv.HEADER_LINE + "\n"
                + "49,Germany,*,0,0.05,60,60,0,0,,\n44,UK,*,0,0.04,60,60,0,0,,\n"))).isEqualTo(2);
        assertThat(plans.importRates("replace", new StringReader(RateCsv.HEADER_LINE + "\n"
                + "33,France,*,0,0.02,60,60,0,0,,\n"))).isEqualTo(1);
        assertThat(export("replace")).contains("33,France").doesNotContain("Germany", "UK");

        String before = export("replace");
        assertThatThrownBy(() -> plans.importRates("replace", "bad.csv", new StringReader(RateCsv.HEADER_LINE + "\n"
                + "31,Netherlands,*,0,0.02,60,60,0,0,,\n32,Belgium,peak,0,0.02,60,60,0,0,,\n")))
                .isInstanceOf(RateCsvException.class)
                .hasMessageContaining("bad.csv: 1 problem(s), nothing imported")
                .hasMessageContaining("line 3: band 'peak' is not a band of this plan (*)");
        assertThat(export("replace")).isEqualTo(before);
        assertThatThrownBy(() -> plans.importRates("nope", new StringReader(RateCsv.HEADER_LINE + "\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no rate plan named nope");
        assertThatThrownBy(() -> export("nope")).hasMessage("no rate plan named nope");
    }

    @Test
    void exportThenImportRoundTripsExactly() {
        plans.createPlan(new PlanSettings("roundtrip", PlanSettings.currency("USD"), new Rounding(6, RoundingMode.HALF_UP, false),
                false, List.of(TimeBands.parse("peak=MON-FRI 08:00-18:00")), new TreeSet<>()));
        String csv = RateCsv.HEADER_LINE + "\r\n"
                + "1,\"USA, \"\"all\"\"\",*,0,0.01,6,6,0,0,,2026-03-01T00:00:00Z\r\n"
                + "1,\"USA, \"\"all\"\"\",*,0.5,0.009,6,6,30,0,2026-03-01T00:00:00Z,\r\n"
                + "1212,New York,peak,0.000001,123456789012.123456,1,1,0,6,2025-12-31T23:59:59.500Z,\r\n"
                + "44,UK,*,0,0.04,60,60,0,0,,\r\n";
        plans.importRates("roundtrip", new StringReader(csv));
        String exported = export("roundtrip");
        assertThat(exported).isEqualTo(csv);
        plans.importRates("roundtrip", new StringReader(exported));
        assertThat(export("roundtrip")).isEqualTo(csv);
    }

    @Test
    void accountsBelongToAPlan() {
        plans.createPlan(settings("accounts"));
        AccountRef alice = plans.addAccount("alice", "accounts", ZoneId.of("Europe/Berlin"));
        assertThat(plans.account("alice")).contains(alice);
        assertThat(alice.kind()).isEqualTo("POSTPAID");
        assertThat(plans.account("bob")).isEmpty();
        assertThat(plans.accounts()).contains(alice);
        assertThatThrownBy(() -> plans.addAccount("alice", "accounts", ZoneId.of("UTC")))
                .isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> plans.addAccount("carol", "nope", ZoneId.of("UTC")))
                .hasMessage("no rate plan named nope");
    }

    @Test
    void aHundredThousandPrefixesImportAndLoadInSeconds() {
        plans.createPlan(settings("big"));
        StringBuilder csv = new StringBuilder(RateCsv.HEADER_LINE).append('\n');
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            // 100,000 distinct prefixes of 4 to 9 digits, as a wholesale carrier's deck has
            csv.append(100 + i * 7L).append(",Destination ").append(i % 250).append(",*,0.01,0.")
                    .append(String.format("%04d", i % 10_000)).append(",60,60,0,0,,\n");
        }
        long check = System.nanoTime();
        assertThat(RateCsv.read("big", new StringReader(csv.toString()), Set.of())).hasSize(n);
        long t0 = System.nanoTime();
        assertThat(plans.importRates("big", new StringReader(csv.toString()))).isEqualTo(n);
        long t1 = System.nanoTime();
        RatePlan plan = plans.load("big").orElseThrow();
        long t2 = System.nanoTime();
        StringWriter out = new StringWriter();
        plans.exportRates("big", out);
        long t3 = System.nanoTime();
        System.out.printf("rating: %,d prefixes checked alone in %d ms, imported (checked + replaced) in %d ms, "
                + "loaded into the trie in %d ms, exported in %d ms%n", n, (t0 - check) / 1_000_000, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
        assertThat(plan.rates().prefixes()).isEqualTo(n);
        assertThat(out.toString().lines()).hasSize(n + 1);
        // the prefix of row 1234 is 100 + 1234 * 7 = 8738
        Quote q = new Rater(NumberNormalizer.international()).price(plan, "+873855512", Instant.parse("2026-05-04T10:00:00Z"),
                60, ZoneId.of("UTC"));
        assertThat(q.prefix()).isEqualTo("8738");
        assertThat(q.cost()).isEqualByComparingTo("0.1334");
    }

    private static PlanSettings settings(String name) {
        return new PlanSettings(name, PlanSettings.currency("EUR"), new Rounding(4, RoundingMode.HALF_UP, false), false,
                List.of(), new TreeSet<>());
    }

    private String export(String plan) {
        StringWriter out = new StringWriter();
        plans.exportRates(plan, out);
        return out.toString();
    }

    private static Quote price(RatePlan plan, String start) {
        return new Rater(NumberNormalizer.international()).price(plan, "+4930123456", Instant.parse(start), 61,
                ZoneId.of("Europe/Berlin"));
    }
}
