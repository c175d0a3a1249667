package org.tollgate.api.rating;

import java.math.BigDecimal;
import java.util.Currency;

import org.tollgate.api.Money;

/**
 * How long a call may last for an amount of money: {@code seconds} (0: not even the first
 * increment fits), what a call of that length costs, and whether the ceiling asked for cut it
 * short ({@code capped}: the money would allow more, so this is not the last grant). Unrated,
 * with the reason, when the destination has no price.
 */
public record Allowance(boolean rated, String reason, String number, String prefix, String destination, long seconds,
                        BigDecimal cost, Currency currency, boolean capped) {

    public static Allowance unrated(Quote q) {
        return new Allowance(false, q.reason(), q.number(), null, null, 0, null, q.currency(), false);
    }

    /** What a call of that length costs, as money; null when unrated. */
    public Money price() {
        return rated ? new Money(cost, currency) : null;
    }
}
