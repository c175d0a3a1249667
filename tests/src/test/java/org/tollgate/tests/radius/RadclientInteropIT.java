package org.tollgate.tests.radius;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.aaa.radius.server.RadiusMetrics;
import org.tollgate.tests.support.Radclient;
import org.tollgate.tests.support.TollgateInstance;

/** The running server, provisioned through the CLI, driven by FreeRADIUS's radclient. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RadclientInteropIT {

    // the tutorial's users file as it prints it (its AVP, group and authentication entries, then its
    // test user), and FreeRADIUS's own example user bob
    private static final String TUTORIAL_USERS = """
            ### --- avps ---
            101@kamailio.org Auth-Type := Accept, Service-Type == "SIP-Callee-AVPs"
            \tSip-Avp += "#3#1",
            \tSip-Avp += "#4:08:00",
            \tSip-Avp += "#5:16:00",
            \tSip-Avp += "#6:Mon,Wed,Thu,Fri"

            102@kamailio.org Auth-Type := Accept, Service-Type == "SIP-Callee-AVPs"
            \tSip-Avp += "#3#1",
            \tSip-Avp += "#4:08:00",
            \tSip-Avp += "#5:16:00",
            \tSip-Avp += "#6:Mon,Wed,Thu,Free"

            DEFAULT Auth-Type := Accept, Service-Type == "SIP-Callee-AVPs"

            ### --- group checking ---
            ### --- user 101 ---
            101@kamailio.org Auth-Type := Accept, Sip-Group == "voip", Service-Type == "Group-Check"
            \tReply-Message = "Authorized"

            101@kamailio.org Auth-Type := Accept, Sip-Group == "pstn", Service-Type == "Group-Check"
            \tReply-Message = "Authorized"

            ### --- user 102 ---
            102@kamailio.org Auth-Type := Accept, Sip-Group == "voip", Service-Type == "Group-Check"
            \tReply-Message = "Authorized"

            DEFAULT Auth-Type := Reject, Service-Type == "Group-Check"

            ### --- user authentication ---
            101@kamailio.org Auth-Type := Digest, User-Password == "101"
            \tReply-Message = "Authenticated",
            \tSip-Avp += "rpid:101",
            \tSip-Avp += "#2:192.168.2.10",
            \tSip-Avp += "#2:192.168.2.11"

            102@kamailio.org Auth-Type := Digest, User-Password == "102"
            \tReply-Message = "Authenticated",
            \tSip-Avp += "rpid:102",
            \tSip-Avp += "#2:192.168.2.12"

            test Auth-Type := Digest, User-Password == "test"
            \tReply-Message = "Hello, test with digest"

            bob Cleartext-Password := "hello"
            \tReply-Message := "Hello, bob"
            """;

    // the tutorial's digest request, word for word
    private static final String TUTORIAL_DIGEST = """
            User-Name = "test", Digest-Response = "631d6d73147add2f9e437f59bbc3aeb7", \
            Digest-Realm = "testrealm", Digest-Nonce = "1234abcd" , \
            Digest-Method = "INVITE", Digest-URI = "sip:5555551212@example.com", \
            Digest-Algorithm = "MD5", Digest-User-Name = "test"
            """;

    private TollgateInstance tollgate;
    private final Radclient radclient = new Radclient();

    @BeforeAll
    void start() throws Exception {
        tollgate = new TollgateInstance();
        // 127.0.0.1 is a Kamailio-like client of the tutorial era (no Message-Authenticator);
        // 127.0.0.2 requires it; 127.0.0.3 has the default, auto (required once it has sent one)
        assertThat(tollgate.cli("nas", "add", "--name", "kamailio", "--address", "127.0.0.1", "--secret", "testing123",
                "--type", "kamailio", "--no-require-message-authenticator")).isZero();
        assertThat(tollgate.cli("nas", "add", "--name", "strict", "--address", "127.0.0.2", "--secret", "strict-secret",
                "--message-authenticator", "yes")).isZero();
        assertThat(tollgate.cli("nas", "add", "--name", "learner", "--address", "127.0.0.3", "--secret", "auto-secret"))
                .isZero();
        assertThat(tollgate.cli("nas", "add", "--name", "bad", "--address", "127.0.0.4", "--secret", "s",
                "--message-authenticator", "maybe")).as("a bad policy is explained").isEqualTo(2);
        Path users = Files.createTempFile("users", "");
        Files.writeString(users, TUTORIAL_USERS);
        // as-is: no --realm, names matched as written
        assertThat(tollgate.cli("import", "freeradius-users", users.toString())).isZero();
        assertThat(tollgate.cli("user", "add", "--name", "alice", "--realm", "example.com", "--password", "wonderland",
                "--group", "voip", "--reply", "Reply-Message=Welcome Alice", "--reply", "Session-Timeout=3600")).isZero();
        assertThat(tollgate.cli("user", "add", "--name", "carol", "--password", "chap-pass", "--chap")).isZero();
        assertThat(tollgate.cli("user", "add", "--name", "mallory", "--password", "m-pass")).isZero();
        assertThat(tollgate.cli("user", "suspend", "--name", "mallory")).isZero();
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    @Test
    void tutorialDigestRequestIsAcceptedWithItsReply() {
        Radclient.Result r = radclient.sendFile(tollgate.authPort(), "auth", "testing123", TUTORIAL_DIGEST);
        assertThat(r.accepted()).as(r.output()).isTrue();
        assertThat(r.output()).contains("Reply-Message = \"Hello, test with digest\"")
                .contains("Message-Authenticator = 0x");
    }

    @Test
    void theTutorialsTestUserAnswersADigestRequestForAnyRealm() {
        // the file gives test no realm: FreeRADIUS answers whatever realm the request names
        String otherRealm = digestRequest("test", "test", "elsewhere.net", "test");
        Radclient.Result r = radclient.send(tollgate.authPort(), "auth", "testing123", otherRealm);
        assertThat(r.accepted()).as(r.output()).isTrue();
        Radclient.Result wrong = radclient.send(tollgate.authPort(), "auth", "testing123",
                digestRequest("test", "test", "elsewhere.net", "not-test"));
        assertThat(wrong.rejected()).as(wrong.output()).isTrue();
    }

    @Test
    void aKamailioDigestRequestFor101IsAcceptedWithItsAvps() {
        // auth_radius: User-Name user@realm, Digest-User-Name and Digest-Realm apart
        Radclient.Result r = radclient.send(tollgate.authPort(), "auth", "testing123",
                digestRequest("101@kamailio.org", "101", "kamailio.org", "101"));
        assertThat(r.accepted()).as(r.output()).isTrue();
        assertThat(r.output()).contains("Reply-Message = \"Authenticated\"").contains("rpid:101")
                .contains("#2:192.168.2.11");
    }

    @Test
    void papForBobAsFreeradiusExampleUser() {
        Radclient.Result ok = radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"bob\", User-Password = \"hello\"");
        assertThat(ok.accepted()).as(ok.output()).isTrue();
        assertThat(ok.output()).contains("Reply-Message = \"Hello, bob\"");
        Radclient.Result bad = radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"bob\", User-Password = \"goodbye\"");
        assertThat(bad.rejected()).as(bad.output()).isTrue();
        Radclient.Result realm = radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"bob@example.com\", User-Password = \"hello\"");
        assertThat(realm.rejected()).as("the entry is bob, not bob@example.com: " + realm.output()).isTrue();
    }

    @Test
    void calleeAvpsAnsweredPerUserAndByTheDefaultEntry() {
        Radclient.Result u102 = radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"102@kamailio.org\", Service-Type = SIP-Callee-AVPs");
        assertThat(u102.accepted()).as(u102.output()).isTrue();
        assertThat(u102.output()).contains("#6:Mon,Wed,Thu,Free");
        Radclient.Result other = radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"555@kamailio.org\", Service-Type = SIP-Callee-AVPs");
        assertThat(other.accepted()).as("DEFAULT Auth-Type := Accept: " + other.output()).isTrue();
        assertThat(other.output()).doesNotContain("Sip-Avp");
    }

    /** A Digest request as radclient sends it, with the response a client knowing {@code password} computes. */
    private static String digestRequest(String userName, String digestUser, String realm, String password) {
        String nonce = "4f3e2d1c";
        String uri = "sip:102@kamailio.org";
        String ha1 = org.tollgate.aaa.radius.Md5.hex(digestUser + ":" + realm + ":" + password);
        String response = org.tollgate.aaa.radius.Md5.hex(ha1 + ":" + nonce + ":"
                + org.tollgate.aaa.radius.Md5.hex("INVITE:" + uri));
        return "User-Name = \"" + userName + "\", Digest-Response = \"" + response + "\", Digest-Realm = \"" + realm
                + "\", Digest-Nonce = \"" + nonce + "\", Digest-Method = \"INVITE\", Digest-URI = \"" + uri
                + "\", Digest-Algorithm = \"MD5\", Digest-User-Name = \"" + digestUser + "\"";
    }

    @Test
    void digestWithAWrongResponseIsRejected() {
        Radclient.Result r = radclient.sendFile(tollgate.authPort(), "auth", "testing123",
                TUTORIAL_DIGEST.replace("631d6d73147add2f9e437f59bbc3aeb7", "00000000000000000000000000000000"));
        assertThat(r.rejected()).as(r.output()).isTrue();
    }

    @Test
    void papAcceptsTheRightPasswordWithRepliesAndRejectsAWrongOne() {
        Radclient.Result ok = radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"alice@example.com\", User-Password = \"wonderland\"");
        assertThat(ok.accepted()).as(ok.output()).isTrue();
        assertThat(ok.output()).contains("Reply-Message = \"Welcome Alice\"").contains("Session-Timeout = 3600");

        Radclient.Result bad = radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"alice@example.com\", User-Password = \"guess\"");
        assertThat(bad.rejected()).as(bad.output()).isTrue();
        assertThat(bad.output()).contains("Message-Authenticator = 0x");
    }

    @Test
    void chapWorksForAUserWhosePasswordIsKeptForIt() {
        Radclient.Result ok = radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"carol\", CHAP-Password = \"chap-pass\"");
        assertThat(ok.accepted()).as(ok.output()).isTrue();
        Radclient.Result bad = radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"carol\", CHAP-Password = \"nope\"");
        assertThat(bad.rejected()).as(bad.output()).isTrue();
        // alice has no cleartext password: CHAP cannot be checked, so it is refused
        Radclient.Result noClear = radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"alice@example.com\", CHAP-Password = \"wonderland\"");
        assertThat(noClear.rejected()).as(noClear.output()).isTrue();
    }

    @Test
    void groupCheckAnswersSipGroupMembership() {
        Radclient.Result voip = radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"101@kamailio.org\", Sip-Group = \"voip\", Service-Type = Group-Check");
        assertThat(voip.accepted()).as(voip.output()).isTrue();
        assertThat(voip.output()).contains("Reply-Message = \"Authorized\"");
        Radclient.Result admin = radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"101@kamailio.org\", Sip-Group = \"admin\", Service-Type = Group-Check");
        assertThat(admin.rejected()).as(admin.output()).isTrue();
        Radclient.Result unknown = radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"nobody@kamailio.org\", Sip-Group = \"voip\", Service-Type = Group-Check");
        assertThat(unknown.rejected()).as(unknown.output()).isTrue();
    }

    @Test
    void aSuspendedUserIsRejectedAndIsInGroupSuspended() {
        Radclient.Result pap = radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"mallory\", User-Password = \"m-pass\"");
        assertThat(pap.rejected()).as(pap.output()).isTrue();
        Radclient.Result group = radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"mallory\", Sip-Group = \"suspended\", Service-Type = Group-Check");
        assertThat(group.accepted()).as(group.output()).isTrue();
    }

    @Test
    void messageAuthenticatorIsRequiredWhereTheClientSaysSo() {
        double before = tollgate.metrics().dropped(RadiusMetrics.Drop.MISSING_MESSAGE_AUTHENTICATOR);
        Radclient.Result without = radclient.send(tollgate.authPort(), "auth", "strict-secret",
                "User-Name = \"alice@example.com\", User-Password = \"wonderland\"", "127.0.0.2");
        assertThat(without.noReply()).as(without.output()).isTrue();
        assertThat(tollgate.metrics().dropped(RadiusMetrics.Drop.MISSING_MESSAGE_AUTHENTICATOR)).isGreaterThan(before);

        Radclient.Result with = radclient.send(tollgate.authPort(), "auth", "strict-secret",
                "User-Name = \"alice@example.com\", User-Password = \"wonderland\", Message-Authenticator = 0x00",
                "127.0.0.2");
        assertThat(with.accepted()).as(with.output()).isTrue();
    }

    @Test
    void withAutoMessageAuthenticatorIsRequiredOnceTheClientHasSentOne() {
        String pap = "User-Name = \"alice@example.com\", User-Password = \"wonderland\"";
        Radclient.Result first = radclient.send(tollgate.authPort(), "auth", "auto-secret", pap, "127.0.0.3");
        assertThat(first.accepted()).as("never sent one: accepted without " + first.output()).isTrue();
        Radclient.Result signed = radclient.send(tollgate.authPort(), "auth", "auto-secret",
                pap + ", Message-Authenticator = 0x00", "127.0.0.3");
        assertThat(signed.accepted()).as(signed.output()).isTrue();
        double before = tollgate.metrics().dropped(RadiusMetrics.Drop.MISSING_MESSAGE_AUTHENTICATOR);
        Radclient.Result unsigned = radclient.send(tollgate.authPort(), "auth", "auto-secret", pap, "127.0.0.3");
        assertThat(unsigned.noReply()).as("it has sent one: required now " + unsigned.output()).isTrue();
        assertThat(tollgate.metrics().dropped(RadiusMetrics.Drop.MISSING_MESSAGE_AUTHENTICATOR)).isGreaterThan(before);
    }

    @Test
    void aWrongSecretGetsNoAnswer() {
        double before = tollgate.metrics().dropped(RadiusMetrics.Drop.BAD_AUTHENTICATOR);
        Radclient.Result auth = radclient.send(tollgate.authPort(), "auth", "not-the-secret",
                "User-Name = \"alice@example.com\", User-Password = \"wonderland\", Message-Authenticator = 0x00");
        assertThat(auth.noReply()).as(auth.output()).isTrue();
        Radclient.Result acct = radclient.send(tollgate.acctPort(), "acct", "not-the-secret",
                "Acct-Status-Type = Start, Acct-Session-Id = \"wrong-secret-1\", User-Name = \"alice\"");
        assertThat(acct.noReply()).as(acct.output()).isTrue();
        assertThat(tollgate.metrics().dropped(RadiusMetrics.Drop.BAD_AUTHENTICATOR)).isGreaterThanOrEqualTo(before + 2);
        assertThat(tollgate.jdbc().queryForObject(
                "SELECT count(*) FROM acc_event WHERE acct_session_id = 'wrong-secret-1'", Integer.class)).isZero();
    }

    @Test
    void statusServerIsAnswered() {
        Radclient.Result r = radclient.send(tollgate.authPort(), "status", "testing123",
                "Message-Authenticator = 0x00");
        assertThat(r.accepted()).as(r.output()).isTrue();
    }

    @Test
    void sipAccountingStartInterimStopAndFailedAreStoredWithTheirColumns() {
        String common = "Service-Type = Sip-Session, Acct-Session-Id = \"1dbe198c82543fa2@192.168.0.11\", "
                + "NAS-IP-Address = 127.0.0.1, NAS-Port = 5060, Acct-Delay-Time = 0, ";
        // the tutorial's radacct records: Start by the caller, Stop by the callee (tags reversed)
        assertThat(radclient.send(tollgate.acctPort(), "acct", "testing123", common
                + "Acct-Status-Type = Start, Sip-Response-Code = 200, Sip-Method = INVITE, "
                + "User-Name = \"101@kamailio.org\", Calling-Station-Id = \"sip:101@kamailio.org\", "
                + "Called-Station-Id = \"sip:102@kamailio.org\", Sip-Translated-Request-URI = \"sip:102@192.168.0.12:5066\", "
                + "Sip-To-Tag = \"00D0E90101B8_T9513\", Sip-From-Tag = \"111aa0fda452c726\", Sip-Cseq = \"4435\", "
                + "Sip-Src-IP = \"192.168.0.11\", Sip-Src-Port = \"5068\", Event-Timestamp = 1142177361")
                .accountingAnswered()).isTrue();
        assertThat(radclient.send(tollgate.acctPort(), "acct", "testing123", common
                + "Acct-Status-Type = Interim-Update, Sip-Method = INVITE, User-Name = \"101@kamailio.org\", "
                + "Sip-To-Tag = \"00D0E90101B8_T9513\", Sip-From-Tag = \"111aa0fda452c726\", Acct-Session-Time = 3, "
                + "Event-Timestamp = 1142177364").accountingAnswered()).isTrue();
        assertThat(radclient.send(tollgate.acctPort(), "acct", "testing123", common
                + "Acct-Status-Type = Stop, Sip-Response-Code = 200, Sip-Method = BYE, "
                + "User-Name = \"102@kamailio.org\", Calling-Station-Id = \"sip:102@kamailio.org\", "
                + "Called-Station-Id = \"sip:101@kamailio.org\", Sip-Translated-Request-URI = \"sip:101@192.168.0.11:5068\", "
                + "Sip-To-Tag = \"111aa0fda452c726\", Sip-From-Tag = \"00D0E90101B8_T9513\", Sip-Cseq = \"3305\", "
                + "Sip-Src-IP = \"192.168.0.12\", Sip-Src-Port = \"5066\", Event-Timestamp = 1142177368")
                .accountingAnswered()).isTrue();
        // a missed call (acc module: Failed, with the final code)
        assertThat(radclient.send(tollgate.acctPort(), "acct", "testing123",
                "Acct-Status-Type = Failed, Service-Type = Sip-Session, Sip-Response-Code = 486, Sip-Method = INVITE, "
                + "User-Name = \"101@kamailio.org\", Acct-Session-Id = \"missed-1@192.168.0.11\", "
                + "Sip-From-Tag = \"aa1\", Sip-To-Tag = \"bb2\", Calling-Station-Id = \"sip:101@kamailio.org\", "
                + "Called-Station-Id = \"sip:102@kamailio.org\", Event-Timestamp = 1142177400").accountingAnswered())
                .isTrue();

        Map<String, Object> start = row("1dbe198c82543fa2@192.168.0.11", "START");
        assertThat(start).containsEntry("status_code", 1).containsEntry("sip_method", "INVITE")
                .containsEntry("sip_response_code", 200).containsEntry("user_name", "101@kamailio.org")
                .containsEntry("calling_station_id", "sip:101@kamailio.org")
                .containsEntry("called_station_id", "sip:102@kamailio.org")
                .containsEntry("sip_from_tag", "111aa0fda452c726").containsEntry("sip_to_tag", "00D0E90101B8_T9513")
                .containsEntry("sip_cseq", "4435").containsEntry("sip_translated_uri", "sip:102@192.168.0.12:5066")
                .containsEntry("sip_src_ip", "192.168.0.11").containsEntry("sip_src_port", 5068)
                .containsEntry("nas_name", "kamailio");
        assertThat(start.get("event_time").toString()).startsWith("2006-03-12");
        assertThat((String) start.get("attributes_text")).contains("\"Service-Type\": \"Sip-Session\"")
                .contains("\"NAS-Port\": \"5060\"");
        assertThat(start.get("acct_unique_session_id").toString()).matches("[0-9a-f]{32}");

        Map<String, Object> interim = row("1dbe198c82543fa2@192.168.0.11", "INTERIM_UPDATE");
        assertThat(interim).containsEntry("session_time", 3L);
        Map<String, Object> stop = row("1dbe198c82543fa2@192.168.0.11", "STOP");
        assertThat(stop).containsEntry("sip_method", "BYE").containsEntry("user_name", "102@kamailio.org");
        Map<String, Object> failed = row("missed-1@192.168.0.11", "FAILED");
        assertThat(failed).containsEntry("status_code", 15).containsEntry("sip_response_code", 486);

        // Start and Stop (sent from opposite ends) make one closed session
        Map<String, Object> session = tollgate.jdbc().queryForMap(
                "SELECT * FROM acc_session WHERE acct_session_id = '1dbe198c82543fa2@192.168.0.11'");
        assertThat(session.get("start_time").toString()).startsWith("2006-03-12");
        assertThat(session.get("stop_time")).isNotNull();
        assertThat(session).containsEntry("user_name", "101@kamailio.org");
    }

    @Test
    void accountingOnClosesTheNasOpenSessions() {
        assertThat(radclient.send(tollgate.acctPort(), "acct", "testing123",
                "Acct-Status-Type = Start, Acct-Session-Id = \"open-1\", User-Name = \"bob\", "
                + "NAS-IP-Address = 127.0.0.1, Event-Timestamp = 1700000000").accountingAnswered()).isTrue();
        assertThat(radclient.send(tollgate.acctPort(), "acct", "testing123",
                "Acct-Status-Type = Accounting-On, NAS-IP-Address = 127.0.0.1, Event-Timestamp = 1700000100")
                .accountingAnswered()).isTrue();
        Map<String, Object> s = tollgate.jdbc().queryForMap("SELECT * FROM acc_session WHERE acct_session_id = 'open-1'");
        assertThat(s.get("stop_time").toString()).startsWith("2023-11-14");
        assertThat(s).containsEntry("terminate_cause", 11);
    }

    @Test
    void healthAndPrometheusMetricsAreServed() throws Exception {
        radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"alice@example.com\", User-Password = \"wonderland\"");
        var http = java.net.http.HttpClient.newHttpClient();
        var health = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + tollgate.httpPort() + "/actuator/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"");
        String metrics = tollgate.adminGet("/actuator/prometheus").body();
        assertThat(metrics).contains("tollgate_radius_requests_total{result=\"accept\",type=\"access\"}")
                .contains("tollgate_acct_commit_seconds").contains("tollgate_acct_journal_pending");
        assertThat(metrics).doesNotContain("testing123").doesNotContain("wonderland");
    }

    private Map<String, Object> row(String sessionId, String status) {
        return tollgate.jdbc().queryForMap("SELECT *, attributes::text AS attributes_text FROM acc_event "
                + "WHERE acct_session_id = ? AND status = ?", sessionId, status);
    }
}
