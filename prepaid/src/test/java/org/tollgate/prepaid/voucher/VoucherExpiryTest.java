package org.tollgate.prepaid.voucher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class VoucherExpiryTest {

    @Test
    void aDateAnInstantOrAnAgeAhead() {
        assertThat(VoucherExpiry.parse("2026-12-31")).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(VoucherExpiry.parse("2026-12-31T12:00:00Z")).isEqualTo(Instant.parse("2026-12-31T12:00:00Z"));
        Instant in90 = Instant.now().plus(Duration.ofDays(90));
        assertThat(VoucherExpiry.parse("90d")).isBetween(in90.minusSeconds(5), in90.plusSeconds(5));
        assertThatThrownBy(() -> VoucherExpiry.parse("soon")).hasMessageContaining("an age ahead like 90d");
    }
}
