package org.tollgate.api.prepaid;

import java.time.Instant;
import java.util.Objects;

/**
 * A call still up reports the seconds it has used since it was answered and asks for more
 * (RADIUS Interim-Update or a new Access-Request, Diameter CCR-Update). {@code sequence} numbers
 * the reports of a call from 1: a report sent again with the same number gets the same answer.
 * {@code answeredAt}: when the call was answered, if the network says (else the authorization's time).
 * {@code sinceLastReport}: {@code usedSeconds} counts from the previous report, not from the answer
 * (Diameter's Used-Service-Unit, RFC 4006 §8.19); the engine adds it to what it knows was used.
 */
public record CallReport(CallKey call, int sequence, long usedSeconds, Instant answeredAt, Instant at,
                         long wantedSeconds, boolean sinceLastReport) {

    /** A report of the seconds used since the answer. */
    public CallReport(CallKey call, int sequence, long usedSeconds, Instant answeredAt, Instant at, long wantedSeconds) {
        this(call, sequence, usedSeconds, answeredAt, at, wantedSeconds, false);
    }

    public CallReport {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(at, "at");
        if (sequence < 1 || usedSeconds < 0 || wantedSeconds < 0) {
            throw new IllegalArgumentException("sequence from 1, used and wanted seconds not negative");
        }
    }
}
