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
 * SIPp callers and callees through the proxy, with the AAA server and PostgreSQL in the same
 * instance, checked in {@code acc_event}. Callers on 127.0.0.2 are trusted (a gateway), callers
 * on 127.0.0.1 are subscribers that authenticate and need their groups.
 */
class ProxyCallAccountingIT {

    static final String DOMAIN = "tollgate.test";
    static final String TRUSTED = "127.0.0.2";
    static TollgateInstance tollgate;
    static int gatewayPort;
    static int sip;

    @BeforeAll
    static void start() {
        gatewayPort = Sipp.freeUdpPort();
        tollgate = new TollgateInstance(
                "tollgate.roles=aaa,proxy,api",
                "tollgate.proxy.domains=" + DOMAIN,
                "tollgate.proxy.radius.secret=testing123",
                "tollgate.proxy.trusted=" + TRUSTED,
                "tollgate.proxy.session-expires=4s",
                "tollgate.proxy.min-se=2s",
                "tollgate.proxy.accounting.multi-leg-info=Tollgate-Leg-Src=$src,Tollgate-Leg-Dst=$dst",
                "tollgate.proxy.pstn-routes[0].pattern=00[1-9][0-9]+",
                "tollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:" + gatewayPort);
        sip = tollgate.sipPort();
        cli("user", "add", "--name", "101", "--realm", DOMAIN, "--password", "secret101", "--group", "voip", "--group", "pstn");
        cli("user", "add", "--name", "102", "--realm", DOMAIN, "--password", "secret102", "--group", "voip");
        cli("user", "add", "--name", "103", "--realm", DOMAIN, "--password", "secret103", "--group", "voip");
        cli("user", "suspend", "--name", "103", "--realm", DOMAIN);
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

    static Sipp.Builder caller(String scenario, String called, String ip) {
        return Sipp.scenario(scenario).remote("127.0.0.1", sip).localIp(ip).service(called).calls(1)
                .set("domain", DOMAIN).timeoutSeconds(30).timeoutError(true);
    }

    static Sipp.Running gateway(String scenario) {
        return Sipp.scenario(scenario).localIp("127.0.0.1").localPort(gatewayPort).calls(1)
                .timeoutSeconds(40).timeoutError(true).start();
    }

    /** The accounting rows whose Called-Station-Id names {@code user}, oldest first, once {@code n} are there. */
    static List<Map<String, Object>> rows(String user, int n) {
        String like = "sip:" + user + "@%";
        await().atMost(Duration.ofSeconds(20)).until(
                () -> tollgate.jdbc().queryForObject("SELECT count(*) FROM acc_event WHERE called_station_id LIKE ?",
                        Integer.class, like) >= n);
        return tollgate.jdbc().queryForList("""
                SELECT status, acct_session_id, sip_method, sip_response_code, sip_from_tag, sip_to_tag, user_name,
                       calling_station_id, called_station_id, sip_translated_uri, sip_src_ip, terminate_cause,
                       attributes->>'Acct-Interim-Interval' AS interval, attributes->>'NAS-Port' AS nas_port
                FROM acc_event WHERE called_station_id LIKE ? ORDER BY event_time, status_code""", like);
    }

    @Test
    void answeredCallIsStartedAndStoppedWithTheSameCallIdAndTags() {
        try (Sipp.Running gw = gateway("uas.xml")) {
            Sipp.Result r = caller("uac.xml", "0049301110001", TRUSTED).set("caller", "gw1").run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        List<Map<String, Object>> rows = rows("0049301110001", 2);
        Map<String, Object> start = rows.get(0);
        Map<String, Object> stop = rows.get(1);
        assertThat(start).containsEntry("status", "START").containsEntry("sip_method", "INVITE")
                .containsEntry("sip_response_code", 200)
                .containsEntry("calling_station_id", "sip:gw1@" + DOMAIN)
                .containsEntry("called_station_id", "sip:0049301110001@" + DOMAIN)
                .containsEntry("sip_translated_uri", "sip:0049301110001@127.0.0.1:" + gatewayPort)
                .containsEntry("sip_src_ip", TRUSTED)
                .containsEntry("nas_port", Integer.toString(sip))
                .containsEntry("interval", "4");
        assertThat(stop).containsEntry("status", "STOP").containsEntry("sip_method", "BYE")
                .containsEntry("sip_response_code", 200);
        assertThat(stop.get("acct_session_id")).isEqualTo(start.get("acct_session_id"));
        assertThat(stop.get("sip_from_tag")).isEqualTo(start.get("sip_from_tag")).isNotNull();
        assertThat(stop.get("sip_to_tag")).isEqualTo(start.get("sip_to_tag")).isNotNull();
    }

    @Test
    void calleeHangingUpIsAccountedInTheInviteDirection() {
        try (Sipp.Running gw = Sipp.scenario("uas-hangup.xml").localIp("127.0.0.1").localPort(gatewayPort).calls(1)
                .pauseMs(300).timeoutSeconds(40).timeoutError(true).start()) {
            Sipp.Result r = caller("uac-expire.xml", "0049301110002", TRUSTED).set("caller", "gw2")
                    .set("any_bye", "1").run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        List<Map<String, Object>> rows = rows("0049301110002", 2);
        Map<String, Object> start = rows.get(0);
        Map<String, Object> stop = rows.get(1);
        assertThat(stop).containsEntry("status", "STOP").containsEntry("sip_method", "BYE")
                .containsEntry("calling_station_id", "sip:gw2@" + DOMAIN)
                .containsEntry("called_station_id", "sip:0049301110002@" + DOMAIN)
                .containsEntry("sip_src_ip", "127.0.0.1");
        // the BYE came from the callee, yet From/To tags are those of the INVITE
        assertThat(stop.get("sip_from_tag")).isEqualTo(start.get("sip_from_tag"));
        assertThat(stop.get("sip_to_tag")).isEqualTo(start.get("sip_to_tag"));
    }

    @Test
    void busyCalleeIsAMissedCallWith486() {
        try (Sipp.Running gw = gateway("uas-busy.xml")) {
            Sipp.Result r = caller("uac-busy.xml", "0049301110003", TRUSTED).run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
        }
        Map<String, Object> failed = rows("0049301110003", 1).get(0);
        assertThat(failed).containsEntry("status", "FAILED").containsEntry("sip_method", "INVITE")
                .containsEntry("sip_response_code", 486);
    }

    @Test
    void unknownLocalUserIsAnsweredAndAccounted404() {
        Sipp.Result r = caller("uac-404.xml", "199", TRUSTED).run(Duration.ofSeconds(40));
        assertThat(r.succeeded()).as(r.describe()).isTrue();
        assertThat(rows("199", 1).get(0)).containsEntry("status", "FAILED").containsEntry("sip_response_code", 404);
    }

    @Test
    void cancelBeforeAnswerIsAMissedCallWith487() {
        try (Sipp.Running gw = gateway("uas-noanswer.xml")) {
            Sipp.Result r = caller("uac-cancel.xml", "0049301110004", TRUSTED).pauseMs(500).run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        assertThat(rows("0049301110004", 1).get(0)).containsEntry("status", "FAILED")
                .containsEntry("sip_response_code", 487);
    }

    @Test
    void registeredUserIsReachedByAnAuthenticatedCaller() {
        int calleePort = Sipp.freeUdpPort();
        Sipp.Result reg = Sipp.scenario("register.xml").remote("127.0.0.1", sip).localIp("127.0.0.1").service("102")
                .calls(1).auth("102", "secret102").set("domain", DOMAIN)
                .set("contact", "sip:102@127.0.0.1:" + calleePort).set("expires", "300")
                .timeoutSeconds(20).timeoutError(true).run(Duration.ofSeconds(30));
        assertThat(reg.succeeded()).as(reg.describe()).isTrue();
        assertThat(tollgate.jdbc().queryForObject("SELECT contact FROM sip_location WHERE aor = ?", String.class,
                "102@" + DOMAIN)).isEqualTo("sip:102@127.0.0.1:" + calleePort);

        try (Sipp.Running callee = Sipp.scenario("uas.xml").localIp("127.0.0.1").localPort(calleePort).calls(1)
                .timeoutSeconds(40).timeoutError(true).start()) {
            Sipp.Result r = caller("uac-auth.xml", "102", "127.0.0.1").set("caller", "101").auth("101", "secret101")
                    .run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(callee.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        List<Map<String, Object>> rows = rows("102", 2);
        assertThat(rows).extracting(m -> m.get("status")).containsExactly("START", "STOP");
        assertThat(rows.get(0)).containsEntry("user_name", "101@" + DOMAIN)
                .containsEntry("sip_translated_uri", "sip:102@127.0.0.1:" + calleePort);
    }

    @Test
    void suspendedUserIsRefused() {
        Sipp.Result r = caller("uac-refused.xml", "0049301110005", "127.0.0.1").set("caller", "103")
                .run(Duration.ofSeconds(40));
        assertThat(r.succeeded()).as(r.describe()).isTrue();
        assertThat(r.stdout() + r.errorLog()).doesNotContain("Aborting call");
    }

    @Test
    void authenticatedCallerWithoutThePstnGroupIsRefused() {
        // 102 authenticates (407, then the INVITE again) but is not in group pstn
        Sipp.Result r = caller("uac-auth-refused.xml", "0049301110006", "127.0.0.1").set("caller", "102")
                .auth("102", "secret102").run(Duration.ofSeconds(40));
        assertThat(r.succeeded()).as(r.describe()).isTrue();
    }

    @Test
    void wrongPasswordIsRefused() {
        Sipp.Result r = caller("uac-auth-refused.xml", "0049301110008", "127.0.0.1").set("caller", "101")
                .auth("101", "not-the-password").run(Duration.ofSeconds(40));
        assertThat(r.succeeded()).as(r.describe()).isTrue();
    }

    @Test
    void unknownCallerCannotRelayToOtherDomains() {
        // From and Request-URI in example.net: routing there needs group voip, which nobody@example.net lacks
        Sipp.Result r = caller("uac-refused.xml", "0049301110009", "127.0.0.1").set("domain", "example.net")
                .run(Duration.ofSeconds(40));
        assertThat(r.succeeded()).as(r.describe()).isTrue();
    }

    @Test
    void expiredSessionIsEndedByTheProxyWithByesToBothSides() {
        try (Sipp.Running gw = gateway("uas-expire.xml")) {
            Sipp.Result r = caller("uac-expire.xml", "0049301110007", TRUSTED).run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        List<Map<String, Object>> rows = rows("0049301110007", 2);
        assertThat(rows.get(1)).containsEntry("status", "STOP").containsEntry("terminate_cause", 5);
    }

    @Test
    void callForwardedByTheCalleeCarriesBothLegs() {
        int forwardedTo = Sipp.freeUdpPort();
        try (Sipp.Running redirecting = Sipp.scenario("uas-redirect.xml").localIp("127.0.0.1").localPort(gatewayPort)
                     .calls(1).set("target", "sip:0049309990000@127.0.0.1:" + forwardedTo).timeoutSeconds(40)
                     .timeoutError(true).start();
             Sipp.Running target = Sipp.scenario("uas.xml").localIp("127.0.0.1").localPort(forwardedTo).calls(1)
                     .timeoutSeconds(40).timeoutError(true).start()) {
            Sipp.Result r = caller("uac.xml", "0049301110010", TRUSTED).set("caller", "gw3").run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(target.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        List<Map<String, Object>> rows = rows("0049301110010", 2);
        assertThat(rows).extracting(m -> m.get("status")).containsExactly("START", "STOP");
        String legs = tollgate.jdbc().queryForObject("""
                SELECT (attributes->>'Tollgate-Leg-Src') || ' > ' || (attributes->>'Tollgate-Leg-Dst')
                FROM acc_event WHERE status = 'START' AND called_station_id = ?""", String.class,
                "sip:0049301110010@" + DOMAIN);
        assertThat(rows.get(0)).containsEntry("sip_translated_uri", "sip:0049309990000@127.0.0.1:" + forwardedTo);
        assertThat(legs).contains("sip:gw3@" + DOMAIN).contains("sip:0049309990000@127.0.0.1:" + forwardedTo);
    }
}
