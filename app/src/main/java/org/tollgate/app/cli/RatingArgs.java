package org.tollgate.app.cli;

import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.tollgate.app.TollgateMain;
import org.tollgate.rating.plan.JdbcRatePlans;
import org.tollgate.rating.plan.PlanSettings;
import org.tollgate.rating.plan.TimeBands;
import org.tollgate.rating.tariff.Rounding;
import org.tollgate.rating.tariff.TimeBand;

/** Argument checks of {@code plan}, {@code rates} and {@code account}: a refusal is one line and exit 2. */
public final class RatingArgs {

    private RatingArgs() {
    }

    /** Reads the arguments (an IllegalArgumentException: exit 2) and only then opens the database. */
    static <A> int run(TollgateMain main, Supplier<A> parse, BiFunction<A, JdbcRatePlans, Integer> work) {
        A args;
        try {
            args = parse.get();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        try (Beans ctx = main.dataContext()) {
            return work.apply(args, ctx.getBean(JdbcRatePlans.class));
        }
    }

    static int run(TollgateMain main, Consumer<JdbcRatePlans> work) {
        return run(main, () -> Boolean.TRUE, (a, plans) -> {
            work.accept(plans);
            return 0;
        });
    }

    public static ZoneId zone(String s) {
        try {
            return ZoneId.of(s);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("--zone: '" + s + "' is not a time zone like Europe/Berlin or UTC");
        }
    }

    public static RoundingMode rounding(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "half-up":
                return RoundingMode.HALF_UP;
            case "up":
                return RoundingMode.UP;
            case "down":
                return RoundingMode.DOWN;
            default:
                throw new IllegalArgumentException("--rounding: '" + s + "' is not half-up, up or down");
        }
    }

    /**
     * A plan's settings as {@code plan add} and {@code POST /api/plans} take them; {@code holidayOption}
     * names the holidays in a refusal.
     */
    public static PlanSettings plan(String name, String currency, Rounding rounding, boolean chargeFailed,
                                    String holidayBand, List<String> bands, List<String> holidays, String holidayOption) {
        List<TimeBand> all = new ArrayList<>();
        if (holidayBand != null) {
            // first: a holiday is priced as a holiday whatever day of the week it falls on
            all.add(TimeBands.holidays(holidayBand));
        }
        bands.forEach(b -> all.add(TimeBands.parse(b)));
        TreeSet<LocalDate> days = new TreeSet<>();
        holidays.forEach(h -> days.add(date(holidayOption, h)));
        return new PlanSettings(name, PlanSettings.currency(currency), rounding, chargeFailed, all, days);
    }

    public static LocalDate date(String option, String s) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + ": '" + s + "' is not a date YYYY-MM-DD");
        }
    }
}
