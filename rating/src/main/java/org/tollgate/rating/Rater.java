package org.tollgate.rating;

import org.tollgate.api.rating.Quote;
import org.tollgate.api.rating.Segment;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;

import org.tollgate.rating.number.NumberNormalizer;
import org.tollgate.rating.tariff.Rate;
import org.tollgate.rating.tariff.RatePlan;
import org.tollgate.rating.tariff.Rounding;
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
    // the last zone offset looked up and the period it holds for: a nightly batch prices a day
    // of calls in one or a few zones. Immutable and replaced whole, so a racy read is safe.
    private OffsetWindow lastOffset;

    private record OffsetWindow(ZoneId zone, long from, long to, int offset) {
    }

    public Rater(NumberNormalizer numbers) {
        this.numbers = numbers;
    }

    public Quote price(RatePlan plan, String number, Instant start, long seconds, ZoneId zone) {
        if (seconds < 0) {
            throw new IllegalArgumentException("a duration cannot be negative");
        }
        String digits = numbers.normalize(number);
        if (digits == null) {
            return Quote.unrated(number, plan.currency(), "'" + number + "' is not a phone number");
        }
        Rate[] inForce = plan.rates().longestInForce(digits, start);
        if (inForce.length == 0) {
            return Quote.unrated(digits, plan.currency(), "no rate in plan " + plan.name() + " for " + digits + " at " + start);
        }
        long local = start.getEpochSecond() + offsetAt(zone, start);
        String startBand = plan.bandAt(local);
        Rate first = rateIn(inForce, startBand, start);
        if (first == null) {
            return Quote.unrated(digits, plan.currency(), "no rate for " + digits + " in band " + startBand);
        }
        int decimals = plan.rounding().decimals();
        if (seconds == 0) {
            return new Quote(true, null, digits, first.prefix(), first.destination(), 0,
                    BigDecimal.ZERO.setScale(decimals), plan.currency(), first.connectFee(), List.of());
        }
        long billed = billedSeconds(first, seconds);
        // until then the band cannot change, whatever the clocks do
        long sameBandUntil = start.getEpochSecond()
                + plan.secondsToNextEdge((int) Math.floorMod(local, 86_400L)) - DST_MARGIN;
        long from = start.getEpochSecond() + first.freeSeconds();
        List<Segment> segments;
        if (from + billed <= sameBandUntil) { // the common case: the whole call in the band it started in
            segments = billed == 0 ? List.of()
                    : List.of(new Segment(startBand, first.prefix(), first.freeSeconds() == 0 ? start : Instant.ofEpochSecond(from),
                            billed, first.pricePerMinute()));
        } else {
            segments = segments(plan, inForce, first, start, from, billed, zone);
            if (segments == null) {
                return Quote.unrated(digits, plan.currency(), "no rate for " + digits + " in a band the call reaches");
            }
        }
        return new Quote(true, null, digits, first.prefix(), first.destination(), billed,
                cost(plan, first, segments), plan.currency(), first.connectFee(), segments);
    }

    /**
     * The rate that sets a call's increments, minimum and free seconds: the one in force for this
     * (normalized) number in the band the call starts in; null when there is none.
     */
    Rate rateAtStart(RatePlan plan, String digits, Instant start, ZoneId zone) {
        Rate[] inForce = plan.rates().longestInForce(digits, start);
        if (inForce.length == 0) {
            return null;
        }
        return rateIn(inForce, plan.bandAt(start.getEpochSecond() + offsetAt(zone, start)), start);
    }

    /**
     * The billed seconds split where the band changes: the first increment, then the next
     * increments, each priced at the band in force when it begins. Null when a band has no rate.
     */
    private static List<Segment> segments(RatePlan plan, Rate[] inForce, Rate first, Instant start, long from,
                                          long billed, ZoneId zone) {
        List<Segment> segments = new ArrayList<>(2);
        Instant t = Instant.ofEpochSecond(from);
        long remaining = billed;
        boolean firstIncrement = true;
        while (remaining > 0) {
            ZonedDateTime at = t.atZone(zone);
            String band = plan.bandAt(at.toLocalDate(), at.toLocalTime());
            Rate rate = rateIn(inForce, band, start);
            if (rate == null) {
                return null;
            }
            int inc = firstIncrement ? first.firstIncrement() : first.nextIncrement();
            long secs;
            if (firstIncrement) {
                secs = Math.min(inc, remaining);
            } else if (remaining <= plan.secondsToNextEdge(at.toLocalTime().toSecondOfDay()) - DST_MARGIN) {
                secs = remaining;
            } else {
                long increments = Math.max(1, ceilDiv(Duration.between(t, nextBoundary(plan, at)).getSeconds(), inc));
                secs = Math.min(increments * inc, remaining);
            }
            add(segments, new Segment(band, rate.prefix(), t, secs, rate.pricePerMinute()));
            t = t.plusSeconds(secs);
            remaining -= secs;
            firstIncrement = false;
        }
        return segments;
    }

    /**
     * Connect fee plus the segments, rounded once: exactly, from the sum of price × seconds
     * (per minute) divided by 60 in one step. Per increment when the plan says so: each
     * increment's price rounded, then added up.
     */
    private static BigDecimal cost(RatePlan plan, Rate first, List<Segment> segments) {
        Rounding rounding = plan.rounding();
        if (!rounding.perIncrement()) {
            BigDecimal perMinuteSeconds = first.connectFee().signum() == 0 ? null : first.connectFee().multiply(SIXTY);
            for (Segment s : segments) {
                BigDecimal part = s.pricePerMinute().multiply(BigDecimal.valueOf(s.seconds()));
                perMinuteSeconds = perMinuteSeconds == null ? part : perMinuteSeconds.add(part);
            }
            if (perMinuteSeconds == null) {
                return BigDecimal.ZERO.setScale(rounding.decimals());
            }
            return perMinuteSeconds.divide(SIXTY, rounding.decimals(), rounding.mode());
        }
        BigDecimal cost = first.connectFee();
        long done = 0;
        for (Segment s : segments) {
            long secs = s.seconds();
            if (done == 0) { // the first increment
                cost = cost.add(increment(s.pricePerMinute(), first.firstIncrement(), rounding));
                secs -= first.firstIncrement();
            }
            if (secs > 0) {
                long increments = ceilDiv(secs, first.nextIncrement());
                cost = cost.add(increment(s.pricePerMinute(), first.nextIncrement(), rounding)
                        .multiply(BigDecimal.valueOf(increments)));
            }
            done += s.seconds();
        }
        return cost.setScale(rounding.decimals(), rounding.mode());
    }

    private static BigDecimal increment(BigDecimal pricePerMinute, int seconds, Rounding rounding) {
        return pricePerMinute.multiply(BigDecimal.valueOf(seconds)).divide(SIXTY, rounding.decimals(), rounding.mode());
    }

    /** The zone's offset at this instant, in seconds: from the last window when it covers the instant. */
    private int offsetAt(ZoneId zone, Instant t) {
        long s = t.getEpochSecond();
        OffsetWindow w = lastOffset;
        if (w != null && s >= w.from() && s < w.to() && (w.zone() == zone || w.zone().equals(zone))) {
            return w.offset();
        }
        ZoneRules rules = zone.getRules();
        ZoneOffset offset = rules.getOffset(t);
        if (rules.isFixedOffset()) {
            w = new OffsetWindow(zone, Long.MIN_VALUE, Long.MAX_VALUE, offset.getTotalSeconds());
        } else {
            ZoneOffsetTransition prev = rules.previousTransition(t); // strictly before t
            ZoneOffsetTransition next = rules.nextTransition(t); // strictly after t
            long from = prev != null && prev.getOffsetAfter().equals(offset) ? prev.toEpochSecond() : s;
            w = new OffsetWindow(zone, from, next == null ? Long.MAX_VALUE : next.toEpochSecond(), offset.getTotalSeconds());
        }
        lastOffset = w;
        return w.offset();
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
            if (!r.timeless() && !r.inForceAt(start)) {
                continue;
            }
            // band names are interned (Rate, TimeBand), so a reference compare: no string to read
            if (r.band() == band) {
                return r;
            }
            if (r.band() == TimeBand.ANY) {
                any = r;
            }
        }
        return any;
    }

    /** The next moment the band may change: the next band edge later today, or the next local midnight. */
    private static Instant nextBoundary(RatePlan plan, ZonedDateTime at) {
        int now = at.toLocalTime().toSecondOfDay();
        int edge = now + plan.secondsToNextEdge(now);
        if (edge < 86_400) {
            Instant e = ZonedDateTime.of(at.toLocalDate(), LocalTime.ofSecondOfDay(edge), at.getZone()).toInstant();
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
                        last.seconds() + s.seconds(), last.pricePerMinute()));
                return;
            }
        }
        segments.add(s);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
