package org.tollgate.rating;

import java.math.BigDecimal;
import java.time.Instant;

/** Part of a call priced in one band: from when, how many billed seconds, at what price; cost unrounded. */
public record Segment(String band, String prefix, Instant from, long seconds, BigDecimal pricePerMinute, BigDecimal cost) {
}
