package org.tollgate.proxy.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * rtpengine's ng protocol over UDP, to one or more relays in order of preference: a command is
 * sent to the first relay up, retransmitted with the same cookie (rtpengine answers a repeated
 * cookie from its cache, so a command is never applied twice) and, when that relay does not
 * answer, sent to the next one. A relay that did not answer is tried after the others until it
 * answers again (a command or a ping).
 */
public final class NgClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NgClient.class);
    private static final int MAX_DATAGRAM = 65_535;

    /** No relay answered the command. */
    public static final class NoRelay extends Exception {
        NoRelay(String message) {
            super(message, null, false, false);
        }
    }

    /** A relay answered {@code result: error}. */
    public static final class RelayError extends Exception {
        RelayError(String message) {
            super(message, null, false, false);
        }

        /** The relay does not know the call: it never had it, or closed it (a media timeout). */
        public boolean unknownCall() {
            return getMessage() != null && getMessage().toLowerCase(java.util.Locale.ROOT).contains("unknown call");
        }
    }

    private final List<InetSocketAddress> relays;
    private final Duration timeout;
    private final int tries;
    private final DatagramSocket socket;
    private final Thread reader;
    private final ScheduledExecutorService timers;
    private final Map<String, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Boolean> down = new ConcurrentHashMap<>();
    private final String prefix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean running = true;

    /**
     * @param timeout how long each try waits for the answer
     * @param tries   sends to one relay (the first and the retransmissions) before the next
     */
    public NgClient(List<InetSocketAddress> relays, Duration timeout, int tries) {
        if (relays.isEmpty() || tries < 1 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("an ng client needs a relay, tries >= 1 and a positive timeout");
        }
        this.relays = List.copyOf(relays);
        this.timeout = timeout;
        this.tries = tries;
        try {
            this.socket = new DatagramSocket();
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tollgate-ng-timer");
            t.setDaemon(true);
            return t;
        });
        this.reader = new Thread(this::read, "tollgate-ng-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends {@code command} (its "command" key set) and completes with the relay's answer; NoRelay or RelayError otherwise. */
    public CompletableFuture<Map<String, Object>> send(Map<String, Object> command) {
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        attempt(command, order(), 0, result);
        return result;
    }

    /** Pings one relay: true when it answers pong within the timeout (it is then tried first again). */
    public boolean ping(InetSocketAddress relay) {
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        exchange(relay, Map.of("command", "ping"), 1, answer);
        try {
            boolean pong = "pong".equals(answer.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS).get("result"));
            if (pong) {
                down.remove(relay);
            } else {
                down.put(relay, Boolean.TRUE);
            }
            return pong;
        } catch (Exception e) {
            down.put(relay, Boolean.TRUE);
            return false;
        }
    }

    /** False once the relay missed an answer (a command or a ping), true again once it answers. */
    public boolean answering(InetSocketAddress relay) {
        return !down.containsKey(relay);
    }

    public List<InetSocketAddress> relays() {
        return relays;
    }

    /**
     * The relays up, by preference, then those marked down: a relay that missed answers under load
     * (or the only one there is) is still tried rather than the call given up at once.
     */
    private List<InetSocketAddress> order() {
        List<InetSocketAddress> up = new ArrayList<>(relays.size());
        List<InetSocketAddress> later = new ArrayList<>(0);
        for (InetSocketAddress r : relays) {
            (down.containsKey(r) ? later : up).add(r);
        }
        up.addAll(later);
        return up;
    }

    private void attempt(Map<String, Object> command, List<InetSocketAddress> order, int index,
                         CompletableFuture<Map<String, Object>> result) {
        if (index >= order.size()) {
            result.completeExceptionally(new NoRelay("no media relay answered " + command.get("command")));
            return;
        }
        InetSocketAddress relay = order.get(index);
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        exchange(relay, command, tries, answer);
        answer.whenComplete((body, failure) -> {
            if (failure != null) {
                if (down.put(relay, Boolean.TRUE) == null) {
                    log.warn("media relay {} did not answer {}: trying the next", relay, command.get("command"));
                }
                attempt(command, order, index + 1, result);
            } else {
                down.remove(relay);
                if ("error".equals(body.get("result"))) {
                    result.completeExceptionally(new RelayError(String.valueOf(body.get("error-reason"))));
                } else {
                    result.complete(body);
                }
            }
        });
    }

    /** Sends to one relay, retransmitting with the same cookie, {@code tries} times at most. */
    private void exchange(InetSocketAddress relay, Map<String, Object> command, int tries,
                          CompletableFuture<Map<String, Object>> answer) {
        String cookie = prefix + "_" + sequence.incrementAndGet();
        byte[] data = new NgMessage(cookie, command).encode();
        pending.put(cookie, answer);
        Runnable[] send = new Runnable[1];
        int[] sent = {0};
        ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
        send[0] = () -> {
            if (answer.isDone()) {
                return;
            }
            if (sent[0]++ == tries) {
                pending.remove(cookie);
                answer.completeExceptionally(new NoRelay("no answer from " + relay));
                return;
            }
            try {
                socket.send(new DatagramPacket(data, data.length, relay));
            } catch (IOException e) {
                log.debug("ng send to {} failed: {}", relay, e.toString());
            }
            timer[0] = timers.schedule(send[0], timeout.toMillis(), TimeUnit.MILLISECONDS);
        };
        answer.whenComplete((b, f) -> {
            pending.remove(cookie);
            if (timer[0] != null) {
                timer[0].cancel(false);
            }
        });
        send[0].run();
    }

    private void read() {
        byte[] buffer = new byte[MAX_DATAGRAM];
        while (running) {
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                if (running) {
                    log.warn("ng socket: {}", e.toString());
                }
                continue;
            }
            try {
                NgMessage m = NgMessage.decode(p.getData(), p.getLength());
                CompletableFuture<Map<String, Object>> f = pending.remove(m.cookie());
                if (f != null) {
                    f.complete(m.body());
                }
            } catch (IllegalArgumentException e) {
                log.debug("dropped a malformed ng answer from {}: {}", p.getSocketAddress(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        socket.close();
        timers.shutdownNow();
        pending.values().forEach(f -> f.completeExceptionally(new NoRelay("closed")));
    }
}
