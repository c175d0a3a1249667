package org.tollgate.rating.tariff;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A named part of the week: days and a time-of-day range [from, to) in the account's zone
 * ({@code to} 00:00 means midnight at the end of the day), or the plan's holidays. The first
 * band of a plan that matches a moment is the band in force.
 */
public record TimeBand(String name, Set<DayOfWeek> days, LocalTime from, LocalTime to, boolean holidays) {

    /** The band name a rate uses when its price is the same at all times. */
    public static final String ANY = "*";

    public TimeBand {
        Objects.requireNonNull(name, "name");
        if (name.equals(ANY)) {
            throw new IllegalArgumentException("'*' is reserved for rates valid in every band");
        }
        days = days == null || days.isEmpty() ? EnumSet.allOf(DayOfWeek.class) : EnumSet.copyOf(days);
        from = from == null ? LocalTime.MIDNIGHT : from;
        to = to == null ? LocalTime.MIDNIGHT : to;
        name = name.intern(); // rates compare band names by reference on the rater's path
    }

    /** The start as a second of the day. */
    public int fromSecond() {
        return from.toSecondOfDay();
    }

    /** The end as a second of the day; midnight is 86,400. */
    public int toSecond() {
        return to.equals(LocalTime.MIDNIGHT) ? 86_400 : to.toSecondOfDay();
    }

    /** Whether this band holds on that day at that second of the day (holidays: only on holidays). */
    public boolean matches(DayOfWeek day, int secondOfDay, boolean holiday) {
        if (holidays) {
            return holiday;
        }
        return days.contains(day) && secondOfDay >= fromSecond() && secondOfDay < toSecond();
    }
}
