package org.tollgate.prepaid;

import java.time.Duration;

/**
 * How the engine grants and holds money: {@code quota}, the longest grant at once (and the grant
 * when the network does not ask for one); {@code commitTimeout}, the bound on every transaction a
 * network element waits for and on its answer; {@code staleGrace}, how long past its grant a call
 * that never reported back keeps its money; the writers' threads, batch and queue sizes; how often
 * stale reservations are looked for.
 */
public record PrepaidSettings(Duration quota, Duration commitTimeout, Duration staleGrace, Duration sweepInterval,
                              int writerThreads, int maxBatch, int queueCapacity) {

    public PrepaidSettings {
        if (quota.toSeconds() < 1) {
            throw new IllegalArgumentException("tollgate.prepaid.quota must be at least 1s, not " + quota);
        }
        if (commitTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("tollgate.prepaid.commit-timeout must be at least 1ms");
        }
        if (staleGrace.isNegative()) {
            throw new IllegalArgumentException("tollgate.prepaid.stale-grace cannot be negative");
        }
        if (sweepInterval.toMillis() < 1) {
            throw new IllegalArgumentException("tollgate.prepaid.sweep-interval must be at least 1ms");
        }
        if (writerThreads < 1 || maxBatch < 1 || queueCapacity < maxBatch) {
            throw new IllegalArgumentException(
                    "tollgate.prepaid: writer-threads and max-batch must be >= 1, queue-capacity >= max-batch");
        }
    }

    /** The defaults README documents. */
    public static PrepaidSettings defaults() {
        return new PrepaidSettings(Duration.ofSeconds(300), Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofSeconds(10), 2, 1000, 100_000);
    }

    public PrepaidSettings withQuota(Duration q) {
        return new PrepaidSettings(q, commitTimeout, staleGrace, sweepInterval, writerThreads, maxBatch, queueCapacity);
    }

    public PrepaidSettings withCommitTimeout(Duration t) {
        return new PrepaidSettings(quota, t, staleGrace, sweepInterval, writerThreads, maxBatch, queueCapacity);
    }
}
