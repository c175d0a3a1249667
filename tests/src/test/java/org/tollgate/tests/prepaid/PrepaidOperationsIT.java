package org.tollgate.tests.prepaid;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.api.prepaid.CallKey;
import org.tollgate.api.prepaid.CallRequest;
import org.tollgate.api.prepaid.Grant;
import org.tollgate.api.prepaid.PrepaidService;
import org.tollgate.tests.support.RatesFile;
import org.tollgate.tests.support.TollgateInstance;
import org.tollgate.tests.support.TollgateInstance.CliRun;

/**
 * Operating prepaid as README shows it: accounts, top-ups, the ledger, vouchers, open calls and
 * the check, from the command line against a running server and on the admin API; a running
 * engine sees an account the CLI made at once; the metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrepaidOperationsIT {

    private static final String DE = "+4930123456";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private TollgateInstance tollgate;
    private PrepaidService prepaid;

    @BeforeAll
    void start() throws Exception {
        tollgate = new TollgateInstance("tollgate.roles=api");
        prepaid = tollgate.bean(PrepaidService.class);
        ok("plan", "add", "--name", "eur", "--currency", "EUR", "--decimals", "2");
        ok("rates", "import", RatesFile.of("49,Germany,*,0,0.60,1,1,0,0,,\r\n"), "--plan", "eur");
        ok("plan", "add", "--name", "usd", "--currency", "USD", "--decimals", "2");
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    private String ok(String... command) {
        CliRun r = tollgate.cliCaptured(command);
        assertThat(r.rc()).as(String.join(" ", command) + ": " + r.err()).isZero();
        return r.out();
    }

    private Grant authorize(String account, String call) {
        return prepaid.authorize(new CallRequest(new CallKey(account, call), DE, Instant.now(), 0)).join();
    }

    @Test
    void anAccountAndATariffTheCliMakesAreUsedByTheRunningServerAtOnce() throws Exception {
        ok("plan", "add", "--name", "changing", "--currency", "EUR", "--decimals", "2");
        ok("rates", "import", RatesFile.of("49,Germany,*,0,0.60,1,1,0,0,,\r\n"), "--plan", "changing");
        assertThat(authorize("late@example.com", "c0").result()).isEqualTo(Grant.Result.UNKNOWN_ACCOUNT);
        ok("account", "add", "--name", "late@example.com", "--plan", "changing", "--prepaid", "--currency", "EUR");
        ok("account", "topup", "late@example.com", "1.00", "--reference", "r1");
        // rating caches accounts and plans for tollgate.prepaid.rating-refresh (10 min): a NOTIFY makes it forget one now
        Grant g = authorize("late@example.com", "c1");
        assertThat(g.result()).isEqualTo(Grant.Result.GRANTED);
        assertThat(g.seconds()).isEqualTo(100);
        prepaid.release(new CallKey("late@example.com", "c1"), Instant.now(), "test").join();
        ok("rates", "import", RatesFile.of("49,Germany,*,0,1.20,1,1,0,0,,\r\n"), "--plan", "changing");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
            String call = "c2-" + System.nanoTime();
            Grant dearer = authorize("late@example.com", call);
            prepaid.release(new CallKey("late@example.com", call), Instant.now(), "test").join();
            assertThat(dearer.seconds()).isEqualTo(50);
        });
    }

    @Test
    void theCommandLineRunsAPrepaidAccount() throws Exception {
        CliRun usd = tollgate.cliCaptured("account", "add", "--name", "alice@example.com", "--plan", "eur", "--prepaid",
                "--currency", "USD");
        assertThat(usd.rc()).isEqualTo(1);
        assertThat(usd.err()).contains("plan eur is in EUR").contains("not USD");
        CliRun noCurrency = tollgate.cliCaptured("account", "add", "--name", "alice@example.com", "--plan", "eur", "--prepaid");
        assertThat(noCurrency.rc()).isEqualTo(2);
        assertThat(noCurrency.err()).contains("--currency");
        assertThat(ok("account", "add", "--name", "alice@example.com", "--plan", "eur", "--prepaid", "--currency", "EUR",
                "--credit-limit", "0.50", "--low-balance", "2")).contains("added prepaid account alice@example.com");

        assertThat(ok("account", "topup", "alice@example.com", "10.00", "--reference", "receipt-1"))
                .contains("topup 10.00 EUR").contains("balance 10.00 EUR");
        assertThat(ok("account", "topup", "alice@example.com", "10.00", "--reference", "receipt-1"))
                .contains("already applied").contains("balance 10.00 EUR");
        CliRun badAmount = tollgate.cliCaptured("account", "topup", "alice@example.com", "ten", "--reference", "x");
        assertThat(badAmount.rc()).isEqualTo(2);
        assertThat(badAmount.err()).contains("not an amount");

        // vouchers: a batch for the printer, redeemed once
        Path file = dir.resolve("batch.csv");
        assertThat(ok("voucher", "create", "--count", "10", "--value", "5.00", "--currency", "EUR", "--expires",
                "2099-12-31", "--out", file.toString())).contains("10 vouchers of 5.00 EUR");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        List<CSVRecord> rows;
        try (Reader r = Files.newBufferedReader(file)) {
            rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
        assertThat(rows).hasSize(10);
        CliRun again = tollgate.cliCaptured("voucher", "create", "--count", "1", "--value", "5", "--currency", "EUR",
                "--expires", "2099-12-31", "--out", file.toString());
        assertThat(again.rc()).isEqualTo(2);
        assertThat(again.err()).contains("exists");
        String code = rows.get(0).get("code");
        assertThat(ok("voucher", "redeem", code, "--account", "alice@example.com"))
                .contains(rows.get(0).get("serial")).contains("5.00 EUR credited").contains("balance 15.00 EUR");
        CliRun used = tollgate.cliCaptured("voucher", "redeem", code, "--account", "alice@example.com");
        assertThat(used.rc()).isEqualTo(1);
        assertThat(used.err()).contains("already used");
        assertThat(ok("voucher", "list")).contains("5.00").contains("10");

        // a call up: it holds money, shows in the sessions, and the ledger lists what moved
        assertThat(authorize("alice@example.com", "call-up").seconds()).isEqualTo(300);
        assertThat(ok("prepaid", "sessions")).contains("alice@example.com").contains("call-up").contains("3.00");
        assertThat(ok("account", "balance", "alice@example.com")).contains("balance       15.00 EUR")
                .contains("reserved      3.00 EUR").contains("available     12.50 EUR");
        assertThat(ok("account", "ledger", "alice@example.com")).contains("TOPUP").contains("receipt-1")
                .contains("VOUCHER").contains(rows.get(0).get("serial")).contains("2 entries");
        assertThat(ok("account", "check")).contains("balances = ledgers");
        prepaid.release(new CallKey("alice@example.com", "call-up"), Instant.now(), "test").join();
        CliRun unknown = tollgate.cliCaptured("account", "balance", "nobody");
        assertThat(unknown.rc()).isEqualTo(1);
        assertThat(unknown.err()).contains("no prepaid account named nobody");
    }

    private HttpResponse<String> api(String method, String path, String body, boolean token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tollgate.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token) {
            b.header("Authorization", "Bearer " + TollgateInstance.API_TOKEN);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAdminApiDoesTheSameBehindTheToken() throws Exception {
        HttpResponse<String> created = api("POST", "/api/accounts", "{\"name\": \"bob@example.com\", \"plan\": \"eur\", "
                + "\"prepaid\": true, \"currency\": \"EUR\", \"creditLimit\": 1}", true);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(api("POST", "/api/accounts", "{\"name\": \"bob2\", \"plan\": \"eur\", \"prepaid\": true, "
                + "\"currency\": \"USD\"}", true).statusCode()).isEqualTo(400);

        HttpResponse<String> topup = api("POST", "/api/accounts/bob@example.com/topups",
                "{\"amount\": 7.25, \"reference\": \"wire-1\"}", true);
        assertThat(topup.statusCode()).as(topup.body()).isEqualTo(201);
        assertThat(json.readTree(topup.body()).at("/balance/balance").asText()).isEqualTo("7.25");
        HttpResponse<String> replay = api("POST", "/api/accounts/bob@example.com/topups",
                "{\"amount\": 7.25, \"reference\": \"wire-1\"}", true);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(json.readTree(replay.body()).get("alreadyApplied").asBoolean()).isTrue();

        JsonNode balance = json.readTree(api("GET", "/api/accounts/bob@example.com/balance", null, true).body());
        assertThat(balance.get("balance").asText()).isEqualTo("7.25");
        assertThat(balance.get("available").asText()).isEqualTo("8.25");
        assertThat(api("GET", "/api/accounts/nobody/balance", null, true).statusCode()).isEqualTo(404);

        HttpResponse<String> batch = api("POST", "/api/vouchers", "{\"count\": 3, \"value\": 2.50, \"currency\": \"EUR\", "
                + "\"expires\": \"2099-01-31\"}", true);
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(201);
        assertThat(batch.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<CSVRecord> codes = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new java.io.StringReader(batch.body())).getRecords();
        assertThat(codes).hasSize(3);
        String redeem = "{\"code\": \"" + codes.get(1).get("code") + "\", \"account\": \"bob@example.com\"}";
        HttpResponse<String> redeemed = api("POST", "/api/vouchers/redeem", redeem, true);
        assertThat(redeemed.statusCode()).as(redeemed.body()).isEqualTo(200);
        assertThat(json.readTree(redeemed.body()).get("balance").asText()).isEqualTo("9.75");
        HttpResponse<String> twice = api("POST", "/api/vouchers/redeem", redeem, true);
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(json.readTree(twice.body()).get("reason").asText()).isEqualTo("USED");

        JsonNode ledger = json.readTree(api("GET", "/api/accounts/bob@example.com/ledger", null, true).body());
        assertThat(ledger).hasSize(2);
        assertThat(ledger.get(1).get("kind").asText()).isEqualTo("VOUCHER");
        assertThat(ledger.get(1).get("reference").asText()).isEqualTo(codes.get(1).get("serial"));

        authorize("bob@example.com", "api-call");
        JsonNode sessions = json.readTree(api("GET", "/api/prepaid/sessions?account=bob@example.com", null, true).body());
        assertThat(sessions).hasSize(1);
        assertThat(sessions.get(0).get("callId").asText()).isEqualTo("api-call");
        prepaid.release(new CallKey("bob@example.com", "api-call"), Instant.now(), "test").join();
        assertThat(json.readTree(api("GET", "/api/accounts/check", null, true).body()).get("ok").asBoolean()).isTrue();
        assertThat(json.readTree(api("GET", "/api/vouchers", null, true).body())).isNotEmpty();

        // nothing of it without the token
        for (String[] call : List.of(new String[] {"GET", "/api/accounts/bob@example.com/balance"},
                new String[] {"POST", "/api/accounts/bob@example.com/topups"}, new String[] {"POST", "/api/vouchers"},
                new String[] {"POST", "/api/vouchers/redeem"}, new String[] {"GET", "/api/prepaid/sessions"},
                new String[] {"GET", "/api/accounts/check"})) {
            assertThat(api(call[0], call[1], "{}", false).statusCode()).as(call[1]).isEqualTo(401);
        }
        assertThat(json.readTree(api("GET", "/api/accounts/bob@example.com/balance", null, true).body())
                .get("balance").asText()).isEqualTo("9.75");
    }

    @Test
    void theMetricsCountAuthorizationsAndShowWhatIsHeld() throws Exception {
        ok("account", "add", "--name", "carol@example.com", "--plan", "eur", "--prepaid", "--currency", "EUR");
        assertThat(authorize("carol@example.com", "m1").result()).isEqualTo(Grant.Result.INSUFFICIENT_CREDIT);
        String metrics = tollgate.adminGet("/actuator/prometheus").body();
        assertThat(metrics).contains("tollgate_prepaid_authorizations_total{result=\"insufficient_credit\",step=\"authorize\"}")
                .contains("tollgate_prepaid_stale_released_total").contains("tollgate_prepaid_commit_seconds");
    }
}
