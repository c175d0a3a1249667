package org.tollgate.aaa.radius.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Requests by type and result, and silent drops by reason (RFC 2865 §3 says drop, so count). */
public class RadiusMetrics {

    /** Why a packet got no answer. */
    public enum Drop {
        UNKNOWN_CLIENT, MALFORMED, BAD_AUTHENTICATOR, MISSING_MESSAGE_AUTHENTICATOR, UNSUPPORTED_TYPE,
        NOT_STORED, INTERNAL_ERROR
    }

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<Drop, Counter> drops = new ConcurrentHashMap<>();

    public RadiusMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void request(String type, String result) {
        requests.computeIfAbsent(type + '\u0000' + result, k -> Counter.builder("tollgate.radius.requests")
                .description("RADIUS requests answered, by type and result")
                .tag("type", type).tag("result", result).register(registry)).increment();
    }

    public void drop(Drop reason) {
        drops.computeIfAbsent(reason, r -> Counter.builder("tollgate.radius.dropped")
                .description("RADIUS packets dropped without an answer, by reason")
                .tag("reason", r.name().toLowerCase()).register(registry)).increment();
    }

    public double dropped(Drop reason) {
        Counter c = drops.get(reason);
        return c == null ? 0 : c.count();
    }

}
