package org.tollgate.tests.radius;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.tests.support.Radclient;
import org.tollgate.tests.support.TollgateInstance;

/** PostgreSQL goes away under a running server: what was answered must all arrive once it is back. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageIT {

    private TollgateInstance tollgate;
    private final Radclient radclient = new Radclient();

    @BeforeAll
    void start() {
        tollgate = new TollgateInstance();
        assertThat(tollgate.cli("nas", "add", "--name", "gw", "--address", "127.0.0.1", "--secret", "testing123"))
                .isZero();
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    @Test
    void accountingAnsweredWhileTheDatabaseIsDownIsJournaledAndReplayed() {
        assertThat(send("before-outage")).isTrue();

        int port = tollgate.databasePort();
        tollgate.stopDatabase();
        for (int i = 0; i < 20; i++) {
            assertThat(send("during-outage-" + i)).as("answered from the journal").isTrue();
        }
        assertThat(segments()).isPositive();

        tollgate.startDatabase(port);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try {
                return tollgate.jdbc().queryForObject(
                        "SELECT count(*) FROM acc_event WHERE acct_session_id LIKE 'during-outage-%'", Integer.class) == 20;
            } catch (RuntimeException e) {
                return false;
            }
        });
        assertThat(send("after-outage")).isTrue();
        assertThat(tollgate.jdbc().queryForObject("SELECT count(*) FROM acc_event", Integer.class)).isEqualTo(22);
        await().atMost(Duration.ofSeconds(10)).until(() -> segments() == 0);
    }

    private long segments() {
        String[] names = tollgate.journalDir().toFile().list((dir, name) -> name.endsWith(".journal"));
        return names == null ? 0 : names.length;
    }

    private boolean send(String sessionId) {
        return radclient.send(tollgate.acctPort(), "acct", "testing123",
                "Acct-Status-Type = Start, Acct-Session-Id = \"" + sessionId + "\", User-Name = \"alice\", "
                        + "NAS-IP-Address = 127.0.0.1").accountingAnswered();
    }
}
