package org.tollgate.rating.tariff;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A rate plan: its currency (ISO 4217), how it rounds, its time bands in order, its holiday
 * calendar, whether calls that did not connect are charged, and its rates by prefix. Immutable;
 * keeps its bands and holidays also as plain numbers, because the rater asks for a band once
 * per call.
 */
public final class RatePlan {

    private static final int DAY = 86_400;

    private final String name;
    private final Currency currency;
    private final Rounding rounding;
    private final List<TimeBand> bands;
    private final Set<LocalDate> holidays;
    private final boolean chargeFailed;
    private final PrefixTrie rates;
    private final long[] holidayDays; // epoch days, sorted
    private final int[] edges; // every band's from and to, seconds of the day, sorted, ending with 86,400

    public RatePlan(String name, Currency currency, Rounding rounding, List<TimeBand> bands, Set<LocalDate> holidays,
                    boolean chargeFailed, PrefixTrie rates) {
        this.name = Objects.requireNonNull(name, "name");
        this.currency = Objects.requireNonNull(currency, "currency");
        this.rounding = Objects.requireNonNull(rounding, "rounding");
        this.bands = List.copyOf(bands);
        this.holidays = Set.copyOf(holidays);
        this.chargeFailed = chargeFailed;
        this.rates = Objects.requireNonNull(rates, "rates");
        this.holidayDays = this.holidays.stream().mapToLong(LocalDate::toEpochDay).sorted().toArray();
        this.edges = this.bands.stream().flatMapToInt(b -> java.util.stream.IntStream.of(b.fromSecond(), b.toSecond()))
                .filter(s -> s > 0 && s < DAY).sorted().distinct().toArray();
    }

    public String name() {
        return name;
    }

    public Currency currency() {
        return currency;
    }

    public Rounding rounding() {
        return rounding;
    }

    public List<TimeBand> bands() {
        return bands;
    }

    public Set<LocalDate> holidays() {
        return holidays;
    }

    public boolean chargeFailed() {
        return chargeFailed;
    }

    public PrefixTrie rates() {
        return rates;
    }

    /** The first band that matches this local moment, or {@link TimeBand#ANY}. */
    public String bandAt(LocalDate date, LocalTime time) {
        return bandAt(date.toEpochDay() * DAY + time.toSecondOfDay());
    }

    /**
     * The band at a local moment given as seconds since 1970-01-01T00:00 wall-clock time (epoch
     * seconds plus the zone's offset): no date objects on the rater's path.
     */
    public String bandAt(long localSeconds) {
        long day = Math.floorDiv(localSeconds, DAY);
        int second = (int) Math.floorMod(localSeconds, DAY);
        boolean holiday = holidayDays.length > 0 && java.util.Arrays.binarySearch(holidayDays, day) >= 0;
        DayOfWeek dow = DayOfWeek.of((int) Math.floorMod(day + 3, 7) + 1); // 1970-01-01 was a Thursday
        for (TimeBand b : bands) {
            if (b.matches(dow, second, holiday)) {
                return b.name();
            }
        }
        return TimeBand.ANY;
    }

    /** Wall-clock seconds from this second of the day to the next band edge or midnight. */
    public int secondsToNextEdge(int secondOfDay) {
        for (int e : edges) {
            if (e > secondOfDay) {
                return e - secondOfDay;
            }
        }
        return DAY - secondOfDay;
    }

    @Override
    public String toString() {
        return "RatePlan[" + name + ", " + currency + ", " + rates.prefixes() + " prefixes]";
    }
}
