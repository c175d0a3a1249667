package org.tollgate.api.prepaid;

import java.time.Instant;
import java.util.Objects;

/**
 * A call is over: {@code usedSeconds} from {@code answeredAt} (0 and null for a call that never
 * connected; then {@code destination} may be null too). {@code source} says who told (e.g.
 * "radius-stop", "ccr-terminate", "cdr") for the ledger. {@code sinceLastReport}: {@code usedSeconds}
 * is the use since the call's last report (Diameter's CCR-Terminate), added to what was reported
 * before; {@code answeredAt} may then be null (the authorization's time).
 */
public record CallEnd(CallKey call, String destination, long usedSeconds, Instant answeredAt, Instant at, String source,
                      boolean sinceLastReport) {

    /** The end of a call with its whole duration. */
    public CallEnd(CallKey call, String destination, long usedSeconds, Instant answeredAt, Instant at, String source) {
        this(call, destination, usedSeconds, answeredAt, at, source, false);
    }

    public CallEnd {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(source, "source");
        if (usedSeconds < 0) {
            throw new IllegalArgumentException("used seconds cannot be negative");
        }
        if (usedSeconds > 0 && answeredAt == null && !sinceLastReport) {
            throw new IllegalArgumentException("a call that lasted must say when it was answered");
        }
    }
}
