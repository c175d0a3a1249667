package org.tollgate.rating.tariff;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * The price of calls to one prefix in one time band, in force from {@code validFrom} (inclusive)
 * to {@code validTo} (exclusive, null: open). Increments in seconds: the first billed increment,
 * then each next one (60/60, 30/6, 1/1). {@code minimumSeconds}: a connected call is billed at
 * least this long; {@code freeSeconds}: the first seconds cost nothing.
 */
public record Rate(String prefix, String destination, String band, BigDecimal connectFee, BigDecimal pricePerMinute,
                   int firstIncrement, int nextIncrement, int minimumSeconds, int freeSeconds,
                   Instant validFrom, Instant validTo) {

    public Rate {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.matches("\\d{1,20}")) {
            throw new IllegalArgumentException("prefix '" + prefix + "' is not 1 to 20 digits");
        }
        band = band == null || band.isBlank() ? TimeBand.ANY : band.intern(); // compared by reference when rating
        connectFee = connectFee == null ? BigDecimal.ZERO : connectFee;
        Objects.requireNonNull(pricePerMinute, "price per minute");
        if (connectFee.signum() < 0 || pricePerMinute.signum() < 0) {
            throw new IllegalArgumentException("prices must not be negative");
        }
        if (firstIncrement < 1 || nextIncrement < 1) {
            throw new IllegalArgumentException("increments must be at least 1 second");
        }
        if (minimumSeconds < 0 || freeSeconds < 0) {
            throw new IllegalArgumentException("minimum and free seconds must not be negative");
        }
        validFrom = validFrom == null || validFrom.equals(Instant.EPOCH) ? Instant.EPOCH : validFrom;
        if (validTo != null && !validTo.isAfter(validFrom)) {
            throw new IllegalArgumentException("valid-to must be after valid-from");
        }
    }

    /** In force from the epoch on, with no end: the common case, told without reading the instants. */
    public boolean timeless() {
        return validFrom == Instant.EPOCH && validTo == null;
    }

    public boolean inForceAt(Instant t) {
        return !t.isBefore(validFrom) && (validTo == null || t.isBefore(validTo));
    }
}
