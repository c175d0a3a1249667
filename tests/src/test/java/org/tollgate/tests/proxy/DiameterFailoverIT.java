package org.tollgate.tests.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneOffset;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.api.Money;
import org.tollgate.prepaid.account.PrepaidAccountIndex;
import org.tollgate.prepaid.account.PrepaidAccounts;
import org.tollgate.prepaid.ledger.EntryKind;
import org.tollgate.prepaid.ledger.JdbcLedger;
import org.tollgate.proxy.aaa.diameter.DiameterClient;
import org.tollgate.tests.support.FreeDiameter;
import org.tollgate.tests.support.RatesFile;
import org.tollgate.tests.support.Sipp;
import org.tollgate.tests.support.TollgateInstance;

/**
 * The proxy's Diameter client fails over on Tx (issue 16 §4): its first server, a freeDiameterd,
 * is connected but stops answering (SIGSTOP); every CCR and ACR waits Tx (1 s) for it, then goes to
 * the second server, this instance's own, with the T flag — and the call is granted, accounted and
 * debited once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiameterFailoverIT {

    static final String DOMAIN = "tollgate.test";

    private TollgateInstance tollgate;
    private FreeDiameter silent;
    private int gatewayPort;

    @BeforeAll
    void start() throws Exception {
        gatewayPort = Sipp.freeUdpPort();
        int silentPort = FreeDiameter.freeTcpPort();
        silent = FreeDiameter.server("silent.fd.test", silentPort, "*.localdomain");
        tollgate = new TollgateInstance(
                "tollgate.roles=aaa,diameter,proxy,api",
                "tollgate.diameter.bind-address=127.0.0.1",
                "tollgate.diameter.port=" + FreeDiameter.freeTcpPort(),
                "tollgate.proxy.domains=" + DOMAIN,
                "tollgate.proxy.radius.secret=testing123",
                "tollgate.proxy.accounting.backend=diameter",
                "tollgate.proxy.diameter.servers=127.0.0.1:" + silentPort + "/silent.fd.test,local",
                "tollgate.proxy.diameter.destination-realm=localdomain",
                "tollgate.proxy.diameter.tx-timeout=1s",
                "tollgate.proxy.prepaid.failure-handling=retry-and-terminate",
                "tollgate.proxy.pstn-routes[0].pattern=00[1-9][0-9]+",
                "tollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:" + gatewayPort);
        assertThat(tollgate.cli("plan", "add", "--name", "slow", "--currency", "EUR")).isZero();
        assertThat(tollgate.cli("rates", "import", RatesFile.of("49,Germany,*,0,0.60,1,1,0,0,,\r\n"), "--plan", "slow"))
                .isZero();
        tollgate.bean(PrepaidAccounts.class).create("501@" + DOMAIN, "slow", ZoneOffset.UTC, "EUR", BigDecimal.ZERO,
                BigDecimal.ZERO);
        tollgate.bean(JdbcLedger.class).post("501@" + DOMAIN, EntryKind.TOPUP, Money.of("1.00", "EUR"), "first", null);
        assertThat(tollgate.cli("user", "add", "--name", "501", "--realm", DOMAIN, "--password", "pw-501", "--group",
                "voip", "--group", "pstn")).isZero();
        PrepaidAccountIndex index = tollgate.bean(PrepaidAccountIndex.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> index.isPrepaid("501@" + DOMAIN));
        DiameterClient client = tollgate.bean(DiameterClient.class);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(client.connected("silent.fd.test")).as("the first server: " + silent.log()).isTrue();
            assertThat(client.connected("tollgate.localdomain")).isTrue();
        });
        silent.freeze();
    }

    @AfterAll
    void stop() {
        if (tollgate != null) {
            tollgate.close();
        }
        if (silent != null) {
            silent.close();
        }
    }

    @Test
    void everyRequestFailsOverToTheSecondServerAfterTx() {
        String called = "0049301160001";
        try (Sipp.Running gw = Sipp.scenario("uas.xml").localIp("127.0.0.1").localPort(gatewayPort).calls(1)
                .timeoutSeconds(30).timeoutError(true).start()) {
            Sipp.Result r = Sipp.scenario("uac-auth.xml").remote("127.0.0.1", tollgate.sipPort()).localIp("127.0.0.1")
                    .service(called).calls(1).set("domain", DOMAIN).set("caller", "501").auth("501", "pw-501")
                    .args("-d", "3000").timeoutSeconds(30).timeoutError(true).run(Duration.ofSeconds(40));
            assertThat(r.succeeded()).as(r.describe()).isTrue();
            assertThat(gw.await(Duration.ofSeconds(20)).succeeded()).isTrue();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> tollgate.jdbc().queryForObject(
                "SELECT count(*) FROM acc_event WHERE called_station_id LIKE ? AND status IN ('START', 'STOP')",
                Integer.class, "sip:" + called + "@%") == 2);
        String callId = tollgate.jdbc().queryForObject("SELECT acct_session_id FROM acc_event WHERE status = 'STOP' "
                + "AND called_station_id LIKE ?", String.class, "sip:" + called + "@%");
        // held 3 s: the CCR-TERMINATE debited it, once
        await().atMost(Duration.ofSeconds(20)).until(() -> tollgate.jdbc().queryForObject(
                "SELECT state FROM prepaid_reservation WHERE call_id = ?", String.class, callId).equals("COMMITTED"));
        assertThat(tollgate.jdbc().queryForObject("SELECT source FROM prepaid_reservation WHERE call_id = ?",
                String.class, callId)).isEqualTo("ccr-terminate");
        assertThat(tollgate.jdbc().queryForList("SELECT amount FROM prepaid_ledger WHERE kind = 'CALL' "
                + "AND reference = ?", BigDecimal.class, callId)).singleElement()
                .satisfies(d -> assertThat(d.negate()).isBetween(new BigDecimal("0.02"), new BigDecimal("0.05")));
        MeterRegistry meters = tollgate.bean(MeterRegistry.class);
        assertThat(meters.counter("tollgate_proxy_credit_control", "step", "initial", "result", "2001").count())
                .isEqualTo(1);
    }
}
