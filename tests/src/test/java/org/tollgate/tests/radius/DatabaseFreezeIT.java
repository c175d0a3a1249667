package org.tollgate.tests.radius;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.tollgate.tests.support.AccountingStream;
import org.tollgate.tests.support.FrozenDatabase;
import org.tollgate.tests.support.TollgateInstance;

/**
 * PostgreSQL hangs (SIGSTOP) under a NAS sending accounting: a hung database must not silence
 * the NAS. Every request is answered within a couple of seconds from the journal, and once the
 * database resumes everything is stored exactly once, in arrival order, the journal mode
 * switching off once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseFreezeIT {

    private static final String PREFIX = "freeze";

    private TollgateInstance tollgate;

    @BeforeAll
    void start() {
        // one writer: arrival order is then the order of acknowledgement, and checkable row by row
        tollgate = new TollgateInstance("tollgate.accounting.writer-threads=1");
        assertThat(tollgate.cli("nas", "add", "--name", "gw", "--address", "127.0.0.1", "--secret", "testing123"))
                .isZero();
        // the CLI quiets the JVM's logging (root ERROR); the server's account of the outage helps here
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    @Test
    void aHungDatabaseDoesNotSilenceTheNasAndLosesNothing() throws Exception {
        MeterRegistry registry = tollgate.bean(MeterRegistry.class);
        try (AccountingStream nas = new AccountingStream(tollgate.acctPort(), "testing123", PREFIX, 200).start()) {
            Thread.sleep(1_500);
            assertThat(nas.unanswered()).as("answered before the freeze").hasSizeLessThan(50);

            long thawedAt;
            try (FrozenDatabase frozen = tollgate.freezeDatabase()) {
                Thread.sleep(10_000);
            } finally {
                thawedAt = System.nanoTime();
            }
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> count(registry, "tollgate.acct.events", "result", "replayed") > 0);
            long replayAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - thawedAt);

            Thread.sleep(3_000);
            nas.stopSending();
            assertThat(nas.awaitAnswers(5_000)).as("every request answered: %s; unanswered %s; server: %s", nas,
                    nas.unanswered().stream().limit(20).toList(), serverCounts(registry)).isTrue();
            assertThat(nas.maxLatencyMillis()).as("longest wait for an answer: %s", nas).isLessThan(2_500);

            int sent = nas.sent();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> stored() == sent);
            List<String> inOrder = tollgate.jdbc().queryForList("""
                    SELECT acct_session_id FROM acc_event WHERE acct_session_id LIKE 'freeze-%'
                    ORDER BY xmin::text::bigint, ctid""", String.class);
            assertThat(inOrder).as("stored exactly once, in arrival order")
                    .containsExactlyElementsOf(IntStream.range(0, sent).mapToObj(nas::sessionId).toList());

            assertThat(count(registry, "tollgate.acct.journal.switches", "to", "journal")).isEqualTo(1);
            assertThat(count(registry, "tollgate.acct.journal.switches", "to", "database"))
                    .as("the journal mode switched off once").isEqualTo(1);
            // the replay interval is 1 s: the first replay must not wait for much more (it took over 10 s before)
            assertThat(replayAfterMillis).as("first replay after the database resumed").isLessThan(3_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> segments() == 0);
        }
    }

    /** What the server counted: requests by result and drops by reason. */
    private static String serverCounts(MeterRegistry registry) {
        StringBuilder b = new StringBuilder();
        for (String name : List.of("tollgate.radius.requests", "tollgate.radius.dropped", "tollgate.acct.events")) {
            registry.find(name).counters().forEach(c -> b.append(name).append(c.getId().getTags()).append('=')
                    .append((long) c.count()).append(' '));
        }
        return b.toString();
    }

    private long stored() {
        try {
            Long n = tollgate.jdbc().queryForObject(
                    "SELECT count(*) FROM acc_event WHERE acct_session_id LIKE 'freeze-%'", Long.class);
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            return -1;
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
}
