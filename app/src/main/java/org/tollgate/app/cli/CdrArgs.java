package org.tollgate.app.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.tollgate.cdr.pairing.Disposition;
import org.tollgate.cdr.pairing.ReviewItem;
import org.tollgate.cdr.query.CdrFilter;
import org.tollgate.cdr.query.RepairFilter;

/**
 * Turns the options of {@code tollgate cdr} into filters. Every refusal is an
 * IllegalArgumentException whose message starts with the option, printed as the one line an
 * operator sees (exit 2) before any database is opened.
 */
public final class CdrArgs {

    private static final String DATE = "\\d{4}-\\d{2}-\\d{2}";

    private CdrArgs() {
    }

    public static int limit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1, not " + limit);
        }
        return limit;
    }

    public static LocalDate date(String option, String s) {
        return s == null ? null : CliSupport.parseDay(option, s);
    }

    public static void dateRange(LocalDate from, String fromOption, LocalDate to, String toOption) {
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException(fromOption + " " + from + " is after " + toOption + " " + to);
        }
    }

    /**
     * {@code --since}/{@code --until}: a date is a call date (both ends included, the day in
     * {@code tollgate.cdr.zone}, as the CDR engine assigns it); a time or an age is on the end time.
     */
    public static void window(CdrFilter.Builder filter, String since, String until) {
        LocalDate sinceDate = since != null && since.matches(DATE) ? date("--since", since) : null;
        LocalDate untilDate = until != null && until.matches(DATE) ? date("--until", until) : null;
        Instant sinceTime = since != null && sinceDate == null ? time("--since", since) : null;
        Instant untilTime = until != null && untilDate == null ? time("--until", until) : null;
        dateRange(sinceDate, "--since", untilDate, "--until");
        if (sinceTime != null && untilTime != null && sinceTime.isAfter(untilTime)) {
            throw new IllegalArgumentException("--since " + since + " is after --until " + until);
        }
        filter.fromDate(sinceDate).toDate(untilDate).endFrom(sinceTime).endBefore(untilTime);
    }

    private static Instant time(String option, String s) {
        try {
            return CliSupport.parseTime(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    /** Repeatable and comma-separated, case-insensitive, {@code no-answer} or {@code NO_ANSWER}. */
    public static Set<Disposition> dispositions(List<String> values) {
        Set<Disposition> result = EnumSet.noneOf(Disposition.class);
        for (String value : values == null ? List.<String>of() : values) {
            result.add(Disposition.valueOf(constant("--disposition", value, names(Disposition.values()))));
        }
        return result;
    }

    public static RepairFilter repaired(String s) {
        if (s == null) {
            return null;
        }
        try {
            return RepairFilter.parse(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--repaired: " + e.getMessage());
        }
    }

    public static ReviewItem.Reason reason(String s) {
        return s == null ? null
                : ReviewItem.Reason.valueOf(constant("--reason", s, names(ReviewItem.Reason.values())));
    }

    /** A text to match; an empty one would match everything, which is surely not what was meant. */
    public static String text(String option, String s) {
        if (s != null && s.isBlank()) {
            throw new IllegalArgumentException(option + " must not be empty");
        }
        return s;
    }

    private static String constant(String option, String value, List<String> names) {
        String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (!names.contains(name)) {
            List<String> spelled = new ArrayList<>();
            names.forEach(n -> spelled.add(n.toLowerCase(Locale.ROOT).replace('_', '-')));
            throw new IllegalArgumentException(option + ": '" + value + "' is not one of " + String.join(", ", spelled));
        }
        return name;
    }

    private static List<String> names(Enum<?>[] values) {
        List<String> names = new ArrayList<>();
        for (Enum<?> v : values) {
            names.add(v.name());
        }
        return names;
    }
}
