package org.tollgate.cdr.query;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** Evidence from a media relay that a call's media stopped at {@code lastMediaAt}. */
public record MediaEvent(String callId, Instant lastMediaAt, String source) {

    /** Longest Call-ID (and source) accepted; longer ones are not SIP Call-IDs but garbage. */
    public static final int MAX_LENGTH = 255;
    public static final String DEFAULT_SOURCE = "api";

    public MediaEvent {
        if (callId == null || callId.isBlank()) {
            throw new IllegalArgumentException("callId is missing");
        }
        if (callId.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("callId is longer than " + MAX_LENGTH + " characters");
        }
        // PostgreSQL keeps microseconds; cut here so a retry with nanoseconds is the same event
        lastMediaAt = Objects.requireNonNull(lastMediaAt, "lastMediaAt").truncatedTo(ChronoUnit.MICROS);
        source = source == null ? DEFAULT_SOURCE : source;
        if (source.isBlank() || source.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("source must be 1 to " + MAX_LENGTH + " characters");
        }
    }
}
