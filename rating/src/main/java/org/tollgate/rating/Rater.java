package org.tollgate.rating;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import org.tollgate.rating.number.NumberNormalizer;
import org.tollgate.rating.tariff.Rate;
import org.tollgate.rating.tariff.RatePlan;
import org.tollgate.rating.tariff.TimeBand;

/**
 * The one rating function: prices a usage (number, start, duration) under a plan, in the
 * account's zone. Pure: the same inputs always give the same price.
 *
 * <p>The rates in force at the call's start apply to the whole call (a rate change at midnight
 * does not reprice a call already running). Billed time is the duration raised to the minimum,
 * less the free seconds, rounded up to the first and next increments of the rate at the start.
 * Each increment is priced at the band in force when it begins, so a call crossing a band
 * boundary is priced per segment. Money is rounded once per call with the plan's rounding,
 * or per increment when the plan says so. A call of 0 s costs nothing.
 */
public final class Rater {

    private static final BigDecimal SIXTY = BigDecimal.valueOf(60);
    // no zone's clocks move by more than this at once, so a call ending this much before the next
    // wall-clock band edge cannot reach it
    private static final long DST_MARGIN = 7200;

    private final NumberNormalizer numbers;

    public Rater(NumberNormalizer numbers) {
        this.numbers = numbers;
    }

    public Quote price(RatePlan plan, String number, Instant start, long seconds, ZoneId zone) {
        if (seconds < 0) {
            throw new IllegalArgumentException("a duration cannot be negative");
        }
        String digits = numbers.normalize(number);
        if (digits == null) {
            return Quote.unrated(number, plan, "'" + number + "' is not a phone number");
        }
        Rate[] inForce = plan.rates().longestInForce(digits, start);
        if (inForce.length == 0) {
            return Quote.unrated(digits, plan, "no rate in plan " + plan.name() + " for " + digits + " at " + start);
        }
        ZonedDateTime local = start.atZone(zone);
        String startBand = plan.bandAt(local.toLocalDate(), local.toLocalTime());
        Rate first = rateIn(inForce, startBand, start);
        if (first == null) {
            return Quote.unrated(digits, plan, "no rate for " + digits + " in band " + startBand);
        }
        if (seconds == 0) {
            return new Quote(true, null, digits, first.prefix(), first.destination(), 0, BigDecimal.ZERO
                    .setScale(plan.rounding().decimals()), plan.currency(), first.connectFee(), List.of());
        }
        long billed = billedSeconds(first, seconds);
        List<Segment> segments = new ArrayList<>(2);
        BigDecimal perMinuteSeconds = BigDecimal.ZERO; // Σ price per minute × seconds, divided by 60 once
        BigDecimal perIncrementCost = BigDecimal.ZERO;
        boolean perIncrement = plan.rounding().perIncrement();
        Instant t = start.plusSeconds(first.freeSeconds());
        long remaining = billed;
        boolean firstIncrement = true;
        while (remaining > 0) {
            ZonedDateTime at = t.equals(start) ? local : t.atZone(zone);
            String band = at == local ? startBand : plan.bandAt(at.toLocalDate(), at.toLocalTime());
            Rate rate = rateIn(inForce, band, start);
            if (rate == null) {
                return Quote.unrated(digits, plan, "no rate for " + digits + " in band " + band);
            }
            int inc = firstIncrement ? first.firstIncrement() : first.nextIncrement();
            long secs;
            if (firstIncrement) {
                secs = Math.min(inc, remaining);
            } else if (remaining <= secondsToNextEdge(plan, at.toLocalTime()) - DST_MARGIN) {
                secs = remaining; // the rest of the call ends before the band can change, whatever the clocks do
            } else {
                long increments = Math.max(1, ceilDiv(Duration.between(t, nextBoundary(plan, at)).getSeconds(), inc));
                secs = Math.min(increments * inc, remaining);
            }
            BigDecimal price = rate.pricePerMinute();
            BigDecimal raw = price.multiply(BigDecimal.valueOf(secs));
            perMinuteSeconds = perMinuteSeconds.add(raw);
            if (perIncrement) {
                BigDecimal one = round(price.multiply(BigDecimal.valueOf(inc)).divide(SIXTY, 12, RoundingMode.HALF_EVEN), plan);
                perIncrementCost = perIncrementCost.add(one.multiply(BigDecimal.valueOf(ceilDiv(secs, inc))));
            }
            add(segments, new Segment(band, rate.prefix(), t, secs, price, raw.divide(SIXTY, 12, RoundingMode.HALF_EVEN)));
            t = t.plusSeconds(secs);
            remaining -= secs;
            firstIncrement = false;
        }
        BigDecimal usage = perIncrement ? perIncrementCost : perMinuteSeconds.divide(SIXTY, 12, RoundingMode.HALF_EVEN);
        BigDecimal cost = round(first.connectFee().add(usage), plan);
        return new Quote(true, null, digits, first.prefix(), first.destination(), billed, cost, plan.currency(),
                first.connectFee(), segments);
    }

