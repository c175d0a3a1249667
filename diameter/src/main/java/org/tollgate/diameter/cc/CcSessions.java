package org.tollgate.diameter.cc;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Credit-Control sessions up: whose and to where (a CCR-Update or -Terminate need not say
 * again), and each one's supervision timer Tcc (RFC 4006 §5.1): restarted by every successful
 * answer, it fires {@code onSilence} when the client neither updates nor terminates in time.
 * Ended sessions are remembered for a while, so a retransmitted CCR-Terminate finds its account.
 */
final class CcSessions {

    /** One session: the account and destination of its CCR-Initial. */
    static final class Session {
        final String id;
        final String callId;
        final String account;
        final String destination;
        volatile ScheduledFuture<?> tcc;
        volatile long endedAtNanos;

        Session(String id, String callId, String account, String destination) {
            this.id = id;
            this.callId = callId;
            this.account = account;
            this.destination = destination;
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers;
    private final Consumer<Session> onSilence;
    private final long keepEndedNanos;

    CcSessions(ScheduledExecutorService timers, Consumer<Session> onSilence, Duration keepEnded) {
        this.timers = timers;
        this.onSilence = onSilence;
        this.keepEndedNanos = keepEnded.toNanos();
        long every = Math.max(1, keepEnded.toSeconds() / 4);
        timers.scheduleWithFixedDelay(this::forgetEnded, every, every, TimeUnit.SECONDS);
    }

    Session get(String id) {
        return sessions.get(id);
    }

    /** The session of a CCR-Initial answered with a grant (the same one when asked again). */
    Session open(String id, String callId, String account, String destination) {
        return sessions.computeIfAbsent(id, k -> new Session(k, callId, account, destination));
    }

    /** (Re)starts Tcc for the session. */
    void supervise(Session s, Duration tcc) {
        ScheduledFuture<?> old = s.tcc;
        if (old != null) {
            old.cancel(false);
        }
        if (s.endedAtNanos == 0) {
            s.tcc = timers.schedule(() -> {
                if (s.endedAtNanos == 0) {
                    onSilence.accept(s);
                }
            }, tcc.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    void end(Session s) {
        s.endedAtNanos = System.nanoTime();
        ScheduledFuture<?> t = s.tcc;
        if (t != null) {
            t.cancel(false);
        }
    }

    int open() {
        return (int) sessions.values().stream().filter(s -> s.endedAtNanos == 0).count();
    }

    private void forgetEnded() {
        long now = System.nanoTime();
        sessions.values().removeIf(s -> s.endedAtNanos != 0 && now - s.endedAtNanos > keepEndedNanos);
    }
}
