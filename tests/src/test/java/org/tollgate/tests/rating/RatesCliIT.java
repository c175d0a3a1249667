package org.tollgate.tests.rating;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.tests.support.TollgateInstance;
import org.tollgate.tests.support.TollgateInstance.CliRun;

/**
 * {@code tollgate plan|rates|account} against a running platform's database: a plan and its
 * rates from CSV and back, a bad file refused whole, a call priced and explained, accounts, and
 * bad arguments refused before the database is touched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RatesCliIT {

    // as rates export writes it: RFC 4180 (CRLF), ordered by prefix, band and valid_from
    private static final String RATES = "prefix,destination,band,connect_fee,price_per_minute,first_increment,"
            + "next_increment,minimum_seconds,free_seconds,valid_from,valid_to\r\n"
            + "33,France,*,0,0.02,30,6,0,0,,\r\n"
            + "49,Germany,*,0.1,0.05,60,60,0,0,,\r\n"
            + "49,Germany,peak,0.1,0.08,60,60,0,0,,\r\n"
            + "4915,\"Germany, mobile \"\"D1\"\"\",*,0,0.19,1,1,0,0,2026-01-01T00:00:00Z,\r\n";

    private TollgateInstance tollgate;
    private Path dir;

    @BeforeAll
    void start() throws IOException {
        // no batch role: no Quartz scheduler in this JVM to clash with a command's context
        tollgate = new TollgateInstance("tollgate.roles=api");
        dir = Files.createTempDirectory("tollgate-rates");
        CliRun added = run("plan", "add", "--name", "retail", "--currency", "EUR", "--decimals", "4",
                "--rounding", "half-up", "--band", "peak=MON-FRI 08:00-18:00", "--band", "weekend=SAT,SUN",
                "--holiday-band", "holiday", "--holiday", "2026-12-25");
        assertThat(added.rc()).as(added.err()).isZero();
        assertThat(added.out()).contains("added plan retail (EUR, 3 band(s), 1 holiday(s))");
        CliRun imported = run("rates", "import", file("rates.csv", RATES), "--plan", "retail");
        assertThat(imported.rc()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported 4 rate(s) into plan retail");
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    @Test
    void exportGivesBackTheImportedFile() {
        CliRun r = run("rates", "export", "--plan", "retail");
        assertThat(r.rc()).isZero();
        assertThat(r.out()).isEqualTo(RATES);
    }

    @Test
    void aFileWithBadRowsIsRefusedWholeWithLineNumbers() {
        String bad = RATES
                + "44,UK,night,0,0.04,60,60,0,0,,\r\n"     // line 6: no such band
                + "45,Denmark,*,0,-1,60,60,0,0,,\r\n"      // line 7: negative
                + "46,Sweden,*,0,0.01,60,0,0,0,,\r\n";     // line 8: next increment 0
        CliRun r = run("rates", "import", file("bad.csv", bad), "--plan", "retail");
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("3 problem(s), nothing imported")
                .contains("line 6: band 'night' is not a band of this plan (holiday, peak, weekend or *)")
                .contains("line 7: price_per_minute -1 is negative")
                .contains("line 8: next_increment 0 is less than 1 second");
        assertThat(run("rates", "export", "--plan", "retail").out()).isEqualTo(RATES);
        assertThat(tollgate.jdbc().queryForObject("SELECT count(*) FROM rate", Long.class)).isEqualTo(4);
    }

    @Test
    void quotePrintsTheCostAndHowItWasComputed() {
        // Monday 10:00 in Berlin: peak; 61 s at 60/60 bills two minutes at 0.08, plus a 0.1 connect fee
        CliRun r = run("rates", "quote", "--plan", "retail", "--number", "+4930123456",
                "--start", "2026-11-23T09:00:00Z", "--duration", "61", "--zone", "Europe/Berlin");
        assertThat(r.rc()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).contains("4930123456", "prefix 49 (Germany)", "billed 120 s");
        assertThat(r.out()).contains("connect fee", "0.08/min", "peak");
        assertThat(lines.get(lines.size() - 1).trim()).isEqualTo("total 0.2600 EUR");

        // nationally dialled, on a Saturday: the weekend band has no rate of its own, so '*' at 0.05
        CliRun weekend = run("rates", "quote", "--plan", "retail", "--number", "030123456", "--country-code", "49",
                "--start", "2026-11-21T10:00:00Z", "--duration", "61", "--zone", "Europe/Berlin");
        assertThat(weekend.rc()).isZero();
        assertThat(weekend.out().strip()).endsWith("total 0.2000 EUR");

        CliRun unknown = run("rates", "quote", "--plan", "retail", "--number", "+8613800138000",
                "--start", "2026-11-23T09:00:00Z", "--duration", "61");
        assertThat(unknown.rc()).isEqualTo(1);
        assertThat(unknown.out()).startsWith("UNRATED: no rate in plan retail for 8613800138000");
        assertThat(run("rates", "quote", "--plan", "nope", "--number", "+49301", "--start", "2026-11-23T09:00:00Z",
                "--duration", "61").err()).contains("no rate plan named nope");
    }

    @Test
    void plansAndAccountsAreListed() {
        CliRun plans = run("plan", "list");
        assertThat(plans.rc()).isZero();
        assertThat(plans.out().lines()).anySatisfy(l -> assertThat(l).startsWith("retail").contains("EUR", "half-up")
                .endsWith("holiday,peak,weekend"));
        CliRun duplicate = run("plan", "add", "--name", "retail", "--currency", "EUR");
        assertThat(duplicate.rc()).isEqualTo(1);
        assertThat(duplicate.err()).contains("already exists");

        assertThat(run("account", "add", "--name", "alice", "--plan", "retail", "--zone", "Europe/Berlin").out())
                .contains("added account alice on plan retail (Europe/Berlin)");
        assertThat(run("account", "add", "--name", "bob", "--plan", "retail").rc()).isZero();
        CliRun accounts = run("account", "list");
        assertThat(accounts.out().lines().toList()).hasSize(3).satisfies(l -> {
            assertThat(l.get(1)).startsWith("alice").contains("retail", "Europe/Berlin", "postpaid");
            assertThat(l.get(2)).startsWith("bob").contains("UTC");
        });
        CliRun noPlan = run("account", "add", "--name", "carol", "--plan", "nope");
        assertThat(noPlan.rc()).isEqualTo(1);
        assertThat(noPlan.err()).contains("no rate plan named nope");
    }

    @Test
    void badArgumentsAreRefusedWithExitCode2AndChangeNothing() {
        assertBad("rates", "import", dir.resolve("missing.csv").toString(), "--plan", "retail");
        assertBad("rates", "import", "--plan", "retail");
        assertBad("rates", "export");
        assertBad("rates", "quote", "--plan", "retail", "--number", "+49301", "--start", "soon", "--duration", "61");
        assertBad("rates", "quote", "--plan", "retail", "--number", "+49301", "--start", "2026-11-23T09:00:00Z",
                "--duration", "-1");
        assertBad("rates", "quote", "--plan", "retail", "--number", "+49301", "--start", "2026-11-23T09:00:00Z",
                "--duration", "61", "--zone", "Mars/Olympus");
        assertBad("rates", "quote", "--plan", "retail", "--number", "+49301", "--start", "2026-11-23T09:00:00Z",
                "--duration", "61", "--country-code", "+49");
        assertBad("plan", "add", "--name", "p2", "--currency", "euro");
        assertBad("plan", "add", "--name", "p2", "--currency", "EUR", "--rounding", "sideways");
        assertBad("plan", "add", "--name", "p2", "--currency", "EUR", "--decimals", "7");
        assertBad("plan", "add", "--name", "p2", "--currency", "EUR", "--band", "peak=FRI-MON");
        assertBad("plan", "add", "--name", "p2", "--currency", "EUR", "--holiday", "2026-12-25");
        assertBad("plan", "add", "--name", "p2", "--currency", "EUR", "--holiday-band", "h", "--holiday", "25/12");
        assertBad("account", "add", "--name", "dave", "--plan", "retail", "--zone", "Nowhere");
        assertThat(tollgate.jdbc().queryForObject("SELECT count(*) FROM rate_plan WHERE name = 'p2'", Long.class)).isZero();
        assertThat(tollgate.jdbc().queryForObject("SELECT count(*) FROM account WHERE name = 'dave'", Long.class)).isZero();
    }

    private void assertBad(String... command) {
        CliRun r = run(command);
        assertThat(r.rc()).as(String.join(" ", command) + ": " + r.err()).isEqualTo(2);
        assertThat(r.err()).isNotBlank();
        assertThat(r.out()).isEmpty();
    }

    private String file(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private CliRun run(String... command) {
        return tollgate.cliCaptured(command);
    }
}
