package org.tollgate.tests.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.tollgate.tests.support.RatesFile;
import org.tollgate.tests.support.TollgateInstance;

/**
 * The admin API's tokens and roles, as an operator, a finance clerk and a reseller meet them:
 * every endpoint in the OpenAPI description refuses an anonymous caller; each role reaches what
 * it is for and gets 403 elsewhere; a reseller's token sees and tops up its own accounts only;
 * tokens are stored hashed and die when revoked; secrets sent in bodies are not logged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiRolesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "Bearer " + TollgateInstance.API_TOKEN;

    private final HttpClient http = HttpClient.newHttpClient();
    private TollgateInstance tollgate;
    private String operator;
    private String finance;
    private String reseller;

    @BeforeAll
    void start() throws Exception {
        tollgate = new TollgateInstance("tollgate.roles=aaa,api");
        assertThat(tollgate.cli("plan", "add", "--name", "retail", "--currency", "EUR")).isZero();
        assertThat(tollgate.cli("rates", "import", RatesFile.of("49,Germany,,0,0.60,1,1,0,0,,\n"), "--plan", "retail")).isZero();
        for (String a : List.of("acme", "globex")) {
            assertThat(tollgate.cli("account", "add", "--name", a, "--plan", "retail", "--prepaid", "--currency", "EUR"))
                    .isZero();
        }
        operator = "Bearer " + token("ops", "operator");
        finance = "Bearer " + token("fin", "finance");
        reseller = "Bearer " + token("acme-reseller", "finance", "--account", "acme");
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    private String token(String name, String role, String... more) {
        List<String> args = new ArrayList<>(List.of("token", "create", "--name", name, "--role", role));
        args.addAll(List.of(more));
        TollgateInstance.CliRun r = tollgate.cliCaptured(args.toArray(String[]::new));
        assertThat(r.rc()).as(r.err()).isZero();
        return r.out().strip();
    }

    @Test
    void everyEndpointOfTheDescriptionRefusesAnAnonymousCaller() throws Exception {
        HttpResponse<String> doc = send("GET", "/api/openapi", null, ADMIN);
        assertThat(doc.statusCode()).isEqualTo(200);
        JsonNode paths = JSON.readTree(doc.body()).get("paths");
        assertThat(paths.size()).as("every CLI operation has an endpoint").isGreaterThan(35);
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            String path = p.getKey().replaceAll("\\{[^}]+}", "x");
            for (Iterator<String> methods = p.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase();
                // /api/rtpengine included: no media relay is configured here, so no host is let in without a token
                assertThat(send(method, path, "{}", null).statusCode()).as(method + " " + path).isEqualTo(401);
                assertThat(send(method, path, "{}", "Bearer tg_not-a-token").statusCode()).as(method + " " + path)
                        .isEqualTo(401);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(45);
        for (String a : List.of("/actuator", "/actuator/prometheus", "/actuator/info", "/api/openapi")) {
            assertThat(send("GET", a, null, null).statusCode()).as(a).isEqualTo(401);
        }
        assertThat(send("GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void eachRoleReachesWhatItIsForAndNothingElse() throws Exception {
        // {method, path, body, admin, operator, finance, reseller}
        Object[][] matrix = {
            {"GET", "/api/nas-clients", null, 200, 200, 403, 403},
            {"GET", "/api/users", null, 200, 200, 403, 403},
            {"GET", "/api/accounting", null, 200, 200, 200, 403},
            {"GET", "/api/dialogs", null, 200, 200, 403, 403},
            {"GET", "/api/limits", null, 200, 200, 403, 403},
            {"GET", "/api/bans", null, 200, 200, 403, 403},
            {"GET", "/api/diameter-peers", null, 200, 200, 403, 403},
            {"GET", "/api/cdrs", null, 200, 403, 200, 403},
            {"GET", "/api/cdrs?billingParty=acme", null, 200, 403, 200, 200},
            {"GET", "/api/cdrs?billingParty=globex", null, 200, 403, 200, 403},
            {"GET", "/api/reports/destinations?from=2026-11-01&to=2026-11-02", null, 200, 403, 200, 403},
            {"GET", "/api/accounts", null, 200, 403, 200, 200},
            {"GET", "/api/accounts/acme/balance", null, 200, 403, 200, 200},
            {"GET", "/api/accounts/globex/balance", null, 200, 403, 200, 403},
            {"GET", "/api/accounts/globex/ledger", null, 200, 403, 200, 403},
            {"GET", "/api/plans", null, 200, 403, 200, 403},
            {"GET", "/api/plans/retail/rates", null, 200, 403, 200, 403},
            {"GET", "/api/vouchers", null, 200, 403, 200, 403},
            {"GET", "/api/tokens", null, 200, 403, 403, 403},
            {"GET", "/api/accounts/check", null, 200, 403, 403, 403},
            {"GET", "/api/openapi", null, 200, 200, 200, 403},
            {"GET", "/actuator/prometheus", null, 200, 200, 403, 403},
            {"POST", "/api/plans", "{\"name\": \"p2\", \"currency\": \"EUR\"}", null, 403, 403, 403},
            {"POST", "/api/batch/runs", "{\"until\": \"now\"}", null, 200, 403, 403},
        };
        String[] who = {ADMIN, operator, finance, reseller};
        String[] names = {"admin", "operator", "finance", "reseller"};
        for (Object[] row : matrix) {
            for (int i = 0; i < who.length; i++) {
                Object expected = row[3 + i];
                if (expected == null) {
                    continue;
                }
                HttpResponse<String> r = send((String) row[0], (String) row[1], (String) row[2], who[i]);
                assertThat(r.statusCode()).as(names[i] + " " + row[0] + " " + row[1] + ": " + r.body()).isEqualTo(expected);
                if (r.statusCode() == 403) {
                    assertThat(r.body()).as(row[1] + " " + names[i]).contains("\"error\"");
                }
            }
        }
    }

    @Test
    void aResellerTopsUpItsOwnAccountOnly() throws Exception {
        HttpResponse<String> own = send("POST", "/api/accounts/acme/topups",
                "{\"amount\": 10.00, \"reference\": \"r-1\"}", reseller);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
        assertThat(JSON.readTree(own.body()).at("/balance/balance").asText()).isEqualTo("10.00");
        HttpResponse<String> other = send("POST", "/api/accounts/globex/topups",
                "{\"amount\": 10.00, \"reference\": \"r-2\"}", reseller);
        assertThat(other.statusCode()).as(other.body()).isEqualTo(403);
        assertThat(other.body()).contains("may not use account globex");
        assertThat(tollgate.jdbc().queryForObject(
                "SELECT count(*) FROM prepaid_ledger l JOIN account a ON a.id = l.account_id WHERE a.name = 'globex'", Integer.class)).isZero();
        // nor may it adjust (the admin's) or read a list of all accounts beyond its own
        assertThat(send("POST", "/api/accounts/acme/adjustments", "{\"amount\": 5, \"reference\": \"a-1\"}", reseller)
                .statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(send("GET", "/api/accounts", null, reseller).body()).findValuesAsText("name"))
                .containsExactly("acme");
        // finance tops up any account; the operator touches no money
        assertThat(send("POST", "/api/accounts/globex/topups", "{\"amount\": 1, \"reference\": \"f-1\"}", finance)
                .statusCode()).isEqualTo(201);
        assertThat(send("POST", "/api/accounts/globex/topups", "{\"amount\": 1, \"reference\": \"o-1\"}", operator)
                .statusCode()).isEqualTo(403);
        // the CLI endpoint is not a way around it
        HttpResponse<String> cli = send("POST", "/api/cli", "{\"args\": [\"account\", \"topup\", \"globex\", \"5\", "
                + "\"--reference\", \"r-3\"]}", reseller);
        assertThat(cli.statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/cli", "{\"args\": [\"account\", \"balance\", \"acme\"]}", operator).statusCode())
                .isEqualTo(403);
        assertThat(send("POST", "/api/cli", "{\"args\": [\"nas\", \"list\"]}", operator).statusCode()).isEqualTo(200);
    }

    @Test
    void overTheCliEndpointOnlyTheAdminNamesFilesAndNothingIsReadFromAtFiles() throws Exception {
        HttpResponse<String> read = send("POST", "/api/cli", "{\"args\": [\"import\", \"freeradius-users\", "
                + "\"/etc/passwd\"]}", operator);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("{\"exit\":2}").contains("only an admin token may name one")
                .doesNotContain("root:");
        HttpResponse<String> write = send("POST", "/api/cli", "{\"args\": [\"report\", \"destinations\", \"--since\", "
                + "\"2026-11-01\", \"--until\", \"2026-11-01\", \"--out\", \"/tmp/tollgate-finance-report.csv\"]}", finance);
        assertThat(write.body()).contains("{\"exit\":2}").contains("only an admin token may name one");
        assertThat(Path.of("/tmp/tollgate-finance-report.csv")).doesNotExist();
        // to stdout it is the finance clerk's report
        HttpResponse<String> stdout = send("POST", "/api/cli", "{\"args\": [\"report\", \"destinations\", \"--since\", "
                + "\"2026-11-01\", \"--until\", \"2026-11-01\"]}", finance);
        assertThat(stdout.body()).contains("{\"exit\":0}");
        // the role check reads the command as picocli does: an option's value is not a command
        HttpResponse<String> sneaky = send("POST", "/api/cli", "{\"args\": [\"--token\", \"x\", \"token\", \"create\", "
                + "\"--name\", \"escalated\", \"--role\", \"admin\"]}", operator);
        assertThat(sneaky.statusCode()).as(sneaky.body()).isEqualTo(403);
        assertThat(tollgate.jdbc().queryForObject("SELECT count(*) FROM api_token WHERE name = 'escalated'", Integer.class))
                .isZero();
        // a secret given alone is read from the caller's stdin (./tollgate asked for it), never from the server's
        // terminal or environment
        HttpResponse<String> piped = send("POST", "/api/cli", "{\"args\": [\"nas\", \"add\", \"--name\", \"gw3\", "
                + "\"--address\", \"10.7.0.3\", \"--secret\"], \"stdin\": \"stdin-secret\\n\"}", operator);
        assertThat(piped.body()).contains("{\"exit\":0}");
        assertThat(tollgate.jdbc().queryForObject("SELECT secret FROM nas_client WHERE name = 'gw3'", String.class))
                .isEqualTo("stdin-secret");
        HttpResponse<String> env = send("POST", "/api/cli", "{\"args\": [\"nas\", \"add\", \"--name\", \"gw4\", "
                + "\"--address\", \"10.7.0.4\"]}", operator);
        assertThat(env.body()).contains("{\"exit\":2}").contains("a server does not read TOLLGATE_NAS_SECRET");
        // what a command records names the token that ran it
        tollgate.jdbc().update("""
                INSERT INTO sip_ban (kind, subject, source, reason, banned_at, until, proxy)
                VALUES ('source', '192.0.2.9', '192.0.2.9', 'flood', now(), now() + interval '1 hour', 'test:5060')""");
        HttpResponse<String> lift = send("POST", "/api/cli", "{\"args\": [\"bans\", \"lift\", \"192.0.2.9\"]}", operator);
        assertThat(lift.body()).contains("{\"exit\":0}");
        assertThat(tollgate.jdbc().queryForObject("SELECT lifted_by FROM sip_ban WHERE subject = '192.0.2.9'", String.class))
                .isEqualTo("ops (admin API) (tollgate bans lift)");
        // an @file is an argument, not the file's lines
        HttpResponse<String> at = send("POST", "/api/cli", "{\"args\": [\"nas\", \"remove\", \"@/etc/passwd\"]}", operator);
        assertThat(at.body()).contains("@/etc/passwd").doesNotContain("root:");
    }

    @Test
    void tokensAreStoredHashedListedAndRevoked() throws Exception {
        String value = token("short-lived", "operator");
        assertThat(send("GET", "/api/nas-clients", null, "Bearer " + value).statusCode()).isEqualTo(200);
        List<Map<String, Object>> rows = tollgate.jdbc().queryForList("SELECT * FROM api_token");
        assertThat(rows.toString()).doesNotContain(value).doesNotContain(value.substring(3));
        TollgateInstance.CliRun list = tollgate.cliCaptured("token", "list");
        assertThat(list.out()).contains("short-lived").contains("operator").doesNotContain(value);
        assertThat(tollgate.cli("token", "revoke", "short-lived")).isZero();
        assertThat(send("GET", "/api/nas-clients", null, "Bearer " + value).statusCode()).isEqualTo(401);
        assertThat(tollgate.cli("token", "revoke", "short-lived")).as("already revoked").isEqualTo(1);
        assertThat(tollgate.cli("token", "create", "--name", "bad", "--role", "root")).isEqualTo(2);
        assertThat(tollgate.cli("token", "create", "--name", "bad", "--role", "operator", "--account", "acme"))
                .as("only finance tokens are limited to accounts").isEqualTo(2);
        // over the API, by the admin only
        HttpResponse<String> made = send("POST", "/api/tokens", "{\"name\": \"api-made\", \"role\": \"finance\", "
                + "\"accounts\": [\"globex\"]}", ADMIN);
        assertThat(made.statusCode()).isEqualTo(201);
        String apiToken = "Bearer " + JSON.readTree(made.body()).get("token").asText();
        assertThat(send("GET", "/api/accounts/globex/balance", null, apiToken).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/accounts/acme/balance", null, apiToken).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/api/tokens/api-made", null, finance).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/api/tokens/api-made", null, ADMIN).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/api/accounts/globex/balance", null, apiToken).statusCode()).isEqualTo(401);
    }

    @Test
    void provisioningOverTheApiAndSecretsInBodiesAreNotLogged() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        // everything, debug included: Spring's own request logging prints bodies it read at debug
        ch.qos.logback.classic.Level level = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try {
            HttpResponse<String> nas = send("POST", "/api/nas-clients", "{\"name\": \"gw1\", \"address\": \"10.7.0.1\", "
                    + "\"secret\": \"nas-Secret-4711\"}", operator);
            assertThat(nas.statusCode()).as(nas.body()).isEqualTo(201);
            assertThat(nas.body()).doesNotContain("nas-Secret-4711").contains("\"messageAuthenticator\":\"auto\"");
            HttpResponse<String> user = send("POST", "/api/users", "{\"name\": \"201\", \"realm\": \"example.com\", "
                    + "\"password\": \"user-Secret-4712\", \"groups\": [\"voip\"]}", operator);
            assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
            assertThat(user.body()).doesNotContain("user-Secret-4712");
            HttpResponse<String> cli = send("POST", "/api/cli", "{\"args\": [\"nas\", \"add\", \"--name\", \"gw2\", "
                    + "\"--address\", \"10.7.0.2\", \"--secret\", \"cli-Secret-4713\"]}", operator);
            assertThat(cli.body()).contains("{\"exit\":0}");
            HttpResponse<String> dup = send("POST", "/api/nas-clients", "{\"name\": \"gw1\", \"address\": \"10.7.0.9\", "
                    + "\"secret\": \"nas-Secret-4714\"}", operator);
            assertThat(dup.statusCode()).isEqualTo(409);
            HttpResponse<String> badJson = send("POST", "/api/users", "{\"name\": \"x\", \"password\": \"user-Secret-4715\"",
                    operator);
            assertThat(badJson.statusCode()).isEqualTo(400);
        } finally {
            root.setLevel(level);
            root.detachAppender(log);
        }
        assertThat(log.list).isNotEmpty();
        for (ILoggingEvent e : log.list) {
            String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
            assertThat(line).doesNotContain("Secret-47");
        }
        assertThat(JSON.readTree(send("GET", "/api/nas-clients", null, operator).body()).findValuesAsText("name"))
                .contains("gw1", "gw2");
        assertThat(send("DELETE", "/api/users/201@example.com", null, operator).statusCode()).isEqualTo(204);
        assertThat(send("DELETE", "/api/users/201@example.com", null, operator).statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tollgate.httpPort() + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        b.header("Content-Type", "application/json").method(method, p);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
