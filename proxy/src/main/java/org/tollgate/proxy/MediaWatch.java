package org.tollgate.proxy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.proxy.dialog.Dialog;
import org.tollgate.proxy.dialog.DialogRegistry;
import org.tollgate.proxy.media.MediaEvidence;
import org.tollgate.proxy.media.MediaRelay;
import org.tollgate.proxy.media.NgClient;

/**
 * Ends the calls whose media stopped. The relay times a call out after its {@code --timeout} without
 * a packet and says so (its teardown callback, {@link #relayClosed}); it can also close a call
 * without calling back, so every {@code pollInterval} the proxy asks the relay about each relayed
 * call: the answer's last packet is kept (and stored as evidence for the CDR engine), and a call the
 * relay no longer knows has timed out. The call is billed to the last packet seen, or, when no
 * query saw one, to the relay's timeout before now.
 */
final class MediaWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaWatch.class);

    private final MediaRelay media;
    private final DialogRegistry dialogs;
    private final CallLifecycle calls;
    private final MediaEvidence evidence;
    private final Duration relayTimeout;
    private final Duration pollInterval;
    private final Clock clock;
    private final ScheduledExecutorService worker;

    MediaWatch(MediaRelay media, DialogRegistry dialogs, CallLifecycle calls, MediaEvidence evidence,
               Duration relayTimeout, Duration pollInterval, Clock clock) {
        this.media = media;
        this.dialogs = dialogs;
        this.calls = calls;
        this.evidence = evidence;
        this.relayTimeout = relayTimeout;
        this.pollInterval = pollInterval;
        this.clock = clock;
        // its own thread: a round waits for the relay, which the SIP timers must not
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sip-media-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Polls every {@code pollInterval} (0: never) and pings the relays every {@code pingInterval}. */
    MediaWatch start(Duration pingInterval) {
        if (!pollInterval.isZero()) {
            long ms = pollInterval.toMillis();
            worker.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
        }
        media.watchHealth(worker, pingInterval);
        return this;
    }

    /** The relay timed the call out (its callback): the call ends at its last packet. */
    void relayClosed(String callId) {
        for (Dialog d : dialogs.byCallId(callId)) {
            if (d.relayed()) {
                end(d);
            }
        }
    }

    /** Asks the relay about every relayed call; waits for the answers, at most one interval. */
    void poll() {
        try {
            List<MediaEvidence.Seen> seen = new ArrayList<>();
            List<CompletableFuture<Void>> asked = new ArrayList<>();
            for (Dialog d : dialogs.all()) {
                if (!d.relayed() || d.ended()) {
                    continue;
                }
                asked.add(media.query(d.leg().callId()).handle((activity, failure) -> {
                    if (failure == null) {
                        activity.lastPacket().ifPresent(t -> {
                            if (d.sawMedia(t)) {
                                synchronized (seen) {
                                    seen.add(new MediaEvidence.Seen(d.leg().callId(), t));
                                }
                            }
                        });
                    } else if (cause(failure) instanceof NgClient.RelayError e && e.unknownCall()) {
                        worker.execute(() -> end(d)); // closed without a callback
                    }
                    return null;
                }));
            }
            try {
                CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new))
                        .get(Math.max(pollInterval.toMillis(), 1000), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                log.debug("media query round incomplete: {}", e.toString());
            }
            List<MediaEvidence.Seen> copy;
            synchronized (seen) {
                copy = List.copyOf(seen);
            }
            if (!copy.isEmpty()) {
                evidence.record(copy);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("media watch round failed: {}", e.toString());
        }
    }

    private void end(Dialog d) {
        Instant last = d.lastMedia();
        if (last == null) {
            last = clock.instant().minus(relayTimeout);
        }
        if (calls.endByMediaTimeout(d, last)) {
            log.info("call {} ended: no media since {}", d.leg().callId(), last);
        }
    }

    private static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
