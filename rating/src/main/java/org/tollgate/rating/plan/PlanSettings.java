package org.tollgate.rating.plan;

import java.time.LocalDate;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import org.tollgate.rating.tariff.Rounding;
import org.tollgate.rating.tariff.TimeBand;

/**
 * What a new rate plan is made of, before it has rates: its name, currency (ISO 4217), how it
 * rounds, whether failed calls are charged, its time bands in the order they are tried, and its
 * holiday calendar.
 */
public record PlanSettings(String name, Currency currency, Rounding rounding, boolean chargeFailed,
                           List<TimeBand> bands, SortedSet<LocalDate> holidays) {

    public PlanSettings {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || !name.equals(name.trim())) {
            throw new IllegalArgumentException("plan name '" + name + "' is empty or has surrounding spaces");
        }
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(rounding, "rounding");
        bands = List.copyOf(bands);
        Set<String> names = new HashSet<>();
        for (TimeBand b : bands) {
            if (!names.add(b.name())) {
                throw new IllegalArgumentException("band " + b.name() + " is given twice");
            }
        }
        holidays = new TreeSet<>(holidays);
        if (!holidays.isEmpty() && bands.stream().noneMatch(TimeBand::holidays)) {
            // without a holiday band the calendar would silently change nothing
            throw new IllegalArgumentException("holidays need a holiday band (--holiday-band)");
        }
    }

    /** The currency from its ISO 4217 code, e.g. EUR. */
    public static Currency currency(String code) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency '" + code + "' is not an ISO 4217 code like EUR");
        }
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("currency '" + code + "' is not an ISO 4217 code like EUR");
        }
    }
}
