package org.tollgate.tests.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollgate.tests.support.Sipp;
import org.tollgate.tests.support.TollgateInstance;

/**
 * Where calls go: PSTN gateways failing over in order (a 503, a gateway that never answers),
 * parallel forking to a user's registered contacts, and the dialogs the proxy tracks while a
 * call is up ({@code tollgate dialogs}, table {@code sip_dialog}).
 */
class RoutingIT {

    static final String DOMAIN = "tollgate.test";
    static final String TRUSTED = "127.0.0.2";

    static TollgateInstance tollgate;
    static int sip;
    /** The gateway that works (uas.xml), second in both failover routes. */
    static int goodGateway;
    /** The first gateway of route 0049: answers 503 (uas-503.xml). */
    static int failingGateway;
    /** The first gateway of route 0033: nobody listens there. */
    static int deadGateway;
    /** The two registered contacts of user 104 and of user 105. */
    static int contact104a;
    static int contact104b;
    static int contact105a;
    static int contact105b;

    @BeforeAll
    static void start() {
        int[] ports = TollgateInstance.freeUdpPorts(7);
        goodGateway = ports[0];
        failingGateway = ports[1];
        deadGateway = ports[2];
        contact104a = ports[3];
        contact104b = ports[4];
        contact105a = ports[5];
        contact105b = ports[6];
        tollgate = new TollgateInstance(
                "tollgate.roles=aaa,proxy,api",
                "tollgate.proxy.domains=" + DOMAIN,
                "tollgate.proxy.radius.secret=testing123",
                "tollgate.proxy.trusted=" + TRUSTED,
                "tollgate.proxy.branch-timeout=1s",
                "tollgate.proxy.pstn-routes[0].pattern=0049[0-9]+",
                "tollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:" + failingGateway,
                "tollgate.proxy.pstn-routes[0].gateways[1]=127.0.0.1:" + goodGateway,
                "tollgate.proxy.pstn-routes[1].pattern=0033[0-9]+",
                "tollgate.proxy.pstn-routes[1].gateways[0]=127.0.0.1:" + deadGateway,
                "tollgate.proxy.pstn-routes[1].gateways[1]=127.0.0.1:" + goodGateway,
                "tollgate.proxy.pstn-routes[2].pattern=0044[0-9]+",
                "tollgate.proxy.pstn-routes[2].gateways[0]=127.0.0.1:" + goodGateway);
        sip = tollgate.sipPort();
        cli("user", "add", "--name", "104", "--realm", DOMAIN, "--password", "secret104", "--group", "voip");
        cli("user", "add", "--name", "105", "--realm", DOMAIN, "--password", "secret105", "--group", "voip");
        register("104", "secret104", contact104a);
        register("104", "secret104", contact104b);
        register("105", "secret105", contact105a);
        register("105", "secret105", contact105b);
        assertThat(tollgate.jdbc().queryForList("SELECT contact FROM sip_location WHERE aor = ? ORDER BY contact",
                String.class, "104@" + DOMAIN))
                .containsExactlyInAnyOrder("sip:104@127.0.0.1:" + contact104a, "sip:104@127.0.0.1:" + contact104b);
    }

    @AfterAll
    static void stop() {
        if (tollgate != null) {
            tollgate.close();
        }
    }

    static void cli(String... args) {
        assertThat(tollgate.cli(args)).as(String.join(" ", args)).isZero();
    }

    static void register(String user, String password, int contactPort) {
        Sipp.Result reg = Sipp.scenario("register.xml").remote("127.0.0.1", sip).localIp("127.0.0.1").service(user)
                .calls(1).auth(user, password).set("domain", DOMAIN)
                .set("contact", "sip:" + user + "@127.0.0.1:" + contactPort).set("expires", "300")
                .timeoutSeconds(20).timeoutError(true).run(Duration.ofSeconds(30));
        assertThat(reg.succeeded()).as(reg.describe()).isTrue();
    }

    static Sipp.Builder caller(String scenario, String called) {
        return Sipp.scenario(scenario).remote("127.0.0.1", sip).localIp(TRUSTED).service(called).calls(1)
                .set("domain", DOMAIN).set("caller", "gw").timeoutSeconds(30).timeoutError(true);
    }

    static Sipp.Running callee(String scenario, int port) {
        return Sipp.scenario(scenario).localIp("127.0.0.1").localPort(port).calls(1)
                .timeoutSeconds(40).timeoutError(true).start();
    }

    /** The accounting rows whose Called-Station-Id names {@code user}, oldest first, once {@code n} are there. */
    static List<Map<String, Object>> rows(String user, int n) {
        String like = "sip:" + user + "@%";
        await().atMost(Duration.ofSeconds(20)).until(
                () -> tollgate.jdbc().queryForObject("SELECT count(*) FROM acc_event WHERE called_station_id LIKE ?",
                        Integer.class, like) >= n);
        return tollgate.jdbc().queryForList("""
                SELECT status, acct_session_id, sip_method, sip_response_code, sip_translated_uri
                FROM acc_event WHERE called_station_id LIKE ? ORDER BY event_time, status_code""", like);
    }

