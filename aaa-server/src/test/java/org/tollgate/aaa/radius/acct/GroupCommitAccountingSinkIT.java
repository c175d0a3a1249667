package org.tollgate.aaa.radius.acct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.tollgate.aaa.radius.support.Events.sip;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.aaa.radius.support.Events;
import org.tollgate.aaa.radius.support.TestDatabase;
import org.tollgate.api.AccountingEvent;
import org.tollgate.api.AccountingStatus;

class GroupCommitAccountingSinkIT {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    // a fresh heap without deletes appends rows in insertion order
    private static final String INSERTION_ORDER = "SELECT record_key::text FROM acc_event ORDER BY ctid";

    @TempDir
    Path journalDir;

    private TestDatabase db;

    @BeforeEach
    void start() {
        db = new TestDatabase();
    }

    @AfterEach
    void stop() throws Exception {
        db.close();
    }

    @Test
    void acknowledgesOnlyWhatIsCommitted() throws Exception {
        try (var sink = newSink()) {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                acks.add(sink.submit(event(i)));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            // every acknowledged event is visible to another connection
            assertThat(db.jdbc().queryForObject("SELECT count(*) FROM acc_event", Long.class)).isEqualTo(2_000);
        }
    }

    @Test
    void spoolsToTheJournalWhileThePostgresIsDownAndReplaysInOrder() throws Exception {
        try (var sink = newSink()) {
            sink.submit(event(0)).get(10, TimeUnit.SECONDS);

            db.stop();
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int i = 1; i <= 500; i++) {
                acks.add(sink.submit(event(i)));
            }
            // answered although the database is gone: fsynced in the journal
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(sink.isSpooling()).isTrue();
            assertThat(segments()).isPositive();

            db.restart();
            await().atMost(Duration.ofSeconds(30)).until(() -> !sink.isSpooling());
            List<String> keys = db.jdbc().queryForList(INSERTION_ORDER, String.class);
            assertThat(keys).hasSize(501);
            // replayed in arrival order
            List<String> expected = new ArrayList<>();
            for (int i = 0; i <= 500; i++) {
                expected.add(Events.key("key-" + i));
            }
            assertThat(keys).containsExactlyElementsOf(expected);
            assertThat(segments()).isZero();
        }
    }

    @Test
    void journalLeftByACrashIsReplayedOnStart() throws Exception {
        AccountingJournal journal = new AccountingJournal(journalDir);
        journal.append(List.of(event(1), event(2), event(1)));
        journal.close();
        try (var sink = newSink()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !sink.isSpooling());
            assertThat(db.jdbc().queryForList(INSERTION_ORDER, String.class))
                    .containsExactly(Events.key("key-1"), Events.key("key-2"));
        }
    }

    @Test
    void aRecordPostgresRefusesIsKeptAsideAndDoesNotBlockTheOthers() throws Exception {
        try (var sink = newSink()) {
            AccountingEvent good = event(1);
            AccountingEvent bad = new AccountingEvent(Events.key("bad"), null, T0, T0, "kam", "not-an-inet",
                    AccountingStatus.START, 1, "bad-1", null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, 0, List.of());
            AccountingEvent after = event(2);
            CompletableFuture.allOf(sink.submit(good), sink.submit(bad), sink.submit(after)).get(30, TimeUnit.SECONDS);
            assertThat(sink.isSpooling()).isFalse();
            assertThat(db.jdbc().queryForList(INSERTION_ORDER, String.class))
                    .containsExactlyInAnyOrder(Events.key("key-1"), Events.key("key-2"));
            try (var files = Files.list(journalDir.resolve("refused"))) {
                assertThat(files.count()).isEqualTo(1);
            }
        }
    }

    private long segments() throws Exception {
        try (var files = Files.list(journalDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".journal")).count();
        }
    }

    // one writer: arrival order is then the order of acknowledgement, which the journal keeps
    private GroupCommitAccountingSink newSink() throws Exception {
        return new GroupCommitAccountingSink(new JdbcAccountingStore(db.dataSource()), journalDir, 1, 200, 10_000,
                200, new SimpleMeterRegistry());
    }

    private static AccountingEvent event(int i) {
        return sip("key-" + i, AccountingStatus.START, "call-" + i, "f" + i, "t" + i, T0.plusSeconds(i), "kam");
    }
}
