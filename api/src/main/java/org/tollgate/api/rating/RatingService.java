package org.tollgate.api.rating;

import org.tollgate.api.Money;

/**
 * Prices calls with the plan of the account that pays, in the account's time zone: postpaid
 * (a finished call) and prepaid (how long may a call last) ask the same function, so they never
 * disagree.
 */
public interface RatingService {

    /**
     * The price of a usage. Unrated, with the reason, when the account, its plan or a rate for the
     * destination is missing — never a price of zero for what cannot be priced.
     */
    Quote price(Usage usage);

    /**
     * The longest call (in whole billing increments of the account's plan) starting at
     * {@code upTo.start()} to {@code upTo.destination()} whose price is within {@code amount}, and
     * at most {@code upTo.seconds()} long (the ceiling; {@link Allowance#capped()} says whether the
     * money would have bought more). Unrated as {@link #price} is; an amount in another currency
     * than the plan's is refused with IllegalArgumentException.
     */
    Allowance longestCall(Usage upTo, Money amount);
}
