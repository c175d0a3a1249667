package org.tollgate.tests.radius;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.tests.support.AccountingStream;
import org.tollgate.tests.support.Radclient;
import org.tollgate.tests.support.TollgateInstance;

/** PostgreSQL goes away under a running server: what was answered must all arrive once it is back. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageIT {

    private TollgateInstance tollgate;
    private final Radclient radclient = new Radclient();

    @BeforeAll
    void start() {
        // a short replay interval, so that a replay waiting for anything else (a pool's back-off) shows
        tollgate = new TollgateInstance("tollgate.accounting.replay-interval=250ms");
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
        assertThat(tollgate.jdbc().queryForObject(
                "SELECT count(*) FROM acc_event WHERE acct_session_id NOT LIKE 'stopped-%'", Integer.class)).isEqualTo(22);
        await().atMost(Duration.ofSeconds(10)).until(() -> segments() == 0);
    }

    @Test
    void underLoadReplayStartsAsSoonAsTheDatabaseIsBackAndTheJournalModeEndsOnce() throws Exception {
        MeterRegistry registry = tollgate.bean(MeterRegistry.class);
        double toDatabase = count(registry, "tollgate.acct.journal.switches", "to", "database");
        double replayed = count(registry, "tollgate.acct.events", "result", "replayed");
        try (AccountingStream nas = new AccountingStream(tollgate.acctPort(), "testing123", "stopped", 200).start()) {
            Thread.sleep(1_000);
            int port = tollgate.databasePort();
            tollgate.stopDatabase();
            Thread.sleep(8_000); // long enough for a connection pool to back off between its attempts
            tollgate.startDatabase(port);
            long readyAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                    .until(() -> count(registry, "tollgate.acct.events", "result", "replayed") > replayed);
            long replayAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readyAt);
            Thread.sleep(3_000);
            nas.stopSending();
            assertThat(nas.awaitAnswers(5_000)).as("every request answered: %s", nas).isTrue();
            int sent = nas.sent();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> tollgate.jdbc()
                    .queryForObject("SELECT count(*) FROM acc_event WHERE acct_session_id LIKE 'stopped-%'",
                            Integer.class) == sent);
            // through the pool it took 1.8 to 2.4 s (the pool's back-off); headroom for a loaded machine
            assertThat(replayAfterMillis).as("first replay after PostgreSQL was ready (interval 250 ms)")
                    .isLessThan(1_500);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> count(registry, "tollgate.acct.journal.switches", "to", "database") > toDatabase);
            Thread.sleep(2_000);
            assertThat(count(registry, "tollgate.acct.journal.switches", "to", "database") - toDatabase)
                    .as("the journal mode ended once").isEqualTo(1);
        }
    }

    private static double count(MeterRegistry registry, String name, String tag, String value) {
        Counter c = registry.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
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
