package org.tollgate.aaa.radius.prepaid;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import org.tollgate.api.prepaid.CallKey;

/**
 * When the prepaid calls this server saw start were answered (their Start's event time), for the
 * NASes whose Stop carries no Acct-Session-Time: Kamailio's acc sends a Start and a Stop and leaves
 * the duration to whoever pairs them. Only prepaid calls are kept, each until its Stop or Failed;
 * a call whose end never comes is dropped after {@code keep}, and past {@code capacity} calls the
 * oldest half is dropped — such a call is then settled from its CDR instead.
 */
public final class CallStarts {

    private final ConcurrentHashMap<CallKey, Instant> started = new ConcurrentHashMap<>();
    private final Duration keep;
    private final int capacity;

    public CallStarts(Duration keep, int capacity) {
        this.keep = keep;
        this.capacity = capacity;
    }

    public void started(CallKey call, Instant answeredAt) {
        if (started.size() >= capacity) {
            prune(answeredAt);
        }
        started.put(call, answeredAt);
    }

    /** When the call was answered, if its Start came here; null otherwise. */
    public Instant startOf(CallKey call) {
        return started.get(call);
    }

    public void ended(CallKey call) {
        started.remove(call);
    }

    public int size() {
        return started.size();
    }

    private synchronized void prune(Instant now) {
        if (started.size() < capacity) {
            return; // another thread pruned meanwhile
        }
        Instant horizon = now.minus(keep);
        started.values().removeIf(t -> t.isBefore(horizon));
        if (started.size() >= capacity / 2) {
            // every call is recent: keep the newer half
            Instant[] times = started.values().toArray(Instant[]::new);
            java.util.Arrays.sort(times);
            Instant median = times[times.length / 2];
            started.values().removeIf(t -> t.isBefore(median));
        }
    }
}
