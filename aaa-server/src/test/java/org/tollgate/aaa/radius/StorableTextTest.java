package org.tollgate.aaa.radius;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StorableTextTest {

    @Test
    void utf8WithoutNulIsStoredAsItIs() {
        for (String s : new String[] {"", "alice@example.com", "Zoë", "東京", "\uD83D\uDCDE call", "\uFFFD"}) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            assertThat(StorableText.problem(b)).as(s).isNull();
            assertThat(StorableText.decode(b)).isEqualTo(s);
        }
    }

    @Test
    void aNulByteIsReplacedAndSaidFirst() {
        byte[] b = {'a', 'l', 0, (byte) 0xff, 'i'};
        assertThat(StorableText.problem(b)).isEqualTo(StorableText.Problem.NUL);
        assertThat(StorableText.decode(b)).isEqualTo("al\uFFFD\uFFFDi");
        assertThat(StorableText.octets(b)).isEqualTo("0x616C00FF69");
    }

    @Test
    void bytesThatAreNotUtf8AreReplaced() {
        byte[][] bad = {
            {(byte) 0xff, (byte) 0xfe},                   // never in UTF-8
            {'a', (byte) 0xc3},                           // truncated sequence
            {(byte) 0xc0, (byte) 0xaf},                   // overlong '/'
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80},      // a surrogate, which PostgreSQL refuses too
        };
        for (byte[] b : bad) {
            assertThat(StorableText.problem(b)).isEqualTo(StorableText.Problem.NOT_UTF8);
            assertThat(StorableText.decode(b)).contains("\uFFFD").doesNotContain("\0");
        }
    }

    @Test
    void aStringWithANulFromElsewhereIsMadeStorable() {
        assertThat(StorableText.storable("a\0b")).isEqualTo("a\uFFFDb");
        assertThat(StorableText.storable("ab")).isEqualTo("ab");
        assertThat(StorableText.storable(null)).isNull();
    }
}