    /** No more rows arrive for {@code user} than {@code n} (checked after the accountant's queue has had time). */
    static List<Map<String, Object>> settledRows(String user, int n) {
        rows(user, n);
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return rows(user, n);
    }

    // ---- (a) serial failover across the gateways of a PSTN route ----

    @Test
    void gatewayAnswering503FailsOverToTheNext() {
        String called = "00493011100";
        try (Sipp.Running bad = callee("uas-503.xml", failingGateway); Sipp.Running good = callee("uas.xml", goodGateway)) {
            Sipp.Result r = caller("uac.xml", called).run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(good.await(Duration.ofSeconds(20)).succeeded()).isTrue();
            assertThat(bad.await(Duration.ofSeconds(20)).succeeded()).as("the 503 gateway got its ACK").isTrue();
        }
        List<Map<String, Object>> rows = settledRows(called, 2);
        assertThat(rows).extracting(m -> m.get("status")).containsExactly("START", "STOP");
        assertThat(rows.get(0)).containsEntry("sip_response_code", 200)
                .containsEntry("sip_translated_uri", "sip:" + called + "@127.0.0.1:" + goodGateway);
    }

    @Test
    void gatewayThatNeverAnswersFailsOverAfterTheBranchTimeout() {
        String called = "00333011100";
        long t0 = System.nanoTime();
        try (Sipp.Running good = callee("uas.xml", goodGateway)) {
            Sipp.Result r = caller("uac.xml", called).run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(good.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        // well before the RI's own 32 s transaction timeout
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        List<Map<String, Object>> rows = settledRows(called, 2);
        assertThat(rows).extracting(m -> m.get("status")).containsExactly("START", "STOP");
        assertThat(rows.get(0)).containsEntry("sip_response_code", 200)
                .containsEntry("sip_translated_uri", "sip:" + called + "@127.0.0.1:" + goodGateway);
    }

    // ---- (b) parallel forking to registered contacts ----

    @Test
    void forkedCallIsAnsweredByTheContactThatIsNotBusy() {
        try (Sipp.Running busy = callee("uas-busy.xml", contact104a); Sipp.Running ok = callee("uas.xml", contact104b)) {
            Sipp.Result r = caller("uac.xml", "104").run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(ok.await(Duration.ofSeconds(20)).succeeded()).isTrue();
            assertThat(busy.await(Duration.ofSeconds(20)).succeeded()).as("the busy contact got its ACK").isTrue();
        }
        List<Map<String, Object>> rows = settledRows("104", 2);
        assertThat(rows).extracting(m -> m.get("status")).containsExactly("START", "STOP");
        assertThat(rows.get(0)).containsEntry("sip_response_code", 200)
                .containsEntry("sip_translated_uri", "sip:104@127.0.0.1:" + contact104b);
        assertThat(rows.get(1).get("acct_session_id")).isEqualTo(rows.get(0).get("acct_session_id"));
    }

    @Test
    void forkedCallWithEveryContactBusyIsA486() {
        try (Sipp.Running a = callee("uas-busy.xml", contact105a); Sipp.Running b = callee("uas-busy.xml", contact105b)) {
            Sipp.Result r = caller("uac-busy.xml", "105").run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(a.await(Duration.ofSeconds(20)).succeeded()).isTrue();
            assertThat(b.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        List<Map<String, Object>> rows = settledRows("105", 1);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("status", "FAILED").containsEntry("sip_method", "INVITE")
                .containsEntry("sip_response_code", 486);
    }

    // ---- (c) dialogs while a call is up ----

    @Test
    void dialogIsListedWhileTheCallIsUpAndGoneAfterTheBye() {
        String called = "00443011100";
        String callee = "sip:" + called + "@" + DOMAIN;
        try (Sipp.Running gw = callee("uas.xml", goodGateway);
             Sipp.Running call = caller("uac.xml", called).pauseMs(8000).start()) {
            // written behind about once a second; the CLI (a Spring start of its own) lists it while the call lasts
            await().atMost(Duration.ofSeconds(4)).until(() -> tollgate.jdbc().queryForObject(
                    "SELECT count(*) FROM sip_dialog WHERE callee = ?", Integer.class, callee) == 1);
            Map<String, Object> row = tollgate.jdbc().queryForMap(
                    "SELECT call_id, caller, proxy FROM sip_dialog WHERE callee = ?", callee);
            assertThat(row.get("caller")).isEqualTo("sip:gw@" + DOMAIN);
            assertThat(row.get("proxy")).isEqualTo("127.0.0.1:" + sip);

            TollgateInstance.CliRun listed = tollgate.cliCaptured("dialogs", "--call-id", (String) row.get("call_id"));
            assertThat(listed.rc()).as(listed.out()).isZero();
            assertThat(listed.out()).contains((String) row.get("call_id"), callee, "1 dialog(s)");

            Sipp.Result r = call.await(Duration.ofSeconds(30));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> tollgate.jdbc().queryForObject(
                "SELECT count(*) FROM sip_dialog WHERE callee = ?", Integer.class, callee) == 0);
        TollgateInstance.CliRun after = tollgate.cliCaptured("dialogs");
        assertThat(after.rc()).isZero();
        assertThat(after.out()).doesNotContain(callee);
    }
}
