package org.tollgate.rating.plan;

import java.time.DayOfWeek;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Days of the week as an operator writes them and the database stores them ({@code rate_plan_band.days}):
 * three-letter names and ranges, comma-separated, e.g. {@code MON-FRI}, {@code SAT,SUN}, {@code MON-WED,FRI}.
 */
public final class Weekdays {

    private Weekdays() {
    }

    public static Set<DayOfWeek> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no days given (e.g. MON-FRI or SAT,SUN)");
        }
        EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : text.split(",")) {
            String[] range = part.trim().split("-", -1);
            if (range.length > 2) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not a day or a range like MON-FRI");
            }
            DayOfWeek from = day(range[0]);
            DayOfWeek to = range.length == 2 ? day(range[1]) : from;
            if (to.compareTo(from) < 0) {
                throw new IllegalArgumentException("'" + part.trim() + "' runs backwards (weeks start on MON)");
            }
            days.addAll(EnumSet.range(from, to));
        }
        return days;
    }

    /** The shortest text that {@link #parse} reads back: consecutive days as ranges. */
    public static String format(Set<DayOfWeek> days) {
        StringBuilder b = new StringBuilder();
        DayOfWeek[] all = DayOfWeek.values();
        int i = 0;
        while (i < all.length) {
            if (!days.contains(all[i])) {
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < all.length && days.contains(all[j + 1])) {
                j++;
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(name(all[i]));
            if (j > i) {
                b.append(j == i + 1 ? "," : "-").append(name(all[j]));
            }
            i = j + 1;
        }
        return b.toString();
    }

    private static String name(DayOfWeek d) {
        return d.name().substring(0, 3);
    }

    private static DayOfWeek day(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (name(d).equals(t)) {
                return d;
            }
        }
        throw new IllegalArgumentException("'" + s.trim() + "' is not a day (MON, TUE, WED, THU, FRI, SAT, SUN)");
    }
}
