package org.tollgate.tests.radius;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.api.Money;
import org.tollgate.api.rating.Usage;
import org.tollgate.prepaid.account.PrepaidAccountIndex;
import org.tollgate.prepaid.account.PrepaidAccounts;
import org.tollgate.prepaid.ledger.EntryKind;
import org.tollgate.prepaid.ledger.JdbcLedger;
import org.tollgate.rating.CachedRatingService;
import org.tollgate.tests.bench.RadiusPackets;
import org.tollgate.tests.support.RatesFile;
import org.tollgate.tests.support.Radclient;
import org.tollgate.tests.support.TollgateInstance;

/**
 * Prepaid over RADIUS against FreeRADIUS's radclient: what a gateway, a Kamailio with
 * auth_radius and acc, a Cisco voice gateway and Tollgate's own proxy (a client allowed to
 * authorize alone) ask, and what they get — Session-Timeout from the balance and the plan's
 * increments, the reasons of a refusal, Cisco's h323-* VSAs, re-authorization, Interim-Update,
 * Stop debiting exactly the rating function's price, once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrepaidRadiusIT {

    static final String GW = "testing123";             // 127.0.0.1: a gateway that authenticates its callers (README)
    static final String PROXY = "proxy-secret";        // 127.0.0.2: may authorize without credentials
    static final String CISCO = "cisco-secret";        // 127.0.0.3: --type cisco
    static final String KAMAILIO = "kamailio-secret";  // 127.0.0.4: auth_radius + acc, no Message-Authenticator
    static final String GERMANY = "4930123456";
    static final String CONF_ID = "3B8F2D5A 1C2E11D6 8012A3F1 6D5E1D28";

    private TollgateInstance tollgate;
    private JdbcTemplate jdbc;
    private final Radclient radclient = Radclient.withCisco();

    @BeforeAll
    void start() throws Exception {
        tollgate = new TollgateInstance();
        jdbc = tollgate.jdbc();
        // README's example: 0.60 EUR a minute billed by the second (1/1), and the same by the minute (60/60)
        cli("plan", "add", "--name", "retail", "--currency", "EUR");
        cli("rates", "import", RatesFile.of("49,Germany,*,0,0.60,1,1,0,0,,\r\n"), "--plan", "retail");
        cli("plan", "add", "--name", "minutes", "--currency", "EUR");
        cli("rates", "import", RatesFile.of("49,Germany,*,0,0.60,60,60,0,0,,\r\n"), "--plan", "minutes");
        cli("nas", "add", "--name", "gw", "--address", "127.0.0.1", "--secret", GW);
        cli("nas", "add", "--name", "proxy", "--address", "127.0.0.2", "--secret", PROXY, "--prepaid-authorize");
        cli("nas", "add", "--name", "cisco-gw", "--address", "127.0.0.3", "--secret", CISCO, "--type", "cisco");
        cli("nas", "add", "--name", "kamailio", "--address", "127.0.0.4", "--secret", KAMAILIO, "--type", "kamailio",
                "--no-require-message-authenticator");
        // README's account, as README makes it
        cli("account", "add", "--name", "1001", "--plan", "retail", "--prepaid", "--currency", "EUR");
        cli("account", "topup", "1001", "1.00", "--reference", "first");
        cli("user", "add", "--name", "1001", "--password", "pin1001");
        prepaid("1002", "minutes", "1.00", "pw-1002");
        prepaid("1003", "retail", null, "pw-1003");
        prepaid("1004", "retail", "1.00", null);
        prepaid("1005", "retail", "1.00", null);
        prepaid("1006", "retail", "1.00", null);
        prepaid("1007", "retail", "1.00", null);
        prepaid("1008", "retail", "1.00", null);
        prepaid("1009", "retail", "1.00", "pw-1009");
        prepaid("5500033440", "retail", "1.00", "1234");
        prepaid("101@kamailio.org", "retail", "1.00", null);
        cli("user", "add", "--name", "101", "--realm", "kamailio.org", "--password", "101");
        cli("account", "add", "--name", "2001", "--plan", "retail");
        cli("user", "add", "--name", "2001", "--password", "pw-2001", "--reply", "Reply-Message=postpaid");
        PrepaidAccountIndex index = tollgate.bean(PrepaidAccountIndex.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> index.isPrepaid("101@kamailio.org") && index.isPrepaid("1001"));
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    /** The others made directly (what {@code account add --prepaid} and {@code account topup} do): the CLI takes seconds a call. */
    private void prepaid(String account, String plan, String topup, String password) {
        tollgate.bean(PrepaidAccounts.class).create(account, plan, ZoneOffset.UTC, "EUR", BigDecimal.ZERO, BigDecimal.ZERO);
        if (topup != null) {
            tollgate.bean(JdbcLedger.class).post(account, EntryKind.TOPUP, Money.of(topup, "EUR"), "first", null);
        }
        if (password != null) {
            cli("user", "add", "--name", account, "--password", password);
        }
    }

    @Test
    void readmesExampleWorksAsWritten() throws Exception {
        List<String> lines = readmeRadclientLines();
        assertThat(lines).hasSize(3);
        String first = run(lines.get(0));
        assertThat(first).contains("Received Access-Accept").contains("Session-Timeout = 100");
        assertThat(run(lines.get(1))).contains("Received Accounting-Response");
        await().atMost(Duration.ofSeconds(5)).until(() -> balance("1001").compareTo(new BigDecimal("0.6000")) == 0);
        assertThat(tollgate.cliCaptured("account", "balance", "1001").out()).contains("0.6000");
        // the debit is the rating function's price for the call
        Map<String, Object> entry = jdbc.queryForMap("""
                SELECT l.amount, r.start_at FROM prepaid_ledger l JOIN account a ON a.id = l.account_id
                  JOIN prepaid_reservation r ON r.account_id = l.account_id AND r.call_id = l.reference
                 WHERE a.name = '1001' AND l.kind = 'CALL'""");
        BigDecimal price = tollgate.bean(CachedRatingService.class).price(new Usage("1001", GERMANY,
                ((java.sql.Timestamp) entry.get("start_at")).toInstant(), 40)).cost();
        assertThat(((BigDecimal) entry.get("amount")).negate()).isEqualByComparingTo(price).isEqualByComparingTo("0.40");
        String cisco = run(lines.get(2));
        assertThat(cisco).contains("Received Access-Accept").contains("Session-Timeout = 60")
                .contains("h323-credit-time = \"h323-credit-time=60\"")
                .contains("h323-credit-amount = \"h323-credit-amount=0.60\"")
                .contains("h323-return-code = \"h323-return-code=0\"");
    }

    @Test
    void aPlanBilledByTheMinuteGrantsWholeMinutes() {
        Radclient.Result r = gw("1002", "pw-1002", "m-1", GERMANY);
        assertThat(r.accepted()).as(r.output()).isTrue();
        assertThat(r.output()).contains("Session-Timeout = 60").contains("SIP-AVP = \"session_timeout#60\"")
                .doesNotContain("h323-");
    }

    @Test
    void aUserWithoutMoneyIsRejectedSayingWhy() {
        Radclient.Result r = gw("1003", "pw-1003", "broke-1", GERMANY);
        assertThat(r.rejected()).as(r.output()).isTrue();
        assertThat(r.output()).contains("Reply-Message = \"insufficient credit");
        Radclient.Result cisco = radclient.send(tollgate.authPort(), "auth", CISCO, "User-Name = \"1003\", "
                + "User-Password = \"pw-1003\", Called-Station-Id = \"" + GERMANY + "\", h323-conf-id = \"h323-conf-id=B1\", "
                + "Message-Authenticator = 0x00", "127.0.0.3");
        assertThat(cisco.rejected()).as(cisco.output()).isTrue();
        assertThat(cisco.output()).contains("h323-return-code = \"h323-return-code=4\"");
        assertThat(heldFor("1003")).isEqualByComparingTo("0");
    }

    @Test
    void aDestinationWithoutARateIsRejected() {
        Radclient.Result r = gw("1009", "pw-1009", "fr-1", "3312345678");
        assertThat(r.rejected()).as(r.output()).isTrue();
        assertThat(r.output()).contains("Reply-Message = \"no rate for the destination");
        Radclient.Result cisco = radclient.send(tollgate.authPort(), "auth", CISCO, "User-Name = \"1009\", "
                + "User-Password = \"pw-1009\", Called-Station-Id = \"3312345678\", h323-conf-id = \"h323-conf-id=F1\", "
                + "Message-Authenticator = 0x00", "127.0.0.3");
        assertThat(cisco.output()).contains("Received Access-Reject").contains("h323-return-code = \"h323-return-code=9\"");
    }

    @Test
    void anUnknownAccountIsRejected() {
        Radclient.Result r = proxy("User-Name = \"nobody\", Called-Station-Id = \"" + GERMANY + "\", "
                + "Acct-Session-Id = \"u-1\"");
        assertThat(r.rejected()).as(r.output()).isTrue();
        assertThat(r.output()).contains("Reply-Message = \"unknown account nobody\"");
        // a Cisco gateway authenticates the card first: an unknown card is its return code 1
        Radclient.Result cisco = radclient.send(tollgate.authPort(), "auth", CISCO, "User-Name = \"9999\", "
                + "User-Password = \"0000\", Called-Station-Id = \"" + GERMANY + "\", h323-conf-id = \"h323-conf-id=U1\", "
                + "Message-Authenticator = 0x00", "127.0.0.3");
        assertThat(cisco.output()).contains("Received Access-Reject").contains("h323-return-code = \"h323-return-code=1\"");
    }

    @Test
    void ciscoVsasInAndOutTheOutgoingLegIsTheCall() {
        Radclient.Result r = radclient.send(tollgate.authPort(), "auth", CISCO, "User-Name = \"5500033440\", "
                + "User-Password = \"1234\", Called-Station-Id = \"" + GERMANY + "\", "
                + "Cisco-AVPair = \"h323-conf-id=" + CONF_ID + "\", h323-conf-id = \"h323-conf-id=" + CONF_ID + "\", "
                + "Message-Authenticator = 0x00", "127.0.0.3");
        assertThat(r.accepted()).as(r.output()).isTrue();
        assertThat(r.output()).contains("Session-Timeout = 100", "h323-credit-time = \"h323-credit-time=100\"",
                "h323-credit-amount = \"h323-credit-amount=1.00\"", "h323-currency = \"h323-currency=EUR\"",
                "h323-billing-model = \"h323-billing-model=1\"", "h323-return-code = \"h323-return-code=0\"");
        Radclient.Result wrongPin = radclient.send(tollgate.authPort(), "auth", CISCO, "User-Name = \"5500033440\", "
                + "User-Password = \"9999\", Called-Station-Id = \"" + GERMANY + "\", h323-conf-id = \"h323-conf-id=W1\", "
                + "Message-Authenticator = 0x00", "127.0.0.3");
        assertThat(wrongPin.output()).contains("Received Access-Reject").contains("h323-return-code = \"h323-return-code=2\"");
        // each leg has its own Acct-Session-Id; the incoming leg includes the IVR's time and is not the call
        String common = "User-Name = \"5500033440\", Called-Station-Id = \"" + GERMANY + "\", h323-conf-id = \"h323-conf-id="
                + CONF_ID + "\", ";
        assertThat(radclient.send(tollgate.acctPort(), "acct", CISCO, common + "Acct-Status-Type = Stop, "
                + "Acct-Session-Id = \"0000001A\", h323-call-origin = \"h323-call-origin=answer\", Acct-Session-Time = 75",
                "127.0.0.3").accountingAnswered()).isTrue();
        assertThat(radclient.send(tollgate.acctPort(), "acct", CISCO, common + "Acct-Status-Type = Stop, "
                + "Acct-Session-Id = \"0000001B\", h323-call-origin = \"h323-call-origin=originate\", Acct-Session-Time = 40",
                "127.0.0.3").accountingAnswered()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> balance("5500033440").compareTo(new BigDecimal("0.6000")) == 0);
        assertThat(jdbc.queryForObject("SELECT reference FROM prepaid_ledger l JOIN account a ON a.id = l.account_id "
                + "WHERE a.name = '5500033440' AND l.kind = 'CALL'", String.class)).isEqualTo(CONF_ID);
    }

    @Test
    void aSecondAccessRequestReauthorizesAndItsRepetitionGetsTheSameAnswer() {
        String call = "User-Name = \"1004\", Called-Station-Id = \"" + GERMANY + "\", Acct-Session-Id = \"r-1\"";
        Radclient.Result first = proxy(call);
        assertThat(first.output()).contains("Received Access-Accept").contains("Session-Timeout = 100");
        Radclient.Result again = proxy(call + ", Acct-Session-Time = 50");
        assertThat(again.output()).contains("Received Access-Accept").contains("Session-Timeout = 50");
        Radclient.Result retried = proxy(call + ", Acct-Session-Time = 50");
        assertThat(retried.output()).contains("Received Access-Accept").contains("Session-Timeout = 50");
        Map<String, Object> res = reservation("1004", "r-1");
        assertThat(res).containsEntry("state", "OPEN").containsEntry("used_seconds", 50L).containsEntry("seq", 51);
        assertThat((BigDecimal) res.get("held")).isEqualByComparingTo("1.00");
        assertThat(heldFor("1004")).isEqualByComparingTo("1.00");
        stop(PROXY, "127.0.0.2", "1004", "r-1", 60);
        await().atMost(Duration.ofSeconds(5)).until(() -> balance("1004").compareTo(new BigDecimal("0.4000")) == 0);
        assertThat(heldFor("1004")).isEqualByComparingTo("0");
    }

    @Test
    void anInterimUpdateReportsAndTheReservationFollowsTheCall() {
        Radclient.Result r = proxy("User-Name = \"1005\", Called-Station-Id = \"" + GERMANY + "\", Acct-Session-Id = \"i-1\"");
        assertThat(r.output()).contains("Session-Timeout = 100");
        assertThat(radclient.send(tollgate.acctPort(), "acct", PROXY, "Acct-Status-Type = Interim-Update, "
                + "User-Name = \"1005\", Called-Station-Id = \"" + GERMANY + "\", Acct-Session-Id = \"i-1\", "
                + "Acct-Session-Time = 30", "127.0.0.2").accountingAnswered()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> ((Number) reservation("1005", "i-1").get("used_seconds")).longValue() == 30);
        assertThat(reservation("1005", "i-1")).containsEntry("seq", 31).containsEntry("answered", true);
        stop(PROXY, "127.0.0.2", "1005", "i-1", 45);
        await().atMost(Duration.ofSeconds(5)).until(() -> balance("1005").compareTo(new BigDecimal("0.5500")) == 0);
        assertThat(reservation("1005", "i-1")).containsEntry("state", "COMMITTED");
    }

    @Test
    void aRetransmittedStopDebitsOnce() {
        assertThat(proxy("User-Name = \"1006\", Called-Station-Id = \"" + GERMANY + "\", Acct-Session-Id = \"s-1\"").output())
                .contains("Session-Timeout = 100");
        stop(PROXY, "127.0.0.2", "1006", "s-1", 40);
        stop(PROXY, "127.0.0.2", "1006", "s-1", 40);
        await().atMost(Duration.ofSeconds(5)).until(() -> balance("1006").compareTo(new BigDecimal("0.6000")) == 0);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> balance("1006").compareTo(new BigDecimal("0.6000")) == 0);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM prepaid_ledger l JOIN account a ON a.id = l.account_id "
                + "WHERE a.name = '1006' AND l.kind = 'CALL'", Integer.class)).isEqualTo(1);
    }

    @Test
    void aClientNotAllowedToAuthorizeAloneCannotWithoutCredentials() {
        Radclient.Result r = radclient.send(tollgate.authPort(), "auth", GW, "User-Name = \"1007\", Called-Station-Id = \""
                + GERMANY + "\", Acct-Session-Id = \"n-1\", Message-Authenticator = 0x00");
        assertThat(r.rejected()).as(r.output()).isTrue();
        assertThat(r.output()).contains("may not authorize without credentials");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM prepaid_reservation r JOIN account a ON a.id = r.account_id "
                + "WHERE a.name = '1007'", Integer.class)).isZero();
        // the same request from the client allowed to is authorized
        Radclient.Result allowed = proxy("User-Name = \"1007\", Called-Station-Id = \"" + GERMANY + "\", "
                + "Acct-Session-Id = \"n-1\"");
        assertThat(allowed.output()).contains("Received Access-Accept").contains("Session-Timeout = 100");
    }

    @Test
    void aPostpaidAccountIsAnsweredAsBeforeWithoutALimit() {
        Radclient.Result r = gw("2001", "pw-2001", "p-1", GERMANY);
        assertThat(r.accepted()).as(r.output()).isTrue();
        assertThat(r.output()).contains("Reply-Message = \"postpaid\"").doesNotContain("Session-Timeout");
        Radclient.Result alone = proxy("User-Name = \"2001\", Called-Station-Id = \"" + GERMANY + "\", Acct-Session-Id = \"p-2\"");
        assertThat(alone.accepted()).as(alone.output()).isTrue();
        assertThat(alone.output()).doesNotContain("Session-Timeout");
    }

    @Test
    void kamailiosDigestRequestWithExtraAvpsThenItsAccountingDebitsAndTheCdrAgrees() throws Exception {
        // auth_radius: User-Name user@realm, draft-sterman Digest, Service-Type Sip-Session, Sip-Uri-User, the
        // Call-ID as Cisco-AVPair "call-id=…" (added when the dictionary knows Cisco-AVPair), and auth_extra
        // "Called-Station-Id=$ru"
        String uri = "sip:004930123456@kamailio.org";
        String nonce = "5f1b2c3d4e";
        String response = md5(md5("101:kamailio.org:101") + ":" + nonce + ":" + md5("INVITE:" + uri));
        String callId = "kam-call-1@10.0.0.1";
        Radclient.Result r = radclient.send(tollgate.authPort(), "auth", KAMAILIO, "User-Name = \"101@kamailio.org\", "
                + "Digest-User-Name = \"101\", Digest-Realm = \"kamailio.org\", Digest-Nonce = \"" + nonce + "\", "
                + "Digest-URI = \"" + uri + "\", Digest-Method = \"INVITE\", Digest-Response = \"" + response + "\", "
                + "Service-Type = Sip-Session, Sip-Uri-User = \"101\", Cisco-AVPair = \"call-id=" + callId + "\", "
                + "Called-Station-Id = \"" + uri + "\"", "127.0.0.4");
        assertThat(r.accepted()).as(r.output()).isTrue();
        assertThat(r.output()).contains("Session-Timeout = 100").contains("SIP-AVP = \"session_timeout#100\"")
                .doesNotContain("h323-");
        Radclient.Result badDigest = radclient.send(tollgate.authPort(), "auth", KAMAILIO, "User-Name = \"101@kamailio.org\", "
                + "Digest-User-Name = \"101\", Digest-Realm = \"kamailio.org\", Digest-Nonce = \"" + nonce + "\", "
                + "Digest-URI = \"" + uri + "\", Digest-Method = \"INVITE\", Digest-Response = \"" + md5("wrong") + "\", "
                + "Service-Type = Sip-Session, Cisco-AVPair = \"call-id=kam-call-2\", Called-Station-Id = \"" + uri + "\"",
                "127.0.0.4");
        assertThat(badDigest.rejected()).as(badDigest.output()).isTrue();
        // auth_extra goes with a REGISTER too: that is no call, it is authenticated as always
        String register = "sip:kamailio.org";
        String registerResponse = md5(md5("101:kamailio.org:101") + ":" + nonce + ":" + md5("REGISTER:" + register));
        Radclient.Result reg = radclient.send(tollgate.authPort(), "auth", KAMAILIO, "User-Name = \"101@kamailio.org\", "
                + "Digest-User-Name = \"101\", Digest-Realm = \"kamailio.org\", Digest-Nonce = \"" + nonce + "\", "
                + "Digest-URI = \"" + register + "\", Digest-Method = \"REGISTER\", Digest-Response = \"" + registerResponse
                + "\", Service-Type = Sip-Session, Cisco-AVPair = \"call-id=reg-1\", Called-Station-Id = \"" + register + "\"",
                "127.0.0.4");
        assertThat(reg.accepted()).as(reg.output()).isTrue();
        assertThat(reg.output()).doesNotContain("Session-Timeout");

        // acc: Start and Stop (in the call's direction), no Acct-Session-Time: timed from Start to Stop
        Instant answered = LocalDate.now(ZoneOffset.UTC).minusDays(1).atTime(10, 0).toInstant(ZoneOffset.UTC);
        String acc = "Service-Type = Sip-Session, Acct-Session-Id = \"" + callId + "\", User-Name = \"101@kamailio.org\", "
                + "Calling-Station-Id = \"sip:101@kamailio.org\", Called-Station-Id = \"" + uri + "\", "
                + "Sip-From-Tag = \"f-101\", Sip-To-Tag = \"t-gw\", Sip-Response-Code = 200, ";
        assertThat(radclient.send(tollgate.acctPort(), "acct", KAMAILIO, acc + "Acct-Status-Type = Start, "
                + "Sip-Method = INVITE, Event-Timestamp = " + answered.getEpochSecond(), "127.0.0.4").accountingAnswered()).isTrue();
        assertThat(radclient.send(tollgate.acctPort(), "acct", KAMAILIO, acc + "Acct-Status-Type = Stop, "
                + "Sip-Method = BYE, Event-Timestamp = " + answered.plusSeconds(40).getEpochSecond(), "127.0.0.4")
                .accountingAnswered()).isTrue();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> balance("101@kamailio.org").compareTo(new BigDecimal("0.6000")) == 0);

        // the nightly batch prices the CDR as prepaid debited it: the reconciliation finds nothing
        String day = answered.atZone(ZoneOffset.UTC).toLocalDate().toString();
        cli("batch", "run", "--date", day, "--until", Instant.now().toString());
        assertThat(jdbc.queryForObject("SELECT p.cost FROM cdr c JOIN cdr_price p USING (cdr_key) WHERE c.call_id = ?",
                BigDecimal.class, callId)).isEqualByComparingTo("0.40");
        Path out = Files.createTempFile("reconciliation", ".csv");
        Files.delete(out);
        cli("report", "reconciliation", "--from", day, "--to", day, "--account", "101@kamailio.org", "--out", out.toString());
        List<String> rows = Files.readAllLines(out);
        assertThat(rows.subList(1, rows.size())).as("only the header and the total").hasSizeLessThanOrEqualTo(1)
                .allSatisfy(row -> assertThat(row).doesNotContain(callId));
    }

    @Test
    void anExactRetransmissionIsAnsweredWithTheSameBytesWithoutAskingAgain() throws Exception {
        byte[] request = new RadiusPackets().string(1, "1008").string(30, GERMANY).string(44, "x-1")
                .accessWithoutPassword(77, PROXY.getBytes(StandardCharsets.UTF_8));
        double before = tollgate.metrics().prepaidCount("authorize", "granted");
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.2"))) {
            socket.setSoTimeout(5_000);
            byte[] first = exchange(socket, request);
            byte[] second = exchange(socket, request);
            assertThat(first[0]).isEqualTo((byte) 2); // Access-Accept
            assertThat(second).isEqualTo(first);
        }
        assertThat(tollgate.metrics().prepaidCount("authorize", "granted")).isEqualTo(before + 1);
        assertThat(reservation("1008", "x-1")).containsEntry("state", "OPEN");
    }

    @Test
    void anExactAccountingRetransmissionIsAnsweredAgainAndCountedAsADuplicate() throws Exception {
        // as radcli retransmits: the same bytes, so the same Identifier and authenticator
        byte[] request = new RadiusPackets().integer(40, 3).string(44, "retransmitted-1").string(1, "1009")
                .accounting(91, PROXY.getBytes(StandardCharsets.UTF_8));
        var meters = tollgate.bean(io.micrometer.core.instrument.MeterRegistry.class);
        double stored = meters.counter("tollgate.radius.requests", "result", "stored", "type", "accounting-interim_update").count();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.2"))) {
            socket.setSoTimeout(5_000);
            byte[] first = exchange(socket, request, tollgate.acctPort());
            byte[] second = exchange(socket, request, tollgate.acctPort());
            assertThat(first[0]).isEqualTo((byte) 5); // Accounting-Response
            assertThat(second).isEqualTo(first);
        }
        assertThat(meters.counter("tollgate.radius.requests", "result", "stored", "type", "accounting-interim_update").count())
                .isEqualTo(stored + 1);
        assertThat(meters.counter("tollgate.radius.requests", "result", "duplicate", "type", "accounting-interim_update")
                .count()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM acc_event WHERE acct_session_id = 'retransmitted-1'",
                Integer.class)).isEqualTo(1);
    }

    // --- helpers ---

    private byte[] exchange(DatagramSocket socket, byte[] request) throws IOException {
        return exchange(socket, request, tollgate.authPort());
    }

    private byte[] exchange(DatagramSocket socket, byte[] request, int port) throws IOException {
        socket.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), port));
        DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
        socket.receive(in);
        return Arrays.copyOf(in.getData(), in.getLength());
    }

    private Radclient.Result gw(String user, String password, String callId, String called) {
        return radclient.send(tollgate.authPort(), "auth", GW, "User-Name = \"" + user + "\", User-Password = \"" + password
                + "\", Called-Station-Id = \"" + called + "\", Acct-Session-Id = \"" + callId + "\", Message-Authenticator = 0x00");
    }

    private Radclient.Result proxy(String attributes) {
        return radclient.send(tollgate.authPort(), "auth", PROXY, attributes + ", Message-Authenticator = 0x00", "127.0.0.2");
    }

    private void stop(String secret, String source, String user, String callId, int seconds) {
        Radclient.Result r = radclient.send(tollgate.acctPort(), "acct", secret, "Acct-Status-Type = Stop, User-Name = \""
                + user + "\", Called-Station-Id = \"" + GERMANY + "\", Acct-Session-Id = \"" + callId + "\", "
                + "Acct-Session-Time = " + seconds, source);
        assertThat(r.accountingAnswered()).as(r.output()).isTrue();
    }

    private BigDecimal balance(String account) {
        return jdbc.queryForObject("SELECT p.balance FROM prepaid_account p JOIN account a ON a.id = p.account_id "
                + "WHERE a.name = ?", BigDecimal.class, account);
    }

    private BigDecimal heldFor(String account) {
        return jdbc.queryForObject("SELECT p.reserved FROM prepaid_account p JOIN account a ON a.id = p.account_id "
                + "WHERE a.name = ?", BigDecimal.class, account);
    }

    private Map<String, Object> reservation(String account, String callId) {
        return jdbc.queryForMap("SELECT r.* FROM prepaid_reservation r JOIN account a ON a.id = r.account_id "
                + "WHERE a.name = ? AND r.call_id = ?", account, callId);
    }

    private void cli(String... args) {
        assertThat(tollgate.cli(args)).as(String.join(" ", args)).isZero();
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** The radclient commands of README's "Prepaid over RADIUS" example, as written. */
    private static List<String> readmeRadclientLines() throws IOException {
        Path readme = Path.of("").toAbsolutePath().getParent().resolve("README.md");
        String text = Files.readString(readme);
        int section = text.indexOf("- **Prepaid over RADIUS**");
        assertThat(section).as("README has the section").isPositive();
        int end = text.indexOf("\n- **", section + 1);
        List<String> out = new ArrayList<>();
        for (String line : text.substring(section, end).split("\n")) {
            String l = line.strip();
            if (l.startsWith("echo '") && l.contains("| radclient -x 127.0.0.1 ")) {
                out.add(l);
            }
        }
        return out;
    }

    /** Runs a README radclient line against this instance's ports (README's 127.0.0.1 means the default ports). */
    private String run(String line) throws Exception {
        String command = line.replace("radclient -x 127.0.0.1 auth", "radclient -x 127.0.0.1:" + tollgate.authPort() + " auth")
                .replace("radclient -x 127.0.0.1 acct", "radclient -x 127.0.0.1:" + tollgate.acctPort() + " acct");
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
