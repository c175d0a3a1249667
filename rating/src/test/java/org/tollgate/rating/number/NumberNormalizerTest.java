package org.tollgate.rating.number;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumberNormalizerTest {

    static final NumberNormalizer GERMANY = new NumberNormalizer("00", "0", "49");

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            sip:+49301234567@example.com       | 49301234567
            sip:0049301234567@10.0.0.1:5060    | 49301234567
            sips:030 1234567@example.com       | 49301234567
            tel:+1-212-555-0100                | 12125550100
            sip:0049301234567;user=phone@x     | 49301234567
            (030) 123.45.67                    | 49301234567
            +44 20 7946 0958                   | 442079460958
            112                                | 112
            sip:alice@example.com              | null
            ''                                 | null
            ++49                               | null
            (+49) 30 1234567                   | 49301234567
            """)
    void normalizesToE164Digits(String raw, String expected) {
        assertThat(GERMANY.normalize(raw)).isEqualTo(expected);
    }
}
