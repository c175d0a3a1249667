package org.tollgate.api.time;

import java.time.Duration;
import java.util.Optional;

/** An age as operators type it: {@code 30s}, {@code 15m}, {@code 2h}, {@code 7d}. */
public final class Age {

    private Age() {
    }

    /** The duration, or empty when {@code s} is not of that form. */
    public static Optional<Duration> parse(String s) {
        String t = s.trim();
        if (!t.matches("\\d+[smhd]")) {
            return Optional.empty();
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return Optional.of(switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        });
    }
}
