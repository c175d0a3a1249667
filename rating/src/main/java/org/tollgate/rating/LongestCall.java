package org.tollgate.rating;

import org.tollgate.api.rating.Allowance;
import org.tollgate.api.rating.Quote;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;

import org.tollgate.rating.tariff.Rate;
import org.tollgate.rating.tariff.RatePlan;

/**
 * The inverse of {@link Rater#price}: the longest call whose price is within an amount of money,
 * up to a ceiling (the grant asked for). The answer is checked with {@code price} itself, so
 * prepaid can never grant a length that postpaid rating would price above the money: connect
 * fee, increments, minimum, free seconds, bands crossed, effective dates and rounding are
 * whatever {@code price} says they are.
 *
 * <p>Price is a step function of the duration: constant from just after one billing boundary up
 * to the next. So the answer is the ceiling when the call that long fits, otherwise the largest
 * boundary below it that fits. A first guess from the price in the starting band is checked
 * with {@code price}; when the call crosses into a band with another price the guess is
 * corrected by galloping and bisection (a few more prices).
 */
public final class LongestCall {

    private static final BigDecimal SIXTY = BigDecimal.valueOf(60);

    private final Rater rater;

    public LongestCall(Rater rater) {
        this.rater = rater;
    }

    /**
     * The longest call to {@code number} starting at {@code start} that costs at most
     * {@code amount} (a negative amount allows nothing), and at most {@code ceiling} seconds.
     */
    public Allowance within(RatePlan plan, String number, Instant start, BigDecimal amount, long ceiling, ZoneId zone) {
        if (ceiling < 1) {
            throw new IllegalArgumentException("the ceiling must be at least 1 second");
        }
        Quote atCeiling = rater.price(plan, number, start, ceiling, zone);
        if (!atCeiling.rated()) {
            // a band the long call reaches may lack a rate: only a destination without any is unrated
            Quote one = rater.price(plan, number, start, 1, zone);
            if (!one.rated()) {
                return Allowance.unrated(one);
            }
        } else if (fits(atCeiling, amount)) {
            boolean more = fits(rater.price(plan, number, start, ceiling + 1, zone), amount);
            return allowance(atCeiling, ceiling, more);
        }
        Search s = new Search(plan, number, start, amount, zone);
        Rate first = rater.rateAtStart(plan, atCeiling.number(), start, zone);
        // the billing boundaries: b(k) = base + k × next; the last candidate is the largest below the ceiling
        long free = first.freeSeconds();
        long base = Rater.billedSeconds(first, Math.max(first.minimumSeconds(), free + 1)) + free;
        long next = first.nextIncrement();
        long last = base >= ceiling ? -1 : (ceiling - 1 - base) / next;
        long k = s.largestFitting(guess(first, base, next, amount, last), last, base, next);
        if (k >= 0) {
            long seconds = base + k * next;
            return allowance(s.quote(seconds), seconds, false);
        }
        // not one increment: a call within the free seconds costs only the connect fee
        if (free > 0 && first.minimumSeconds() <= free) {
            Quote q = s.quote(free);
            if (fits(q, amount)) {
                return allowance(q, free, false);
            }
        }
        return allowance(s.quote(0), 0, false);
    }

    /** The number of next increments the money buys at the starting band's price. */
    private static long guess(Rate first, long base, long next, BigDecimal amount, long last) {
        BigDecimal perIncrement = first.pricePerMinute().multiply(BigDecimal.valueOf(next));
        if (perIncrement.signum() == 0) {
            return last;
        }
        BigDecimal left = amount.multiply(SIXTY).subtract(first.connectFee().multiply(SIXTY))
                .subtract(first.pricePerMinute().multiply(BigDecimal.valueOf(base - first.freeSeconds())));
        if (left.signum() < 0) {
            return -1;
        }
        BigDecimal k = left.divideToIntegralValue(perIncrement);
        return k.compareTo(BigDecimal.valueOf(last)) >= 0 ? last : k.longValue();
    }

    private static boolean fits(Quote q, BigDecimal amount) {
        return q.rated() && q.cost().compareTo(amount) <= 0;
    }

    private static Allowance allowance(Quote q, long seconds, boolean capped) {
        return new Allowance(true, null, q.number(), q.prefix(), q.destination(), seconds, q.cost(), q.currency(), capped);
    }

    /** Prices boundaries b(k) for one question; k = -1 stands for "no increment", which always fits. */
    private final class Search {
        private final RatePlan plan;
        private final String number;
        private final Instant start;
        private final BigDecimal amount;
        private final ZoneId zone;

        Search(RatePlan plan, String number, Instant start, BigDecimal amount, ZoneId zone) {
            this.plan = plan;
            this.number = number;
            this.start = start;
            this.amount = amount;
            this.zone = zone;
        }

        Quote quote(long seconds) {
            return rater.price(plan, number, start, seconds, zone);
        }

        private boolean fitsAt(long k, long base, long next) {
            return k < 0 || fits(quote(base + k * next), amount);
        }

        /** The largest k in [-1, last] whose boundary fits, starting from a guess. */
        long largestFitting(long guess, long last, long base, long next) {
            if (last < 0) {
                return -1;
            }
            long lo;
            long hi; // fitsAt(lo), !fitsAt(hi)
            if (fitsAt(guess, base, next)) {
                lo = guess;
                hi = last + 1;
                for (long step = 1; lo < last; step <<= 1) {
                    long probe = Math.min(lo + step, last);
                    if (!fitsAt(probe, base, next)) {
                        hi = probe;
                        break;
                    }
                    lo = probe;
                }
                if (lo == last) {
                    return last;
                }
            } else {
                hi = guess;
                lo = -1;
                for (long step = 1; hi > 0; step <<= 1) {
                    long probe = Math.max(hi - step, -1);
                    if (fitsAt(probe, base, next)) {
                        lo = probe;
                        break;
                    }
                    hi = probe;
                }
            }
            while (hi - lo > 1) {
                long mid = lo + (hi - lo) / 2;
                if (fitsAt(mid, base, next)) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
