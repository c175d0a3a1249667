package org.tollgate.tests.radius;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.tollgate.aaa.radius.server.RadiusMetrics;
import org.tollgate.tests.support.Radclient;
import org.tollgate.tests.support.TollgateInstance;

/**
 * Correctly signed requests carrying text PostgreSQL cannot hold (a NUL byte, bytes that are
 * not UTF-8): an Access-Request is rejected with a Reply-Message saying why, accounting is
 * stored with the value made safe and its original bytes kept, each is counted, and nothing
 * is logged for it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvalidTextIT {

    private TollgateInstance tollgate;
    private final Radclient radclient = new Radclient();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    void start() {
        tollgate = new TollgateInstance();
        assertThat(tollgate.cli("nas", "add", "--name", "gw", "--address", "127.0.0.1", "--secret", "testing123"))
                .isZero();
        assertThat(tollgate.cli("user", "add", "--name", "alice", "--password", "wonderland")).isZero();
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    @BeforeEach
    void captureLog() {
        log.list.clear();
        log.start();
        root().addAppender(log);
        // the CLI leaves the JVM's root logger at ERROR: what the server would log must be seen here
        root().setLevel(Level.INFO);
    }

    @AfterEach
    void releaseLog() {
        root().detachAppender(log);
    }

    @Test
    void anAccessRequestWithANulInItsUserNameIsRejectedSayingWhy() {
        double internalErrors = tollgate.metrics().dropped(RadiusMetrics.Drop.INTERNAL_ERROR);

        Radclient.Result nul = radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"al\\000ice\", User-Password = \"wonderland\", Message-Authenticator = 0x00");
        assertThat(nul.rejected()).as(nul.output()).isTrue();
        assertThat(nul.output()).contains("Reply-Message = \"User-Name contains a NUL byte\"");

        Radclient.Result notUtf8 = radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"al\\377ice\", User-Password = \"wonderland\", Message-Authenticator = 0x00");
        assertThat(notUtf8.rejected()).as(notUtf8.output()).isTrue();
        assertThat(notUtf8.output()).contains("Reply-Message = \"User-Name is not valid UTF-8\"");

        Radclient.Result digest = radclient.send(tollgate.authPort(), "auth", "testing123", """
                User-Name = "alice", Digest-Response = "631d6d73147add2f9e437f59bbc3aeb7", \
                Digest-Realm = "testrealm", Digest-Nonce = "1234abcd", Digest-Method = "INVITE", \
                Digest-URI = "sip:5555551212@example.com", Digest-Algorithm = "MD5", \
                Digest-User-Name = "ali\\000ce", Message-Authenticator = 0x00""");
        assertThat(digest.rejected()).as(digest.output()).isTrue();
        assertThat(digest.output()).contains("Reply-Message = \"Digest-User-Name contains a NUL byte\"");

        // the server is fine and answers the same user normally
        assertThat(radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"alice\", User-Password = \"wonderland\", Message-Authenticator = 0x00").accepted())
                .isTrue();
        assertThat(tollgate.metrics().dropped(RadiusMetrics.Drop.INTERNAL_ERROR)).isEqualTo(internalErrors);
        assertThat(invalidText("access", "nul")).isEqualTo(2);
        assertThat(invalidText("access", "not_utf8")).isEqualTo(1);
        assertNothingLogged();
    }

    @Test
    void accountingWithANulOrBytesThatAreNotUtf8IsStoredSafelyWithItsOriginalBytes() {
        String request = "Acct-Status-Type = Start, Acct-Session-Id = \"bad\\000call\", User-Name = \"al\\000ice\", "
                + "Calling-Station-Id = \"sip:\\377\\376@x\", Event-Timestamp = 1763000000";
        assertThat(radclient.send(tollgate.acctPort(), "acct", "testing123", request).accountingAnswered()).isTrue();
        // a retransmission is the same record
        assertThat(radclient.send(tollgate.acctPort(), "acct", "testing123", request).accountingAnswered()).isTrue();

        List<Map<String, Object>> rows = tollgate.jdbc().queryForList("""
                SELECT acct_session_id, user_name, calling_station_id, attributes->>'User-Name' AS attr_user,
                       attributes->>'User-Name.octets' AS user_octets,
                       attributes->>'Acct-Session-Id.octets' AS session_octets,
                       attributes->>'Calling-Station-Id.octets' AS calling_octets,
                       attributes ? 'Acct-Status-Type.octets' AS status_octets
                FROM acc_event WHERE acct_session_id LIKE 'bad%'""");
        assertThat(rows).hasSize(1);
        Map<String, Object> row = rows.get(0);
        assertThat(row.get("acct_session_id")).isEqualTo("bad\uFFFDcall");
        assertThat(row.get("user_name")).isEqualTo("al\uFFFDice");
        assertThat(row.get("attr_user")).isEqualTo("al\uFFFDice");
        assertThat(row.get("calling_station_id")).isEqualTo("sip:\uFFFD\uFFFD@x");
        assertThat(row.get("user_octets")).isEqualTo("0x616C00696365");
        assertThat(row.get("session_octets")).isEqualTo("0x6261640063616C6C");
        assertThat(row.get("calling_octets")).isEqualTo("0x7369703AFFFE4078");
        assertThat(row.get("status_octets")).isEqualTo(false);

        assertThat(invalidText("accounting", "nul")).isEqualTo(2); // per request: it came twice
        assertThat(invalidText("accounting", "not_utf8")).isEqualTo(2);
        assertNothingLogged();
    }

    private void assertNothingLogged() {
        assertThat(log.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null)
                .as("warnings or stack traces logged").isEmpty();
    }

    private double invalidText(String packet, String reason) {
        Counter c = tollgate.bean(MeterRegistry.class).find("tollgate.radius.invalid.text")
                .tag("packet", packet).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
