package org.tollgate.app.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

import org.springframework.context.ConfigurableApplicationContext;
import org.tollgate.aaa.radius.auth.JdbcUserRepository;
import org.tollgate.aaa.radius.auth.RadiusUser;
import org.tollgate.aaa.radius.dictionary.RadiusDictionaries;
import org.tollgate.app.TollgateMain;

/** Small helpers shared by the commands. */
final class CliSupport {

    private CliSupport() {
    }

    static RadiusDictionaries dictionaries(TollgateMain main) {
        String dir = main.properties().get("tollgate.radius.dictionary-dir");
        if (dir == null) {
            dir = System.getenv("TOLLGATE_RADIUS_DICTIONARY_DIR");
        }
        return RadiusDictionaries.load(dir == null ? null : Path.of(dir));
    }

    static int setStatus(TollgateMain main, String name, String realm, RadiusUser.Status status) {
        try (ConfigurableApplicationContext ctx = main.dataContext()) {
            if (!ctx.getBean(JdbcUserRepository.class).setStatus(name, realm, status)) {
                System.err.println("no user " + (realm.isEmpty() ? name : name + "@" + realm));
                return 1;
            }
        }
        System.out.println((realm.isEmpty() ? name : name + "@" + realm) + " is now " + status.name().toLowerCase());
        return 0;
    }

    /** An instant, a date (local midnight) or an age before now like 15m, 2h, 1d. */
    static Instant parseTime(String s) {
        if (s.equals("now")) {
            return Instant.now();
        }
        if (s.matches("\\d+[smhd]")) {
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            Duration d = switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return Instant.now().minus(d);
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
}
