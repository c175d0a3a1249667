package org.tollgate.aaa.radius.acct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.tollgate.aaa.radius.support.Events.sip;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.aaa.radius.support.Events;
import org.tollgate.aaa.radius.support.TestDatabase;
import org.tollgate.api.AccountingEvent;
import org.tollgate.api.AccountingStatus;
import org.tollgate.api.db.JdbcDeadline;

class GroupCommitAccountingSinkIT {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    // a fresh heap without deletes appends rows in insertion order
    private static final String INSERTION_ORDER = "SELECT record_key::text FROM acc_event ORDER BY ctid";

    @TempDir
    Path journalDir;

    private TestDatabase db;
    private final JdbcDeadline deadline = new JdbcDeadline(Duration.ofMillis(500), "test");
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        db = new TestDatabase();
    }

    @AfterEach
    void stop() throws Exception {
        deadline.close();
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

    @Test
    void aCommitThatHangsGoesToTheJournalAtTheDeadlineAndIsReplayedInOrder() throws Exception {
        try (var sink = newSink()) {
            sink.submit(event(0)).get(10, TimeUnit.SECONDS);
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            // a lock nobody lets go of: the writer's COPY waits for ever, as on a frozen server
            try (Connection holder = db.dataSource().getConnection()) {
                holder.setAutoCommit(false);
                try (Statement s = holder.createStatement()) {
                    s.execute("LOCK TABLE acc_event IN ACCESS EXCLUSIVE MODE");
                }
                for (int i = 1; i <= 300; i++) {
                    acks.add(sink.submit(event(i)));
                }
                // answered from the journal, not after the lock is gone
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
                assertThat(sink.isSpooling()).isTrue();
                holder.rollback();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !sink.isSpooling());
            List<String> expected = new ArrayList<>();
            for (int i = 0; i <= 300; i++) {
                expected.add(Events.key("key-" + i));
            }
            assertThat(db.jdbc().queryForList(INSERTION_ORDER, String.class)).containsExactlyElementsOf(expected);
            assertThat(switches("database")).isEqualTo(1);
        }
    }

    @Test
    void aBatchCommittedAndAlsoJournaledIsStoredOnceInItsPlace() throws Exception {
        // the commit of events 1 and 2 went through but its answer never came: they were journaled too
        new JdbcAccountingStore(db.dataSource(), deadline).store(List.of(event(1), event(2)));
        AccountingJournal journal = new AccountingJournal(journalDir);
        journal.append(List.of(event(1), event(2), event(3)));
        journal.close();
        try (var sink = newSink()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !sink.isSpooling());
            sink.submit(event(4)).get(10, TimeUnit.SECONDS);
            assertThat(db.jdbc().queryForList(INSERTION_ORDER, String.class)).containsExactly(Events.key("key-1"),
                    Events.key("key-2"), Events.key("key-3"), Events.key("key-4"));
        }
    }

    @Test
    void theJournalModeSwitchesOffOnceWhileANasKeepsSending() throws Exception {
        try (var sink = new GroupCommitAccountingSink(new JdbcAccountingStore(db.dataSource(), deadline),
                new JdbcAccountingStore(db.dataSource(), deadline), journalDir, 2, 200, 100_000, 100, metrics)) {
            AtomicInteger next = new AtomicInteger();
            List<CompletableFuture<Void>> acks = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean sending = new AtomicBoolean(true);
            List<Thread> nas = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    while (sending.get()) {
                        acks.add(sink.submit(event(next.getAndIncrement())));
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    }
                });
                th.start();
                nas.add(th);
            }
            Thread.sleep(500);
            db.stop();
            Thread.sleep(1_500);
            db.restart();
            await().atMost(Duration.ofSeconds(30)).until(() -> !sink.isSpooling());
            Thread.sleep(2_000); // writers back on PostgreSQL while the NAS keeps sending
            sending.set(false);
            for (Thread th : nas) {
                th.join();
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> !sink.isSpooling());
            assertThat(switches("journal")).isEqualTo(1);
            assertThat(switches("database")).as("the journal drained once, not again and again").isEqualTo(1);
            assertThat(db.jdbc().queryForObject("SELECT count(DISTINCT record_key) FROM acc_event", Long.class))
                    .isEqualTo(next.get());
        }
    }

    private double switches(String to) {
        var c = metrics.find("tollgate.acct.journal.switches").tag("to", to).counter();
        return c == null ? 0 : c.count();
    }

    private long segments() throws Exception {
        try (var files = Files.list(journalDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".journal")).count();
        }
    }

    // one writer: arrival order is then the order of acknowledgement, which the journal keeps
    private GroupCommitAccountingSink newSink() throws Exception {
        JdbcAccountingStore store = new JdbcAccountingStore(db.dataSource(), deadline);
        return new GroupCommitAccountingSink(store, store, journalDir, 1, 200, 10_000, 200, metrics);
    }

    private static AccountingEvent event(int i) {
        return sip("key-" + i, AccountingStatus.START, "call-" + i, "f" + i, "t" + i, T0.plusSeconds(i), "kam");
    }
}
