package org.tollgate.aaa.radius.server;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers to prepaid Access-Requests and to Accounting-Requests kept for a few seconds, so that
 * an exact retransmission — same source address and port, Identifier and Request Authenticator
 * (RFC 5080 §2.2.2) — gets the very same answer without asking the prepaid engine again (or
 * being counted as one more record stored), as FreeRADIUS keeps its replies
 * for {@code cleanup_delay} (5 s). A retransmission that arrives while the first is still being
 * decided gets the first one's answer when it is ready.
 */
final class DuplicateRequests {

    private record Key(InetSocketAddress source, int id, ByteBuffer authenticator) { }

    private record Entry(CompletableFuture<byte[]> answer, long at) { }

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final long keepNanos;
    private final AtomicLong lastSweep = new AtomicLong(System.nanoTime());

    DuplicateRequests(java.time.Duration keep) {
        this.keepNanos = keep.toNanos();
    }

    /**
     * Registers {@code mine} as the answer to this request; returns the answer of an earlier copy
     * of it still kept, or null when this is the first (then {@code mine} must be completed, with
     * the encoded answer, or exceptionally when there is none).
     */
    CompletableFuture<byte[]> earlier(InetSocketAddress source, int id, byte[] authenticator,
                                      CompletableFuture<byte[]> mine) {
        long now = System.nanoTime();
        sweep(now);
        Key key = new Key(source, id, ByteBuffer.wrap(authenticator.clone()));
        Entry fresh = new Entry(mine, now);
        while (true) {
            Entry existing = entries.putIfAbsent(key, fresh);
            if (existing == null) {
                // no answer (an error): a later retransmission is decided again
                mine.whenComplete((a, e) -> {
                    if (e != null) {
                        entries.remove(key, fresh);
                    }
                });
                return null;
            }
            if (now - existing.at < keepNanos) {
                return existing.answer;
            }
            entries.remove(key, existing); // too old: a new request that reuses identifier and authenticator
        }
    }

    int size() {
        return entries.size();
    }

    /** Drops expired answers, at most once a second. */
    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last < 1_000_000_000L || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        entries.values().removeIf(e -> now - e.at >= keepNanos);
    }
}
