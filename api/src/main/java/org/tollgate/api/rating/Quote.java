package org.tollgate.api.rating;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;

import org.tollgate.api.Money;

/**
 * A price, or why there is none ({@code rated} false, {@code reason} set: never a zero price for
 * an unknown destination). {@code cost} includes the connect fee and is rounded per the plan;
 * {@code segments} show how it was computed.
 */
public record Quote(boolean rated, String reason, String number, String prefix, String destination, long billedSeconds,
                    BigDecimal cost, Currency currency, BigDecimal connectFee, List<Segment> segments) {

    public Quote {
        segments = List.copyOf(segments);
    }

    public static Quote unrated(String number, Currency currency, String reason) {
        return new Quote(false, reason, number, null, null, 0, null, currency, null, List.of());
    }

    /** The cost as money; null when unrated. */
    public Money price() {
        return rated ? new Money(cost, currency) : null;
    }

    /** How it was computed, one line per part, for {@code rates quote}. */
    public String explain() {
        if (!rated) {
            return "UNRATED: " + reason;
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format("%s → prefix %s (%s), billed %d s%n", number, prefix, destination, billedSeconds));
        if (connectFee.signum() != 0) {
            b.append(String.format("  connect fee                 %s%n", connectFee.toPlainString()));
        }
        for (Segment s : segments) {
            b.append(String.format("  %-8s from %s  %5d s × %s/min = %s%n", s.band(), s.from(), s.seconds(),
                    s.pricePerMinute().toPlainString(),
                    // two places more than the plan rounds to: the parts, before the total is rounded
                    s.cost().setScale(cost.scale() + 2, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()));
        }
        b.append(String.format("  total %s %s", cost.toPlainString(), currency.getCurrencyCode()));
        return b.toString();
    }
}
