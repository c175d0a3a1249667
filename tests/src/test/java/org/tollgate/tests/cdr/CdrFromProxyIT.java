package org.tollgate.tests.cdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollgate.tests.support.Sipp;
import org.tollgate.tests.support.TollgateInstance;

/** The whole chain: SIPp calls through the proxy, accounting over RADIUS, {@code batch run}, CDRs. */
class CdrFromProxyIT {

    static final String DOMAIN = "cdr.example.org";
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
                "tollgate.proxy.pstn-routes[0].pattern=00[1-9][0-9]+",
                "tollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:" + gatewayPort);
        sip = tollgate.sipPort();
    }

    @AfterAll
    static void stop() {
        if (tollgate != null) {
            tollgate.close();
        }
    }

    static Sipp.Builder caller(String scenario, String called) {
        return Sipp.scenario(scenario).remote("127.0.0.1", sip).localIp(TRUSTED).service(called).calls(1)
                .set("domain", DOMAIN).timeoutSeconds(30).timeoutError(true);
    }

    static Sipp.Running gateway(String scenario) {
        return Sipp.scenario(scenario).localIp("127.0.0.1").localPort(gatewayPort).calls(1)
                .timeoutSeconds(40).timeoutError(true).start();
    }

    @Test
    void answeredAndBusyCallsBecomeCdrs() {
        try (Sipp.Running gw = gateway("uas.xml")) {
            Sipp.Result r = caller("uac.xml", "0049301110501").set("caller", "gw1").run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        try (Sipp.Running gw = gateway("uas-busy.xml")) {
            Sipp.Result r = caller("uac-busy.xml", "0049301110502").run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> tollgate.jdbc()
                .queryForObject("SELECT count(*) FROM acc_event WHERE called_station_id LIKE 'sip:00493011105%'", Integer.class) >= 3);

        assertThat(tollgate.cli("-Dtollgate.cdr.settle=0s", "batch", "run")).isZero();

        Map<String, Object> answered = tollgate.jdbc().queryForMap("""
                SELECT disposition, setup_time, answer_time, end_time, billable_seconds, caller, callee, translated_uri,
                       sip_code, repair, cardinality(source_keys) AS sources, nas_name
                  FROM cdr WHERE callee = 'sip:0049301110501@cdr.example.org'""");
        assertThat(answered).containsEntry("disposition", "ANSWERED").containsEntry("sip_code", 200)
                .containsEntry("caller", "sip:gw1@" + DOMAIN).containsEntry("sources", 2)
                .containsEntry("translated_uri", "sip:0049301110501@127.0.0.1:" + gatewayPort)
                .containsEntry("nas_name", "tollgate-proxy");
        assertThat(answered.get("repair")).isNull();
        assertThat((Timestamp) answered.get("setup_time")).isNotNull().isBeforeOrEqualTo((Timestamp) answered.get("answer_time"));
        assertThat((Timestamp) answered.get("end_time")).isAfterOrEqualTo((Timestamp) answered.get("answer_time"));

        Map<String, Object> busy = tollgate.jdbc().queryForMap("""
                SELECT disposition, sip_code, sip_reason, setup_time, answer_time, billable_seconds
                  FROM cdr WHERE callee = 'sip:0049301110502@cdr.example.org'""");
        assertThat(busy).containsEntry("disposition", "BUSY").containsEntry("sip_code", 486)
                .containsEntry("sip_reason", "Busy Here").containsEntry("billable_seconds", 0L);
        assertThat(busy.get("answer_time")).isNull();
        assertThat(busy.get("setup_time")).isNotNull();

        // every accounting row is in a CDR or in review
        assertThat(tollgate.jdbc().queryForObject("""
                SELECT count(*) FROM acc_event e
                 WHERE NOT EXISTS (SELECT 1 FROM cdr c WHERE e.record_key = ANY (c.source_keys))
                   AND NOT EXISTS (SELECT 1 FROM cdr_review r WHERE r.record_key = e.record_key)""", Integer.class)).isZero();

        // a bad argument is explained and changes nothing
        assertThat(tollgate.cli("batch", "run", "--date", "2026-13-45")).isEqualTo(2);
        // the run says where it cut off and what it left for the next one; --until now takes everything
        TollgateInstance.CliRun settled = tollgate.cliCaptured("batch", "run");
        assertThat(settled.rc()).as(settled.out() + settled.err()).isZero();
        // the run before read with settle 0 s: this one, 60 s back, has nothing new and says so
        assertThat(settled.out()).contains("nothing new: the last run read up to");
        TollgateInstance.CliRun now = tollgate.cliCaptured("batch", "run", "--until", "now");
        assertThat(now.rc()).as(now.err()).isZero();
        assertThat(now.out()).contains("0 record(s) stored after it left for the next run");
    }
}
