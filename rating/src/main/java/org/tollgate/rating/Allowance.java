package org.tollgate.rating;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * How long a call may last for an amount of money: {@code seconds} (0: not even the first
 * increment fits), what a call of that length costs, and whether the ceiling asked for cut it
 * short ({@code capped}: the money would allow more, so this is not the last grant). Unrated,
 * with the reason, when the destination has no price.
 */
public record Allowance(boolean rated, String reason, String number, String prefix, String destination, long seconds,
                        BigDecimal cost, Currency currency, boolean capped) {

    static Allowance unrated(Quote q) {
        return new Allowance(false, q.reason(), q.number(), null, null, 0, null, q.currency(), false);
    }
}
