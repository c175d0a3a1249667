package org.tollgate.prepaid.voucher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class VoucherCodeTest {

    @Test
    void theCheckDigitIsLuhns() {
        // the classic Luhn examples: 7992739871 → 3, and a well-known test card number
        assertThat(VoucherCode.checkDigit("7992739871")).isEqualTo('3');
        assertThat(VoucherCode.parse("4111 1111 1111 1111")).isEqualTo("4111111111111111");
    }

    @Test
    void generatedCodesAreSixteenDigitsThatPassTheirOwnCheckAndDiffer() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String code = VoucherCode.generate(random);
            assertThat(code).matches("[0-9]{16}");
            assertThat(VoucherCode.parse(VoucherCode.format(code))).isEqualTo(code);
            seen.add(code);
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void aCodeIsPrintedInFourGroupsAndReadWithSpacesOrDashes() {
        assertThat(VoucherCode.format("4111111111111111")).isEqualTo("4111 1111 1111 1111");
        assertThat(VoucherCode.parse("4111-1111-1111-1111")).isEqualTo("4111111111111111");
    }

    @Test
    void aMistypedDigitOrTwoSwappedNeighboursAreCaughtByTheCheckDigit() {
        assertThatThrownBy(() -> VoucherCode.parse("4111 1111 1111 1112")).isInstanceOf(VoucherRefused.class)
                .hasMessageContaining("check digit");
        assertThatThrownBy(() -> VoucherCode.parse("4111 1111 1111 1121")).hasMessageContaining("check digit");
        assertThatThrownBy(() -> VoucherCode.parse("1234")).hasMessageContaining("16 digits");
        assertThatThrownBy(() -> VoucherCode.parse("4111 1111 1111 111x")).hasMessageContaining("16 digits");
        assertThatThrownBy(() -> VoucherCode.parse(null)).hasMessageContaining("16 digits");
    }
}
