package org.tollgate.aaa.radius.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.tollgate.aaa.radius.StorableText;

/**
 * Requests by type and result, silent drops by reason (RFC 2865 §3 says drop, so count), and
 * requests carrying text PostgreSQL cannot hold (answered, not logged: a NAS can send any bytes).
 */
public class RadiusMetrics {

    /** Why a packet got no answer. */
    public enum Drop {
        UNKNOWN_CLIENT, MALFORMED, BAD_AUTHENTICATOR, MISSING_MESSAGE_AUTHENTICATOR, UNSUPPORTED_TYPE,
        NOT_STORED, INTERNAL_ERROR
    }

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<Drop, Counter> drops = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> invalidText = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> prepaid = new ConcurrentHashMap<>();

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

    /** A request ({@code access} or {@code accounting}) with text that had to be refused or made safe. */
    public void invalidText(String packet, StorableText.Problem reason) {
        invalidText.computeIfAbsent(packet + '\u0000' + reason.label(), k -> Counter.builder("tollgate.radius.invalid.text")
                .description("RADIUS requests with a NUL byte or bytes that are not UTF-8 in a text attribute")
                .tag("packet", packet).tag("reason", reason.label()).register(registry)).increment();
    }

    /**
     * A prepaid step asked over RADIUS ({@code authorize}, {@code reauthorize} by Access-Request;
     * {@code interim}, {@code stop}, {@code release} from accounting) and how it came out.
     */
    public void prepaid(String step, String result) {
        prepaid.computeIfAbsent(step + '\u0000' + result, k -> Counter.builder("tollgate.radius.prepaid")
                .description("prepaid steps asked over RADIUS, by step and result")
                .tag("step", step).tag("result", result).register(registry)).increment();
    }

    public double prepaidCount(String step, String result) {
        Counter c = prepaid.get(step + '\u0000' + result);
        return c == null ? 0 : c.count();
    }

    public double dropped(Drop reason) {
        Counter c = drops.get(reason);
        return c == null ? 0 : c.count();
    }

}