    /** The duration raised to the minimum, less the free seconds, rounded up to whole increments. */
    static long billedSeconds(Rate r, long seconds) {
        long chargeable = Math.max(seconds, r.minimumSeconds()) - r.freeSeconds();
        if (chargeable <= 0) {
            return 0;
        }
        if (chargeable <= r.firstIncrement()) {
            return r.firstIncrement();
        }
        return r.firstIncrement() + ceilDiv(chargeable - r.firstIncrement(), r.nextIncrement()) * r.nextIncrement();
    }

    /** The rate for this band (or for every band) among those in force at the call's start. */
    private static Rate rateIn(Rate[] rates, String band, Instant start) {
        Rate any = null;
        for (Rate r : rates) {
            if (!r.inForceAt(start)) {
                continue;
            }
            if (r.band().equals(band)) {
                return r;
            }
            if (r.band().equals(TimeBand.ANY)) {
                any = r;
            }
        }
        return any;
    }

    /** Wall-clock seconds to the next band edge or midnight, ignoring daylight saving (see DST_MARGIN). */
    private static long secondsToNextEdge(RatePlan plan, LocalTime now) {
        int t = now.toSecondOfDay();
        int next = 86_400;
        for (TimeBand b : plan.bands()) {
            int from = b.from().toSecondOfDay();
            int to = b.to().toSecondOfDay();
            if (from > t && from < next) {
                next = from;
            }
            if (to > t && to < next) {
                next = to;
            }
        }
        return next - t;
    }

    /** The next moment the band may change: the next band edge later today, or the next local midnight. */
    private static Instant nextBoundary(RatePlan plan, ZonedDateTime at) {
        LocalTime now = at.toLocalTime();
        LocalTime edge = null;
        for (TimeBand b : plan.bands()) {
            if (b.from().isAfter(now) && (edge == null || b.from().isBefore(edge))) {
                edge = b.from();
            }
            if (b.to().isAfter(now) && (edge == null || b.to().isBefore(edge))) {
                edge = b.to();
            }
        }
        if (edge != null) {
            Instant e = ZonedDateTime.of(at.toLocalDate(), edge, at.getZone()).toInstant();
            if (e.isAfter(at.toInstant())) { // an edge in a daylight-saving gap can map to the past
                return e;
            }
        }
        return at.toLocalDate().plusDays(1).atStartOfDay(at.getZone()).toInstant();
    }

    private static void add(List<Segment> segments, Segment s) {
        if (!segments.isEmpty()) {
            Segment last = segments.get(segments.size() - 1);
            if (last.band().equals(s.band()) && last.pricePerMinute().compareTo(s.pricePerMinute()) == 0) {
                segments.set(segments.size() - 1, new Segment(last.band(), last.prefix(), last.from(),
                        last.seconds() + s.seconds(), last.pricePerMinute(), last.cost().add(s.cost())));
                return;
            }
        }
        segments.add(s);
    }

    private static BigDecimal round(BigDecimal v, RatePlan plan) {
        return v.setScale(plan.rounding().decimals(), plan.rounding().mode());
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
