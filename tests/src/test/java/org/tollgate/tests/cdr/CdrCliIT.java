package org.tollgate.tests.cdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.tests.support.TollgateInstance;
import org.tollgate.tests.support.TollgateInstance.CliRun;

/**
 * {@code tollgate cdr} against a running platform's database, and media events posted to its
 * API: filters, CSV a CSV reader reads back, bad arguments refused, bad bodies storing nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CdrCliIT {

    private static final String BOB = "\"Bob, Jr.\" <sip:bob@example.com>";

    private TollgateInstance tollgate;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start() {
        // the API is all this needs; without the batch role no Quartz scheduler runs in this JVM, which
        // a CLI command's context (same scheduler name, its own data source) would otherwise disturb
        tollgate = new TollgateInstance("tollgate.roles=api");
        cdr("c-old", "2026-11-19", "2026-11-19T18:00:00Z", "NO_ANSWER", 480, "Temporarily Unavailable",
                "sip:carol@example.com", "sip:+4930555@example.com", "carol", null);
        cdr("c-answered", "2026-11-21", "2026-11-21T10:05:00Z", "ANSWERED", 200, "OK",
                "sip:alice@example.com", "sip:+4930123@example.com", "alice", null);
        cdr("c-busy", "2026-11-21", "2026-11-21T11:00:00Z", "BUSY", 486, "Busy Here",
                BOB, "sip:+4930123@example.com", "bob", null);
        cdr("c-repaired", "2026-11-21", "2026-11-21T12:30:00Z", "ANSWERED", 200, "OK",
                "sip:alice@example.com", "sip:+4930777@example.com", "alice", "MEDIA_TIMEOUT");
        cdr("c-cancel", "2026-11-22", "2026-11-22T08:00:00Z", "CANCELLED", 487, "Request Terminated",
                "sip:dave@example.com", "sip:+4930123@example.com", "dave", null);
        tollgate.jdbc().update("""
                INSERT INTO cdr_review (record_key, call_id, reason, detail, event_time)
                VALUES (gen_random_uuid(), 'c-orphan', 'STOP_WITHOUT_START', 'Stop without its Start', now())""");
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    @Test
    void searchFiltersAndWritesCsvThatReadsBack() throws Exception {
        List<CSVRecord> rows = csv("cdr", "search", "--from", "2026-11-21", "--to", "2026-11-21", "--callee", "4930123",
                "--csv");
        assertThat(rows).extracting(r -> r.get("call_id")).containsExactly("c-answered", "c-busy");
        CSVRecord busy = rows.get(1);
        assertThat(busy.get("caller")).isEqualTo(BOB);
        assertThat(busy.get("disposition")).isEqualTo("BUSY");
        assertThat(busy.get("sip_code")).isEqualTo("486");
        assertThat(busy.get("end_time")).isEqualTo("2026-11-21T11:00:00Z");
        assertThat(busy.get("answer_time")).isEmpty();
        assertThat(rows.get(0).get("billable_seconds")).isEqualTo("60");

        assertThat(csv("cdr", "search", "--disposition", "busy", "--disposition", "CANCELLED,no-answer", "--csv"))
                .extracting(r -> r.get("call_id")).containsExactly("c-old", "c-busy", "c-cancel");
        assertThat(csv("cdr", "search", "--repaired", "media-timeout", "--csv"))
                .extracting(r -> r.get("call_id")).containsExactly("c-repaired");
        assertThat(csv("cdr", "search", "--caller", "ALICE", "--repaired", "none", "--csv"))
                .extracting(r -> r.get("call_id")).containsExactly("c-answered");
        assertThat(csv("cdr", "search", "--billing-party", "bob", "--csv"))
                .extracting(r -> r.get("call_id")).containsExactly("c-busy");
        List<CSVRecord> none = csv("cdr", "search", "--call-id", "no-such-call", "--csv");
        assertThat(none).isEmpty();
    }

    @Test
    void searchPrintsATableWithACount() {
        CliRun r = run("cdr", "search", "--call-id", "c-busy");
        assertThat(r.rc()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("END-TIME").contains("DISPOSITION", "CALLER", "CALL-ID");
        assertThat(lines.get(1)).startsWith("2026-11-21T11:00:00Z BUSY").contains("bob").endsWith("c-busy");
        assertThat(lines.get(2)).isEqualTo("1 CDR(s)");
    }

    @Test
    void listShowsTheNewestAndSaysMoreMatched() throws Exception {
        CliRun r = run("cdr", "list", "--limit", "2", "--csv");
        assertThat(r.rc()).isZero();
        assertThat(parse(r.out())).extracting(c -> c.get("call_id")).containsExactly("c-repaired", "c-cancel");
        assertThat(r.err()).startsWith("more rows match");
        assertThat(csv("cdr", "list", "--since", "2026-11-21", "--until", "2026-11-21T12:00:00Z", "--csv"))
                .extracting(c -> c.get("call_id")).containsExactly("c-answered", "c-busy");
    }

    @Test
    void missedListsCallsThatDidNotConnectWithTheirCode() throws Exception {
        CliRun r = run("cdr", "missed");
        assertThat(r.rc()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).contains("CODE", "REASON");
        assertThat(lines).hasSize(5).noneMatch(l -> l.contains("c-answered") || l.contains("c-repaired"));
        assertThat(lines.get(1)).contains("NO_ANSWER", " 480 ", "Temporarily Unavailable", "c-old");
        assertThat(lines.get(2)).contains("BUSY", " 486 ", "Busy Here", "c-busy");
        assertThat(lines.get(4)).isEqualTo("3 missed call(s)");

        List<CSVRecord> since = csv("cdr", "missed", "--since", "2026-11-20", "--csv");
        assertThat(since).extracting(c -> c.get("call_id")).containsExactly("c-busy", "c-cancel");
        assertThat(since.get(1).get("sip_code")).isEqualTo("487");
        assertThat(since.get(1).get("sip_reason")).isEqualTo("Request Terminated");
    }

    @Test
    void reviewListsOpenRows() throws Exception {
        List<CSVRecord> rows = csv("cdr", "review", "--reason", "stop-without-start", "--csv");
        assertThat(rows).extracting(c -> c.get("call_id")).containsExactly("c-orphan");
        assertThat(csv("cdr", "review", "--reason", "UNPARSEABLE", "--csv")).isEmpty();
        assertThat(run("cdr", "review").out()).contains("c-orphan").contains("1 open review row(s)");
    }

    @Test
    void aBadArgumentIsOneLineAndExitTwo() {
        CliRun r = run("cdr", "search", "--disposition", "ringing");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).startsWith("--disposition: 'ringing' is not one of").hasLineCount(1);
        assertThat(r.out()).isEmpty();
        assertThat(run("cdr", "search", "--from", "2026-11-22", "--to", "2026-11-21").rc()).isEqualTo(2);
        assertThat(run("cdr", "list", "--limit", "0").rc()).isEqualTo(2);
    }

    @Test
    void mediaEventsAreStoredOnceEachAndADuplicateIsCounted() throws Exception {
        HttpResponse<String> first = post("""
                {"callId": "m-1", "lastMediaAt": "2026-11-21T10:00:00Z", "source": "rtpengine-1"}""");
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(json.readTree(first.body())).isEqualTo(json.readTree("{\"accepted\":1,\"duplicates\":0}"));

        HttpResponse<String> again = post("""
                {"callId": "m-1", "lastMediaAt": "2026-11-21T10:00:00Z", "source": "rtpengine-1"}""");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json.readTree(again.body())).isEqualTo(json.readTree("{\"accepted\":0,\"duplicates\":1}"));

        HttpResponse<String> batch = post("""
                [{"callId": "m-2", "lastMediaAt": "2026-11-21T10:01:00.5Z"},
                 {"callId": "m-1", "lastMediaAt": "2026-11-21T10:00:00Z", "source": "rtpengine-1"}]""");
        assertThat(batch.statusCode()).isEqualTo(202);
        assertThat(json.readTree(batch.body())).isEqualTo(json.readTree("{\"accepted\":1,\"duplicates\":1}"));

        List<Map<String, Object>> rows = tollgate.jdbc().queryForList(
                "SELECT call_id, last_media_at, source FROM media_event WHERE call_id LIKE 'm-%' ORDER BY call_id");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("call_id", "m-1").containsEntry("source", "rtpengine-1");
        assertThat(((Timestamp) rows.get(0).get("last_media_at")).toInstant()).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(rows.get(1)).containsEntry("call_id", "m-2").containsEntry("source", "api");
        assertThat(((Timestamp) rows.get(1).get("last_media_at")).toInstant())
                .isEqualTo(Instant.parse("2026-11-21T10:01:00.5Z"));
    }

    @Test
    void aBadBodyIsRefusedNamingTheFieldAndStoresNothing() throws Exception {
        int before = mediaEvents();
        HttpResponse<String> missing = post("""
                [{"callId": "bad-1", "lastMediaAt": "2026-11-21T10:00:00Z"},
                 {"lastMediaAt": "2026-11-21T10:00:00Z"}]""");
        assertThat(missing.statusCode()).isEqualTo(400);
        JsonNode problem = json.readTree(missing.body());
        assertThat(problem.get("field").asText()).isEqualTo("callId");
        assertThat(problem.get("index").asInt()).isEqualTo(1);
        assertThat(problem.get("error").asText()).contains("callId is missing");

        HttpResponse<String> badTime = post("{\"callId\": \"bad-2\", \"lastMediaAt\": \"21/11/2026 10:00\"}");
        assertThat(badTime.statusCode()).isEqualTo(400);
        assertThat(json.readTree(badTime.body()).get("field").asText()).isEqualTo("lastMediaAt");

        HttpResponse<String> noTime = post("{\"callId\": \"bad-3\"}");
        assertThat(noTime.statusCode()).isEqualTo(400);
        assertThat(json.readTree(noTime.body()).get("field").asText()).isEqualTo("lastMediaAt");

        HttpResponse<String> tooLong = post("{\"callId\": \"" + "x".repeat(256) + "\", \"lastMediaAt\": \"2026-11-21T10:00:00Z\"}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json.readTree(tooLong.body()).get("field").asText()).isEqualTo("callId");

        HttpResponse<String> notJson = post("{\"callId\": ");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json.readTree(notJson.body()).get("error").asText()).contains("not valid JSON");

        assertThat(mediaEvents()).isEqualTo(before);
        assertThat(tollgate.jdbc().queryForObject("SELECT count(*) FROM media_event WHERE call_id LIKE 'bad-%'",
                Integer.class)).isZero();
    }

    private HttpResponse<String> post(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tollgate.httpPort() + "/api/media-events"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TollgateInstance.API_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private int mediaEvents() {
        return tollgate.jdbc().queryForObject("SELECT count(*) FROM media_event", Integer.class);
    }

    private void cdr(String callId, String date, String end, String disposition, int code, String reason,
                     String caller, String callee, String billingParty, String repair) {
        Instant endTime = Instant.parse(end);
        boolean answered = disposition.equals("ANSWERED");
        tollgate.jdbc().update("""
                INSERT INTO cdr (cdr_key, call_id, call_date, answer_time, end_time, duration_seconds, billable_seconds,
                                 disposition, sip_code, sip_reason, caller, callee, billing_party, repair, source_keys)
                VALUES (gen_random_uuid(), ?, ?::date, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ARRAY[gen_random_uuid()])
                """, callId, date, answered ? Timestamp.from(endTime.minusSeconds(60)) : null, Timestamp.from(endTime),
                answered ? 60 : 0, answered ? 60 : 0, disposition, code, reason, caller, callee, billingParty, repair);
    }

    private List<CSVRecord> csv(String... command) throws Exception {
        CliRun r = run(command);
        assertThat(r.rc()).as(r.err()).isZero();
        return parse(r.out());
    }

    private static List<CSVRecord> parse(String csv) throws Exception {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv))
                .getRecords();
    }

    private CliRun run(String... command) {
        return tollgate.cliCaptured(command);
    }
}
