package org.tollgate.tests.radius;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.aaa.radius.server.RadiusMetrics;
import org.tollgate.tests.support.Kamailio;
import org.tollgate.tests.support.Sipp;
import org.tollgate.tests.support.TollgateInstance;

/**
 * Kamailio 5.6 as Debian ships it (auth_radius, acc_radius over radcli 1.2) pointed at Tollgate,
 * which is provisioned as an operator would: the NAS client with the default Message-Authenticator
 * policy, users with passwords. Kamailio's Access-Requests carry no Message-Authenticator, its
 * accounting sends Sip-Source-Port as radcli's integer and the Event-Timestamp as text with
 * microseconds (rad_time_mode 1).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KamailioInteropIT {

    private TollgateInstance tollgate;
    private Kamailio kamailio;

    @BeforeAll
    void start() {
        assertThat(Kamailio.installed()).as("kamailio and kamailio-radius-modules are installed (.ci/run does)").isTrue();
        tollgate = new TollgateInstance("tollgate.roles=aaa");
        assertThat(tollgate.cli("nas", "add", "--name", "kamailio", "--address", "127.0.0.1", "--secret", "testing123",
                "--type", "kamailio")).isZero();
        for (String u : List.of("101", "102")) {
            assertThat(tollgate.cli("user", "add", "--name", u, "--realm", Kamailio.DOMAIN, "--password", "pw" + u,
                    "--group", "voip")).isZero();
        }
        kamailio = new Kamailio(tollgate.authPort(), tollgate.acctPort(), "testing123");
    }

    @AfterAll
    void stop() {
        if (kamailio != null) {
            kamailio.close();
        }
        tollgate.close();
    }

    private Sipp.Result register(String user, String password, int contactPort) {
        return Sipp.scenario("register.xml").remote("127.0.0.1", kamailio.port()).localIp("127.0.0.1").service(user)
                .calls(1).auth(user, password).set("domain", Kamailio.DOMAIN)
                .set("contact", "sip:" + user + "@127.0.0.1:" + contactPort).set("expires", "300")
                .timeoutSeconds(15).timeoutError(true).run(Duration.ofSeconds(30));
    }

    @Test
    void registrationIsAuthenticatedByDigestWithoutAMessageAuthenticator() {
        double dropped = tollgate.metrics().dropped(RadiusMetrics.Drop.MISSING_MESSAGE_AUTHENTICATOR);
        Sipp.Result ok = register("101", "pw101", 5999);
        assertThat(ok.succeeded()).as(ok.describe() + "\n" + kamailio.log()).isTrue();
        Sipp.Result wrong = register("101", "not-the-password", 5999);
        assertThat(wrong.succeeded()).as("a wrong password is refused").isFalse();
        assertThat(tollgate.metrics().dropped(RadiusMetrics.Drop.MISSING_MESSAGE_AUTHENTICATOR))
                .as("auto: a client that never signs keeps working").isEqualTo(dropped);
    }

    @Test
    void aCallIsAccountedWithRadcliEncodingsAndPairedIntoACdr() {
        int calleePort = TollgateInstance.freeUdpPorts(1)[0];
        int callerPort = TollgateInstance.freeUdpPorts(1)[0];
        Sipp.Result reg = register("102", "pw102", calleePort);
        assertThat(reg.succeeded()).as(reg.describe() + "\n" + kamailio.log()).isTrue();
        Instant before = Instant.now();
        try (Sipp.Running callee = Sipp.scenario("uas.xml").localIp("127.0.0.1").localPort(calleePort).calls(1)
                .timeoutSeconds(40).timeoutError(true).start()) {
            Sipp.Result call = Sipp.scenario("uac-auth.xml").remote("127.0.0.1", kamailio.port()).localIp("127.0.0.1")
                    .localPort(callerPort).service("102").calls(1).pauseMs(1500).set("caller", "101")
                    .set("domain", Kamailio.DOMAIN).auth("101", "pw101").timeoutSeconds(30).timeoutError(true)
                    .run(Duration.ofSeconds(40));
            assertThat(call.succeeded()).as(call.describe() + "\n" + kamailio.log()).isTrue();
            assertThat(callee.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(tollgate.jdbc().queryForObject(
                "SELECT count(*) FROM acc_event WHERE nas_name = 'kamailio' AND called_station_id LIKE 'sip:102@%'",
                Integer.class)).as(() -> "stored: " + tollgate.jdbc().queryForList(
                        "SELECT nas_name, status, called_station_id, calling_station_id, attributes FROM acc_event")
                        + "\n" + kamailio.log()).isGreaterThanOrEqualTo(2));
        List<Map<String, Object>> rows = tollgate.jdbc().queryForList("""
                SELECT status, sip_src_ip, sip_src_port, event_time, received_at,
                       extract(microseconds FROM event_time)::bigint % 1000000 AS micros, sip_method, sip_response_code
                  FROM acc_event WHERE nas_name = 'kamailio' AND called_station_id LIKE 'sip:102@%'
                 ORDER BY event_time""");
        assertThat(rows).extracting(r -> r.get("status")).containsExactly("START", "STOP");
        Map<String, Object> start = rows.get(0);
        assertThat(start).containsEntry("sip_src_ip", "127.0.0.1").containsEntry("sip_src_port", callerPort)
                .containsEntry("sip_method", "INVITE").containsEntry("sip_response_code", 200);
        for (Map<String, Object> r : rows) {
            Instant at = ((java.sql.Timestamp) r.get("event_time")).toInstant();
            Instant received = ((java.sql.Timestamp) r.get("received_at")).toInstant();
            assertThat(at).as("Kamailio's own time, not the receive time").isAfter(before).isBeforeOrEqualTo(received);
            assertThat((Long) r.get("micros")).as("rad_time_mode 1: microseconds kept").isNotZero();
        }
        assertThat(tollgate.cli("batch", "run", "--until", "now")).isZero();
        assertThat(tollgate.jdbc().queryForList("""
                SELECT disposition, duration_seconds FROM cdr WHERE callee LIKE '%102%' AND caller LIKE '%101%'"""))
                .singleElement().satisfies(c -> {
                    assertThat(c.get("disposition")).isEqualTo("ANSWERED");
                    assertThat(((Number) c.get("duration_seconds")).longValue()).isBetween(1L, 4L);
                });
    }
}
