package org.tollgate.tests.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollgate.tests.support.Sipp;
import org.tollgate.tests.support.TollgateInstance;
import org.tollgate.tests.support.TollgateInstance.CliRun;

/**
 * Operator control: a live call (a SIPp caller and callee that wait for the proxy's BYE, with a
 * 30-minute session interval) is ended by {@code tollgate dialogs end} or by the admin API; both
 * sides get a BYE from the proxy and the Stop says Admin-Reset (6).
 */
class DialogEndIT {

    static final String DOMAIN = "tollgate.test";
    static final String TRUSTED = "127.0.0.2";
    static TollgateInstance tollgate;
    static int gatewayPort;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        gatewayPort = Sipp.freeUdpPort();
        tollgate = new TollgateInstance(
                "tollgate.roles=aaa,proxy,api",
                "tollgate.proxy.domains=" + DOMAIN,
                "tollgate.proxy.radius.secret=testing123",
                "tollgate.proxy.trusted=" + TRUSTED,
                "tollgate.proxy.pstn-routes[0].pattern=00[1-9][0-9]+",
                "tollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:" + gatewayPort);
    }

    @AfterAll
    static void stop() {
        if (tollgate != null) {
            tollgate.close();
        }
    }

    @Test
    void dialogsEndEndsALiveCallWithByesToBothSidesAndAnAdminResetStop() {
        String called = "0049301120001";
        try (Sipp.Running gw = callee(); Sipp.Running caller = caller(called)) {
            String callId = liveCall(called);
            CliRun ended = tollgate.cliCaptured("dialogs", "end", callId);
            assertThat(ended.rc()).as(ended.err()).isZero();
            assertThat(ended.out()).contains("ended " + callId).contains("Admin-Reset");
            assertThat(caller.await(Duration.ofSeconds(20)).succeeded()).as("the caller got the proxy's BYE").isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).as("the callee got the proxy's BYE").isTrue();
            assertThat(stopCause(callId)).isEqualTo(6);

            CliRun again = tollgate.cliCaptured("dialogs", "end", callId);
            assertThat(again.rc()).isEqualTo(1);
            assertThat(again.err()).contains("no running proxy holds a call with Call-ID " + callId);
        }
    }

    @Test
    void theAdminApiEndsACallBehindTheToken() throws Exception {
        String called = "0049301120002";
        try (Sipp.Running gw = callee(); Sipp.Running caller = caller(called)) {
            String callId = liveCall(called);
            String body = "{\"callId\": \"" + callId + "\"}";
            assertThat(post("/api/dialogs/end", body, false).statusCode()).isEqualTo(401);
            assertThat(tollgate.jdbc().queryForObject("SELECT count(*) FROM acc_event WHERE acct_session_id = ? "
                    + "AND status = 'STOP'", Integer.class, callId)).as("refused: the call goes on").isZero();

            HttpResponse<String> ended = post("/api/dialogs/end", body, true);
            assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
            assertThat(ended.body()).contains("\"ended\":true");
            assertThat(caller.await(Duration.ofSeconds(20)).succeeded()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
            assertThat(stopCause(callId)).isEqualTo(6);
        }
        assertThat(post("/api/dialogs/end", "{\"callId\": \"no-such-call@nowhere\"}", true).statusCode()).isEqualTo(404);
        assertThat(post("/api/dialogs/end", "{}", true).statusCode()).isEqualTo(400);
    }

    @Test
    void badArgumentsAreExplained() {
        CliRun noWait = tollgate.cliCaptured("dialogs", "end", "x@y", "--wait", "0");
        assertThat(noWait.rc()).isEqualTo(2);
        assertThat(noWait.err()).contains("--wait must be 1 to 60 seconds");
        CliRun unknown = tollgate.cliCaptured("dialogs", "end", "nobody-called@nowhere");
        assertThat(unknown.rc()).isEqualTo(1);
    }

    private static Sipp.Running callee() {
        return Sipp.scenario("uas-expire.xml").localIp("127.0.0.1").localPort(gatewayPort).calls(1)
                .timeoutSeconds(60).timeoutError(true).start();
    }

    private static Sipp.Running caller(String called) {
        return Sipp.scenario("uac-expire.xml").remote("127.0.0.1", tollgate.sipPort()).localIp(TRUSTED).service(called)
                .calls(1).set("domain", DOMAIN).timeoutSeconds(60).timeoutError(true).start();
    }

    /** The Call-ID of the answered call to {@code called}, once its Start is stored. */
    private static String liveCall(String called) {
        String like = "sip:" + called + "@%";
        await().atMost(Duration.ofSeconds(20)).until(() -> tollgate.jdbc().queryForObject(
                "SELECT count(*) FROM acc_event WHERE status = 'START' AND called_station_id LIKE ?", Integer.class, like) == 1);
        return tollgate.jdbc().queryForObject(
                "SELECT acct_session_id FROM acc_event WHERE status = 'START' AND called_station_id LIKE ?", String.class, like);
    }

    private static int stopCause(String callId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> tollgate.jdbc().queryForObject(
                "SELECT count(*) FROM acc_event WHERE status = 'STOP' AND acct_session_id = ?", Integer.class, callId) == 1);
        return tollgate.jdbc().queryForObject(
                "SELECT terminate_cause FROM acc_event WHERE status = 'STOP' AND acct_session_id = ?", Integer.class, callId);
    }

    private static HttpResponse<String> post(String path, String body, boolean token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tollgate.httpPort() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (token) {
            b.header("Authorization", "Bearer " + TollgateInstance.API_TOKEN);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
