package org.tollgate.proxy.ban;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Events per key in fixed windows (pike's sampling unit): {@link #hit} says how many the key
 * had in its current window. Bounded: when too many keys are counted at once (spoofed UDP
 * sources), all counts start again rather than the heap filling.
 */
final class Counters {

    private static final int MAX_KEYS = 200_000;

    private static final class Window {
        long start;
        int count;
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final long windowNanos;

    Counters(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** Counts one event for {@code key} at {@code now} (nanos); returns the count in its window. */
    int hit(String key, long now) {
        if (windows.size() > MAX_KEYS) {
            windows.clear();
        }
        Window w = windows.computeIfAbsent(key, k -> new Window());
        synchronized (w) {
            if (w.count == 0 || now - w.start >= windowNanos) {
                w.start = now;
                w.count = 0;
            }
            return ++w.count;
        }
    }

    void reset(String key) {
        windows.remove(key);
    }

    /** Forgets windows that ended (called now and then). */
    void purge(long now) {
        windows.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return now - e.getValue().start >= windowNanos;
            }
        });
    }
}
