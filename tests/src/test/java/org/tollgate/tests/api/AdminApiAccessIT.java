package org.tollgate.tests.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.tests.support.TollgateInstance;

/**
 * The admin port as an attacker finds it: nothing but health answers without a token (401), a media
 * event posted anonymously does not touch the bill, and without a configured token only stored
 * tokens open it. Metrics also go to the configured scraper addresses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiAccessIT {

    static final String DAY = "2026-11-20";
    static final String MEDIA_EVENT = "{\"callId\": \"c-media\", \"lastMediaAt\": \"" + DAY + "T10:00:05Z\"}";

    /** Every endpoint the admin port serves but health, with its method. */
    static final List<String[]> GUARDED = List.of(
            new String[] {"POST", "/api/media-events"},
            new String[] {"GET", "/api/reports/missed?from=" + DAY + "&to=" + DAY},
            new String[] {"GET", "/actuator/prometheus"},
            new String[] {"GET", "/actuator/info"},
            new String[] {"GET", "/actuator"},
            new String[] {"GET", "/api/no-such-thing"});

    private final HttpClient http = HttpClient.newHttpClient();
    private TollgateInstance tollgate;
    private TollgateInstance closed;

    @BeforeAll
    void start() {
        // the scraper list names someone else: from here, metrics need the token
        tollgate = new TollgateInstance("tollgate.roles=api", "tollgate.api.metrics-allowed=192.0.2.0/24");
        // no token at all; 127.0.0.1 may scrape metrics
        closed = new TollgateInstance("tollgate.roles=api", "tollgate.api.token=", "tollgate.api.metrics-allowed=127.0.0.1");
    }

    @AfterAll
    void stop() {
        tollgate.close();
        closed.close();
    }

    @Test
    void anAnonymousMediaEventDoesNotChangeTheBill() throws Exception {
        // an answered call whose BYE never came: billed UNTERMINATED for max-duration (1 h)
        tollgate.jdbc().update("""
                INSERT INTO acc_event (record_key, received_at, event_time, stored_at, nas_name, nas_address, status,
                       status_code, acct_session_id, user_name, calling_station_id, called_station_id, sip_method,
                       sip_response_code, sip_from_tag, sip_to_tag, attributes)
                VALUES (gen_random_uuid(), ?::timestamptz, ?::timestamptz, '2026-11-20T23:00:00Z', 'tollgate-proxy',
                        '127.0.0.1', 'START', 1, 'c-media', 'alice', 'sip:alice@example.com',
                        'sip:+4930123@example.com', 'INVITE', 200, 'a', 'b', '{}'::jsonb)
                """, DAY + "T10:00:00Z", DAY + "T10:00:00Z");

        assertThat(send(tollgate, "POST", "/api/media-events", MEDIA_EVENT, null).statusCode()).isEqualTo(401);
        assertThat(send(tollgate, "POST", "/api/media-events", MEDIA_EVENT, "Bearer not-the-token").statusCode())
                .isEqualTo(401);
        assertThat(send(closed, "POST", "/api/media-events", MEDIA_EVENT, null).statusCode()).isEqualTo(401);
        assertThat(mediaEvents()).isZero();
        assertThat(tollgate.cli("batch", "run", "--date", DAY, "--until", "2026-11-21T00:00:00Z")).isZero();
        assertThat(cdr()).containsEntry("repair", "UNTERMINATED").containsEntry("duration_seconds", 3600L);

        // the same event from the token holder is evidence, and re-pairing the day uses it
        assertThat(send(tollgate, "POST", "/api/media-events", MEDIA_EVENT, "Bearer " + TollgateInstance.API_TOKEN)
                .statusCode()).isEqualTo(202);
        assertThat(tollgate.cli("batch", "run", "--date", DAY, "--until", "2026-11-21T00:00:00Z")).isZero();
        assertThat(cdr()).containsEntry("repair", "MEDIA_TIMEOUT").containsEntry("duration_seconds", 5L);
    }

    @Test
    void everyEndpointButHealthWantsTheToken() throws Exception {
        int stored = mediaEvents();
        for (String[] e : GUARDED) {
            String what = e[0] + " " + e[1];
            HttpResponse<String> anonymous = send(tollgate, e[0], e[1], MEDIA_EVENT, null);
            assertThat(anonymous.statusCode()).as(what).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(what).hasValue("Bearer realm=\"tollgate\"");
            assertThat(anonymous.body()).as(what).contains("\"error\"").contains("Bearer");

            for (String wrong : List.of("Bearer not-the-token", "Bearer " + TollgateInstance.API_TOKEN + "x",
                    "Basic " + TollgateInstance.API_TOKEN, TollgateInstance.API_TOKEN)) {
                HttpResponse<String> r = send(tollgate, e[0], e[1], MEDIA_EVENT, wrong);
                assertThat(r.statusCode()).as(what + " with " + wrong).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).as(what).contains("invalid_token");
            }
        }
        assertThat(mediaEvents()).isEqualTo(stored);

        assertThat(send(tollgate, "GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
        assertThat(send(tollgate, "GET", "/actuator/health/liveness", null, null).statusCode()).isEqualTo(200);
        assertThat(send(tollgate, "GET", "/actuator/health", null, "Bearer wrong").statusCode()).isEqualTo(200);
    }

    @Test
    void theTokenOpensEveryEndpoint() throws Exception {
        String token = "Bearer " + TollgateInstance.API_TOKEN;
        Map<String, Integer> expected = Map.of("/api/reports/missed?from=" + DAY + "&to=" + DAY, 200,
                "/actuator/prometheus", 200, "/actuator/info", 200, "/actuator", 200, "/api/no-such-thing", 404);
        expected.forEach((path, status) -> assertThat(get(tollgate, path, token).statusCode()).as(path).isEqualTo(status));
        // refusals are counted, not logged
        get(tollgate, "/actuator/info", null);
        get(tollgate, "/actuator/info", "Bearer wrong");
        assertThat(get(tollgate, "/actuator/prometheus", "bearer " + TollgateInstance.API_TOKEN).body())
                .contains("tollgate_api_refused_total{reason=\"missing_token\"}")
                .contains("tollgate_api_refused_total{reason=\"invalid_token\"}");
    }

    @Test
    void withoutAConfiguredTokenOnlyStoredTokensHealthAndTheScrapersGetIn() throws Exception {
        for (String[] e : GUARDED) {
            if (e[1].equals("/actuator/prometheus")) {
                continue;
            }
            for (String auth : java.util.Arrays.asList(null, "Bearer " + TollgateInstance.API_TOKEN, "Bearer x")) {
                HttpResponse<String> r = send(closed, e[0], e[1], MEDIA_EVENT, auth);
                assertThat(r.statusCode()).as(e[0] + " " + e[1] + " with " + auth).isEqualTo(401);
            }
        }
        assertThat(send(closed, "GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
        // a stored admin token opens it
        TollgateInstance.CliRun created = closed.cliCaptured("token", "create", "--name", "ops-admin", "--role", "admin");
        assertThat(created.rc()).as(created.err()).isZero();
        String stored = created.out().strip();
        assertThat(get(closed, "/actuator/info", "Bearer " + stored).statusCode()).isEqualTo(200);
        // 127.0.0.1 is on the scraper list: metrics, and only metrics
        HttpResponse<String> metrics = send(closed, "GET", "/actuator/prometheus", null, null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("tollgate_api_refused_total{reason=\"missing_token\"}");
        // elsewhere the list does not match: the token is the way in
        assertThat(get(tollgate, "/actuator/prometheus", null).statusCode()).isEqualTo(401);
    }

    private int mediaEvents() {
        return tollgate.jdbc().queryForObject("SELECT count(*) FROM media_event", Integer.class);
    }

    private Map<String, Object> cdr() {
        return tollgate.jdbc().queryForMap("SELECT repair, duration_seconds FROM cdr WHERE call_id = 'c-media'");
    }

    private HttpResponse<String> get(TollgateInstance t, String path, String authorization) {
        try {
            return send(t, "GET", path, null, authorization);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(TollgateInstance t, String method, String path, String body, String authorization)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.httpPort() + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (method.equals("POST")) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
