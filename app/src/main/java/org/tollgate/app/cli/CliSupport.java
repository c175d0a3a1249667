package org.tollgate.app.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

import org.tollgate.aaa.radius.auth.JdbcUserRepository;
import org.tollgate.aaa.radius.auth.RadiusUser;
import org.tollgate.aaa.radius.dictionary.RadiusDictionaries;
import org.tollgate.api.time.Age;
import org.tollgate.app.TollgateMain;

/** Small helpers shared by the commands. */
public final class CliSupport {

    private CliSupport() {
    }

    static RadiusDictionaries dictionaries(TollgateMain main) {
        if (main.inServer()) {
            // the server's configuration, not this (empty) command line's
            try (Beans ctx = main.dataContext()) {
                return RadiusDictionaries.load(ctx.getBean(org.tollgate.app.config.TollgateProperties.class).radius()
                        .dictionaryDir());
            }
        }
        String dir = main.properties().get("tollgate.radius.dictionary-dir");
        if (dir == null) {
            dir = System.getenv("TOLLGATE_RADIUS_DICTIONARY_DIR");
        }
        return RadiusDictionaries.load(dir == null ? null : Path.of(dir));
    }

    static int setStatus(TollgateMain main, String name, String realm, RadiusUser.Status status) {
        try (Beans ctx = main.dataContext()) {
            if (!ctx.getBean(JdbcUserRepository.class).setStatus(name, realm, status)) {
                System.err.println("no user " + (realm.isEmpty() ? name : name + "@" + realm));
                return 1;
            }
        }
        System.out.println((realm.isEmpty() ? name : name + "@" + realm) + " is now " + status.name().toLowerCase());
        return 0;
    }

    /** An instant, a date (local midnight) or an age before now like 15m, 2h, 1d. */
    public static Instant parseTime(String s) {
        if (s.equals("now")) {
            return Instant.now();
        }
        java.util.Optional<Duration> age = Age.parse(s);
        if (age.isPresent()) {
            return Instant.now().minus(age.get());
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(s).atStartOfDay(ZoneId.systemDefault()).toInstant();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("'" + s + "' is not now, an instant, a date or an age like 2h");
            }
        }
    }

    /** For a time ahead: an instant, a date, or an age after now like 90d. */
    static Instant parseFuture(String s) {
        return Age.parse(s).map(Instant.now()::plus).orElseGet(() -> parseTime(s));
    }

    /** An instant to the second, "-" for none. */
    static String time(Instant t) {
        return t == null ? "-" : t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /**
     * A day for an option that takes call dates: a date (2026-11-21), or now, an instant or an age,
     * taken as the date it falls on here.
     */
    public static java.time.LocalDate parseDay(String option, String s) {
        try {
            // a date is its local midnight here, so it comes back as itself
            return java.time.LocalDate.ofInstant(parseTime(s.trim()), ZoneId.systemDefault());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": '" + s + "' is not a date like 2026-11-21 (or now, an "
                    + "instant, an age like 2d)");
        }
    }
}
