package org.tollgate.api.rating;

import java.time.Instant;
import java.util.Objects;

/**
 * A call to price: who pays (an account's name), the number called, when it was answered and
 * how long it lasted in seconds.
 */
public record Usage(String account, String destination, Instant start, long seconds) {

    public Usage {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(start, "start");
        if (seconds < 0) {
            throw new IllegalArgumentException("a duration cannot be negative");
        }
    }
}
