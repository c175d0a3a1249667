package org.tollgate.proxy.dialog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The confirmed dialogs, each with a timer that ends it when its session expires. Changes are
 * written behind to a {@link DialogStore} every flush interval, so a call shorter than that
 * costs the database nothing (like Kamailio's dialog db_mode 2).
 */
public final class DialogRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DialogRegistry.class);

    private final Map<String, Dialog> dialogs = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timers;
    private final ScheduledExecutorService flusher;
    private final DialogStore store;
    private final Clock clock;
    private final Object pendingLock = new Object();
    private Map<String, Dialog> pendingUpserts = new LinkedHashMap<>();
    private Map<String, Dialog> pendingDeletes = new LinkedHashMap<>();
    private final java.util.Set<String> stored = ConcurrentHashMap.newKeySet();
    private volatile Consumer<Dialog> onExpiry = d -> { };

    public DialogRegistry(DialogStore store, Clock clock, Duration flushInterval) {
        this.store = store;
        this.clock = clock;
        this.timers = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "sip-dialog-timer"));
        this.timers.setRemoveOnCancelPolicy(true);
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sip-dialog-store"));
        long ms = flushInterval.toMillis();
        flusher.scheduleWithFixedDelay(this::flushQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** What to do with a dialog whose session expired (the proxy sends BYEs and accounts the Stop). */
    public void onExpiry(Consumer<Dialog> action) {
        this.onExpiry = action;
    }

    /** Loads the dialogs a previous run left and arms their timers; returns how many. */
    public int recover() {
        List<Dialog> left = store.load();
        for (Dialog d : left) {
            dialogs.put(d.key(), d);
            stored.add(d.key());
            arm(d);
        }
        return left.size();
    }

    public void add(Dialog d) {
        dialogs.put(d.key(), d);
        arm(d);
        changed(d);
    }

    public Dialog find(String callId, String tagA, String tagB) {
        return dialogs.get(Dialog.key(callId, tagA, tagB));
    }

    public void refreshed(Dialog d, long interval, Duration fallback) {
        Instant now = clock.instant();
        d.refreshed(now, interval, now.plus(interval > 0 ? Duration.ofSeconds(interval) : fallback));
        d.cancelTimer(); // a shorter interval must not wait for the old timer
        arm(d);
        changed(d);
    }

    /** The dialog's end moved (a prepaid grant extended, or its last one came): re-armed and written again. */
    public void moved(Dialog d) {
        if (dialogs.get(d.key()) != d) {
            return;
        }
        d.cancelTimer();
        arm(d);
        changed(d);
    }

    /** Removes an ended dialog. */
    public void remove(Dialog d) {
        d.cancelTimer();
        if (dialogs.remove(d.key(), d)) {
            synchronized (pendingLock) {
                // never written and not being written: nothing to delete
                Dialog unwritten = pendingUpserts.remove(d.key());
                if (unwritten == null || stored.contains(d.key())) {
                    pendingDeletes.put(d.key(), d);
                }
            }
        }
    }

    /** The dialogs of a Call-ID (one, unless the call forked into several confirmed dialogs). */
    public List<Dialog> byCallId(String callId) {
        return dialogs.values().stream().filter(d -> d.leg().callId().equals(callId)).toList();
    }

    public Collection<Dialog> all() {
        return List.copyOf(dialogs.values());
    }

    public int size() {
        return dialogs.size();
    }

    private void changed(Dialog d) {
        synchronized (pendingLock) {
            pendingUpserts.put(d.key(), d);
        }
    }

    private void arm(Dialog d) {
        long delay = Math.max(0, Duration.between(clock.instant(), d.expiresAt()).toMillis());
        d.timer(timers.schedule(() -> check(d), delay, TimeUnit.MILLISECONDS));
    }

    // A refresh only moves expiresAt; the timer finds that out when it fires and re-arms.
    private void check(Dialog d) {
        if (d.ended() || dialogs.get(d.key()) != d) {
            return;
        }
        if (clock.instant().isBefore(d.expiresAt())) {
            arm(d);
            return;
        }
        try {
            onExpiry.accept(d);
        } catch (RuntimeException e) {
            log.warn("ending expired dialog {} failed", d.leg().callId(), e);
        }
    }

    /** Writes pending changes now (also called every flush interval). */
    public void flush() {
        Map<String, Dialog> up;
        Map<String, Dialog> del;
        synchronized (pendingLock) {
            if (pendingUpserts.isEmpty() && pendingDeletes.isEmpty()) {
                return;
            }
            up = pendingUpserts;
            del = pendingDeletes;
            pendingUpserts = new LinkedHashMap<>();
            pendingDeletes = new LinkedHashMap<>();
        }
        try {
            store.write(new ArrayList<>(up.values()), new ArrayList<>(del.values()));
            stored.addAll(up.keySet());
            stored.removeAll(del.keySet());
        } catch (RuntimeException e) {
            synchronized (pendingLock) {
                up.forEach(pendingUpserts::putIfAbsent);
                del.forEach(pendingDeletes::putIfAbsent);
            }
            throw e;
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("writing dialogs failed, retrying: {}", e.getMessage());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        timers.shutdownNow();
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
            flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("final dialog write failed: {}", e.getMessage());
        }
    }
}
