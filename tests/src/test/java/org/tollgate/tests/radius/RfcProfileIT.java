package org.tollgate.tests.radius;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.tests.support.Radclient;
import org.tollgate.tests.support.TollgateInstance;

/** A NAS on the {@code rfc} dictionary profile: RFC 5090 Digest, and 101-121 not read as SIP acc. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RfcProfileIT {

    private static final String DIGEST = "User-Name = \"test\", Digest-Response = \"%s\", "
            + "Digest-Realm = \"testrealm\", Digest-Nonce = \"1234abcd\", Digest-Method = \"INVITE\", "
            + "Digest-URI = \"sip:5555551212@example.com\", Digest-Algorithm = \"MD5\", Digest-Username = \"test\", "
            + "Message-Authenticator = 0x00";

    private TollgateInstance tollgate;
    private final Radclient radclient = Radclient.rfc5090();

    @BeforeAll
    void start() {
        tollgate = new TollgateInstance();
        assertThat(tollgate.cli("nas", "add", "--name", "rfc-nas", "--address", "127.0.0.1", "--secret", "testing123",
                "--profile", "rfc")).isZero();
        assertThat(tollgate.cli("user", "add", "--name", "test", "--realm", "testrealm", "--password", "test",
                "--reply", "Reply-Message=Hello, test with digest")).isZero();
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    @Test
    void rfc5090DigestIsVerified() {
        Radclient.Result ok = radclient.send(tollgate.authPort(), "auth", "testing123",
                DIGEST.formatted("631d6d73147add2f9e437f59bbc3aeb7"));
        assertThat(ok.accepted()).as(ok.output()).isTrue();
        assertThat(ok.output()).contains("Hello, test with digest");
        Radclient.Result bad = radclient.send(tollgate.authPort(), "auth", "testing123",
                DIGEST.formatted("ffffffffffffffffffffffffffffffff"));
        assertThat(bad.rejected()).as(bad.output()).isTrue();
    }

    @Test
    void attributes101To121AreNotReadAsSipAccountingForThisNas() {
        // 101 is Error-Cause here, not Sip-Method; 104/105 are Digest-Realm/Nonce, not tags
        assertThat(radclient.send(tollgate.acctPort(), "acct", "testing123",
                "Acct-Status-Type = Start, Acct-Session-Id = \"rfc-1\", User-Name = \"bob\", "
                + "Error-Cause = 201, Digest-Realm = \"x\"").accountingAnswered()).isTrue();
        Map<String, Object> row = tollgate.jdbc().queryForMap(
                "SELECT sip_method, sip_to_tag, attributes::text AS attrs FROM acc_event WHERE acct_session_id = 'rfc-1'");
        assertThat(row.get("sip_method")).isNull();
        assertThat(row.get("sip_to_tag")).isNull();
        assertThat((String) row.get("attrs")).contains("\"Error-Cause\"").contains("\"Digest-Realm\": \"x\"");
    }
}
