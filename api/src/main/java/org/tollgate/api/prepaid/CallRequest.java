package org.tollgate.api.prepaid;

import java.time.Instant;
import java.util.Objects;

/**
 * "May this call go ahead, and for how long?" — the first authorization of a call (RADIUS
 * Access-Request, Diameter CCR-Initial). {@code wantedSeconds}: the grant the network asks for,
 * 0 for the configured quota.
 */
public record CallRequest(CallKey call, String destination, Instant at, long wantedSeconds) {

    public CallRequest {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(at, "at");
        if (wantedSeconds < 0) {
            throw new IllegalArgumentException("wanted seconds cannot be negative");
        }
    }
}
