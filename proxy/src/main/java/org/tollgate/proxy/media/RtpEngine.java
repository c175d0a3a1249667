package org.tollgate.proxy.media;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The calls of rtpengine's ng protocol the proxy needs: {@code offer} the caller's SDP and
 * {@code answer} the callee's (each comes back rewritten to the relay's address and ports),
 * {@code query} a call's media activity, {@code delete} it. Keyed, as rtpengine keys calls, by the
 * SIP Call-ID and the From/To tags.
 */
public final class RtpEngine {

    private final NgClient client;
    private final List<String> flags;

    /** @param flags the offer's and answer's extra ng flags, e.g. {@code "trust-address"} */
    public RtpEngine(NgClient client, List<String> flags) {
        this.client = client;
        this.flags = List.copyOf(flags);
    }

    /** What a call's media did: each stream's last packet, and its packets so far. */
    public record Activity(Optional<Instant> lastPacket, long packets, long bytes) {
    }

    public CompletableFuture<String> offer(String callId, String fromTag, String sdp) {
        Map<String, Object> c = command("offer", callId, fromTag);
        c.put("sdp", sdp);
        c.put("replace", List.of("origin", "session-connection"));
        if (!flags.isEmpty()) {
            c.put("flags", flags);
        }
        return client.send(c).thenApply(RtpEngine::sdp);
    }

    public CompletableFuture<String> answer(String callId, String fromTag, String toTag, String sdp) {
        Map<String, Object> c = command("answer", callId, fromTag);
        c.put("to-tag", toTag);
        c.put("sdp", sdp);
        c.put("replace", List.of("origin", "session-connection"));
        if (!flags.isEmpty()) {
            c.put("flags", flags);
        }
        return client.send(c).thenApply(RtpEngine::sdp);
    }

    /** The call's media so far, as the relay saw it. */
    public CompletableFuture<Activity> query(String callId) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("command", "query");
        c.put("call-id", callId);
        return client.send(c).thenApply(RtpEngine::activity);
    }

    /** Ends the call on the relay; completes with its media totals. */
    public CompletableFuture<Activity> delete(String callId, String fromTag) {
        return client.send(command("delete", callId, fromTag)).thenApply(RtpEngine::activity);
    }

    private static Map<String, Object> command(String name, String callId, String fromTag) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("command", name);
        c.put("call-id", callId);
        c.put("from-tag", fromTag);
        return c;
    }

    private static String sdp(Map<String, Object> answer) {
        Object sdp = answer.get("sdp");
        if (!(sdp instanceof String s)) {
            throw new IllegalStateException("the relay's answer has no SDP: " + answer.keySet());
        }
        return s;
    }

    /**
     * The latest "last packet" of any stream of any tag, and the packets and bytes of all of them
     * (rtpengine's query and delete answers: tags → medias → streams, each with "last packet" in
     * epoch seconds and its "stats").
     */
    static Activity activity(Map<String, Object> answer) {
        long last = 0;
        long packets = 0;
        long bytes = 0;
        for (Map<String, Object> stream : streams(answer)) {
            last = Math.max(last, number(stream.get("last packet")));
            if (stream.get("stats") instanceof Map<?, ?> stats) {
                packets += number(stats.get("packets"));
                bytes += number(stats.get("bytes"));
            }
        }
        return new Activity(last > 0 ? Optional.of(Instant.ofEpochSecond(last)) : Optional.empty(), packets, bytes);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> streams(Map<String, Object> answer) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (answer.get("tags") instanceof Map<?, ?> tags) {
            for (Object tag : tags.values()) {
                if (tag instanceof Map<?, ?> t && t.get("medias") instanceof List<?> medias) {
                    for (Object media : medias) {
                        if (media instanceof Map<?, ?> m && m.get("streams") instanceof List<?> streams) {
                            for (Object s : streams) {
                                if (s instanceof Map<?, ?>) {
                                    out.add((Map<String, Object>) s);
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private static long number(Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        if (o instanceof String s && s.matches("\\d+")) {
            return Long.parseLong(s);
        }
        return 0;
    }
}
