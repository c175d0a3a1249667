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
 * calendar, whether calls that did not connect are charged, and its rates by prefix.
 */
public record RatePlan(String name, Currency currency, Rounding rounding, List<TimeBand> bands,
                       Set<LocalDate> holidays, boolean chargeFailed, PrefixTrie rates) {

    public RatePlan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(rounding, "rounding");
        bands = List.copyOf(bands);
        holidays = Set.copyOf(holidays);
        Objects.requireNonNull(rates, "rates");
    }

    /** The first band that matches this local moment, or {@link TimeBand#ANY}. */
    public String bandAt(LocalDate date, LocalTime time) {
        boolean holiday = holidays.contains(date);
        DayOfWeek day = date.getDayOfWeek();
        for (TimeBand b : bands) {
            if (b.matches(day, time, holiday)) {
                return b.name();
            }
        }
        return TimeBand.ANY;
    }
}
