package org.tollgate.proxy.sip;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Requests too broken to serve, answered 400 or dropped. Anyone can send them, so each one is
 * counted ({@code tollgate_proxy_malformed_total}) and the log gets at most one line per
 * interval, naming the last source and how many more there were, never a stack trace.
 */
public final class MalformedRequests {

    private static final Logger log = LoggerFactory.getLogger(MalformedRequests.class);

    private final Counter parse;
    private final Counter request;
    private final long intervalNanos;
    private final AtomicLong nextLine = new AtomicLong(System.nanoTime());
    private final AtomicLong unlogged = new AtomicLong();

    public MalformedRequests(MeterRegistry meters, long interval, TimeUnit unit) {
        this.parse = Counter.builder("tollgate_proxy_malformed").tag("stage", "parse")
                .description("SIP messages the stack could not parse (answered 400 when it could, else dropped)")
                .register(meters);
        this.request = Counter.builder("tollgate_proxy_malformed").tag("stage", "request")
                .description("parsed SIP requests lacking what the proxy needs (answered 400)").register(meters);
        this.intervalNanos = unit.toNanos(interval);
    }

    /** A message the SIP stack could not parse; {@code source} null when the transport does not tell (TCP). */
    public void unparsable(String source, String why) {
        parse.increment();
        line(source, why);
    }

    /** A request that parsed but cannot be served as it is (answered 400). */
    public void refused(String source, String why) {
        request.increment();
        line(source, why);
    }

    private void line(String source, String why) {
        long now = System.nanoTime();
        long next = nextLine.get();
        if (now - next >= 0 && nextLine.compareAndSet(next, now + intervalNanos)) {
            long more = unlogged.getAndSet(0);
            log.warn("malformed SIP from {}: {}{}", source == null ? "a stream" : Printable.text(source, 120), Printable.text(why, 120),
                    more > 0 ? " (and " + more + " more since the last line)" : "");
        } else {
            unlogged.incrementAndGet();
        }
    }
}
