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
        java.util.Optional<java.time.Duration> ahead = org.tollgate.api.time.Age.parse(s);
        if (ahead.isPresent()) {
            return Instant.now().plus(ahead.get());
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
