package org.tollgate.rating.plan;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;

import org.tollgate.rating.tariff.TimeBand;

/**
 * A time band as {@code plan add --band} takes it: {@code NAME=[DAYS] [HH:MM-HH:MM]}, e.g.
 * {@code peak=MON-FRI 08:00-18:00}, {@code weekend=SAT,SUN}, {@code evening=18:00-00:00}
 * (00:00 as the end is midnight at the end of the day). Missing days mean every day, a missing
 * time range the whole day.
 */
public final class TimeBands {

    private TimeBands() {
    }

    public static TimeBand parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("band '" + spec + "' is not NAME=[DAYS] [HH:MM-HH:MM]");
        }
        String name = name(spec.substring(0, eq));
        String rest = spec.substring(eq + 1).trim();
        String days = rest;
        String times = null;
        int space = rest.lastIndexOf(' ');
        if (space >= 0) {
            days = rest.substring(0, space).trim();
            times = rest.substring(space + 1);
        } else if (rest.contains(":")) {
            days = "";
            times = rest;
        }
        LocalTime from = null;
        LocalTime to = null;
        if (times != null) {
            String[] fromTo = times.split("-", -1);
            if (fromTo.length != 2) {
                throw new IllegalArgumentException("band " + name + ": '" + times + "' is not HH:MM-HH:MM");
            }
            from = time(name, fromTo[0]);
            to = time(name, fromTo[1]);
            if (!to.equals(LocalTime.MIDNIGHT) && !to.isAfter(from)) {
                throw new IllegalArgumentException("band " + name + ": " + times
                        + " ends before it starts (split a band over midnight into two)");
            }
        }
        return new TimeBand(name, days.isEmpty() ? null : Weekdays.parse(days), from, to, false);
    }

    /** The band that matches the plan's holidays. */
    public static TimeBand holidays(String name) {
        return new TimeBand(name(name), null, null, null, true);
    }

    private static String name(String raw) {
        String name = raw.trim();
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("band name '" + name + "' must be letters, digits, '_', '.' or '-'");
        }
        return name;
    }

    private static LocalTime time(String band, String s) {
        try {
            return LocalTime.parse(s.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("band " + band + ": '" + s.trim() + "' is not a time HH:MM");
        }
    }
}
