package org.tollgate.proxy.dialog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DialogRegistryTest {

    /** Records each write; can be told to fail. */
    static final class MemoryStore implements DialogStore {
        record Write(List<String> upserts, List<String> deletes) { }

        final List<Write> writes = new CopyOnWriteArrayList<>();
        final List<Dialog> left = new ArrayList<>();
        volatile boolean failing;

        @Override
        public void write(Collection<Dialog> upserts, Collection<Dialog> deletes) {
            if (failing) {
                throw new IllegalStateException("database down");
            }
            writes.add(new Write(upserts.stream().map(Dialog::key).toList(), deletes.stream().map(Dialog::key).toList()));
        }

        @Override
        public List<Dialog> load() {
            return left;
        }
    }

    private final Clock clock = Clock.systemUTC();
    private final MemoryStore store = new MemoryStore();
    // flushed by hand only: the periodic flush is an hour away
    private final DialogRegistry registry = new DialogRegistry(store, clock, Duration.ofHours(1));

    @AfterEach
    void close() {
        registry.close();
    }

    private Dialog dialog(String callId, Duration expiresIn) {
        Instant now = clock.instant();
        return Dialogs.dialog(callId, "caller-" + callId, "callee-" + callId, now, now.plus(expiresIn));
    }

    @Test
    void addedDialogIsFoundFromEitherSide() {
        Dialog d = dialog("c1", Duration.ofHours(1));
        registry.add(d);
        assertThat(registry.find("c1", "caller-c1", "callee-c1")).isSameAs(d);
        assertThat(registry.find("c1", "callee-c1", "caller-c1")).isSameAs(d);
        assertThat(registry.find("c1", "caller-c1", "other")).isNull();
        assertThat(registry.size()).isEqualTo(1);
        assertThat(registry.all()).containsExactly(d);
    }

    @Test
    void addThenFlushWritesIt() {
        Dialog d = dialog("c1", Duration.ofHours(1));
        registry.add(d);
        assertThat(store.writes).isEmpty();
        registry.flush();
        assertThat(store.writes).containsExactly(new MemoryStore.Write(List.of(d.key()), List.of()));
        registry.flush();
        assertThat(store.writes).hasSize(1); // nothing new, nothing written
    }

    @Test
    void addAndRemoveBeforeFlushWritesNothing() {
        Dialog d = dialog("c1", Duration.ofHours(1));
        registry.add(d);
        registry.remove(d);
        registry.flush();
        assertThat(store.writes).isEmpty();
        assertThat(registry.size()).isZero();
    }

    @Test
    void removeAfterFlushDeletesIt() {
        Dialog d = dialog("c1", Duration.ofHours(1));
        registry.add(d);
        registry.flush();
        registry.remove(d);
        assertThat(registry.find("c1", "caller-c1", "callee-c1")).isNull();
        registry.flush();
        assertThat(store.writes).containsExactly(
                new MemoryStore.Write(List.of(d.key()), List.of()),
                new MemoryStore.Write(List.of(), List.of(d.key())));
    }

    @Test
    void refreshAfterFlushIsWrittenAgain() {
        Dialog d = dialog("c1", Duration.ofHours(1));
        registry.add(d);
        registry.flush();
        registry.refreshed(d, 1800, Duration.ofHours(2));
        registry.flush();
        assertThat(store.writes).hasSize(2);
        assertThat(store.writes.get(1).upserts()).containsExactly(d.key());
        assertThat(d.interval()).isEqualTo(1800);
    }

    @Test
    void removingAnUnknownDialogDoesNothing() {
        registry.remove(dialog("never-added", Duration.ofHours(1)));
        registry.flush();
        assertThat(store.writes).isEmpty();
    }

    @Test
    void failedWriteIsKeptForTheNextFlush() {
        Dialog d = dialog("c1", Duration.ofHours(1));
        registry.add(d);
        store.failing = true;
        assertThatThrownBy(registry::flush).isInstanceOf(IllegalStateException.class);
        store.failing = false;
        registry.flush();
        assertThat(store.writes).containsExactly(new MemoryStore.Write(List.of(d.key()), List.of()));
    }

    @Test
    void closeWritesWhatIsPending() {
        Dialog d = dialog("c1", Duration.ofHours(1));
        registry.add(d);
        registry.close();
        assertThat(store.writes).containsExactly(new MemoryStore.Write(List.of(d.key()), List.of()));
    }

    @Test
    void recoverLoadsWhatTheStoreHolds() {
        Dialog left = dialog("old", Duration.ofHours(1));
        store.left.add(left);
        assertThat(registry.recover()).isEqualTo(1);
        assertThat(registry.find("old", "callee-old", "caller-old")).isSameAs(left);
        registry.remove(left);
        registry.flush();
        // it is in the database: removing it must delete it there
        assertThat(store.writes).containsExactly(new MemoryStore.Write(List.of(), List.of(left.key())));
    }

    @Test
    void expiredDialogIsHandedToOnExpiryOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch fired = new CountDownLatch(1);
        List<Dialog> expired = new CopyOnWriteArrayList<>();
        registry.onExpiry(d -> {
            calls.incrementAndGet();
            expired.add(d);
            fired.countDown();
        });
        Dialog d = dialog("c1", Duration.ofMillis(150));
        registry.add(d);

        assertThat(fired.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(clock.instant()).isAfterOrEqualTo(d.expiresAt());
        Thread.sleep(200);
        assertThat(calls).hasValue(1);
        assertThat(expired).containsExactly(d);
    }

    @Test
    void refreshedDialogDoesNotExpireAtItsOldTime() throws Exception {
        List<Instant> firedAt = new CopyOnWriteArrayList<>();
        CountDownLatch fired = new CountDownLatch(1);
        registry.onExpiry(x -> {
            firedAt.add(clock.instant());
            fired.countDown();
        });
        Dialog d = dialog("c1", Duration.ofMillis(150));
        registry.add(d);
        // refreshed before its first expiry: now due 500 ms from here
        registry.refreshed(d, 0, Duration.ofMillis(500));
        Instant newExpiry = d.expiresAt();

        Thread.sleep(300); // well past the old expiry
        assertThat(firedAt).isEmpty();

        assertThat(fired.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(firedAt).hasSize(1);
        assertThat(firedAt.get(0)).isAfterOrEqualTo(newExpiry);
    }

    @Test
    void endedOrRemovedDialogDoesNotExpire() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        registry.onExpiry(x -> calls.incrementAndGet());
        Dialog ended = dialog("c1", Duration.ofMillis(100));
        Dialog removed = dialog("c2", Duration.ofMillis(100));
        registry.add(ended);
        registry.add(removed);
        ended.end();
        registry.remove(removed);
        Thread.sleep(300);
        assertThat(calls).hasValue(0);
    }
}
