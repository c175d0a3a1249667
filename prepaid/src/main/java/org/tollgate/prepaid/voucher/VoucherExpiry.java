package org.tollgate.prepaid.voucher;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A voucher batch's expiry as given: a date (redeemable to the end of that day, UTC), an instant,
 * or an age ahead like {@code 90d} or {@code 12h} (from now).
 */
public final class VoucherExpiry {

    private VoucherExpiry() {
    }

    public static Instant parse(String s) {
        String t = s.trim();
        if (t.matches("\\d+[smhd]")) {
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            java.time.Duration ahead = switch (t.charAt(t.length() - 1)) {
                case 's' -> java.time.Duration.ofSeconds(n);
                case 'm' -> java.time.Duration.ofMinutes(n);
                case 'h' -> java.time.Duration.ofHours(n);
                default -> java.time.Duration.ofDays(n);
            };
            return Instant.now().plus(ahead);
        }
        try {
            return LocalDate.parse(s.trim()).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(s.trim());
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("--expires: '" + s + "' is not a date YYYY-MM-DD, an instant or an age ahead like 90d");
            }
        }
    }
}
