package org.tollgate.api.rating;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** Part of a call priced in one band: from when, how many billed seconds, at what price. */
public record Segment(String band, String prefix, Instant from, long seconds, BigDecimal pricePerMinute) {

    private static final BigDecimal SIXTY = BigDecimal.valueOf(60);

    /** The part's cost, unrounded (12 places): computed when asked, not on the rater's path. */
    public BigDecimal cost() {
        return pricePerMinute.multiply(BigDecimal.valueOf(seconds)).divide(SIXTY, 12, RoundingMode.HALF_EVEN);
    }
}
