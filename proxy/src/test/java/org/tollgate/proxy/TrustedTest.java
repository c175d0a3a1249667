package org.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedTest {

    @Test
    void singleAddressMatchesOnlyItself() {
        Trusted t = new Trusted(List.of("192.0.2.10"));
        assertThat(t.contains("192.0.2.10")).isTrue();
        assertThat(t.contains("192.0.2.11")).isFalse();
    }

    @Test
    void cidr24MatchesTheWholeNetwork() {
        Trusted t = new Trusted(List.of(" 10.1.2.0/24 "));
        assertThat(t.contains("10.1.2.0")).isTrue();
        assertThat(t.contains("10.1.2.1")).isTrue();
        assertThat(t.contains("10.1.2.255")).isTrue();
        assertThat(t.contains("10.1.3.1")).isFalse();
        assertThat(t.contains("10.1.1.255")).isFalse();
    }

    @Test
    void prefixNotOnAByteBoundary() {
        Trusted t = new Trusted(List.of("172.16.0.0/12"));
        assertThat(t.contains("172.16.0.1")).isTrue();
        assertThat(t.contains("172.31.255.254")).isTrue();
        assertThat(t.contains("172.32.0.1")).isFalse();
        assertThat(t.contains("172.15.255.255")).isFalse();
    }

    @Test
    void ipv6AddressAndNetwork() {
        Trusted t = new Trusted(List.of("2001:db8::/32", "::1"));
        assertThat(t.contains("2001:db8:0:1::5")).isTrue();
        assertThat(t.contains("2001:0db8::1")).isTrue();
        assertThat(t.contains("2001:db9::1")).isFalse();
        assertThat(t.contains("::1")).isTrue();
        assertThat(t.contains("::2")).isFalse();
    }

    @Test
    void familiesDoNotMix() {
        Trusted v4 = new Trusted(List.of("0.0.0.0/0"));
        assertThat(v4.contains("203.0.113.9")).isTrue();
        assertThat(v4.contains("2001:db8::1")).isFalse();
        Trusted v6 = new Trusted(List.of("::/0"));
        assertThat(v6.contains("2001:db8::1")).isTrue();
        assertThat(v6.contains("203.0.113.9")).isFalse();
    }

    @Test
    void severalEntriesAnyMatches() {
        Trusted t = new Trusted(List.of("192.0.2.10", "198.51.100.0/24"));
        assertThat(t.contains("192.0.2.10")).isTrue();
        assertThat(t.contains("198.51.100.77")).isTrue();
        assertThat(t.contains("203.0.113.1")).isFalse();
    }

    @Test
    void emptyListTrustsNobody() {
        Trusted t = new Trusted(List.of());
        assertThat(t.contains("127.0.0.1")).isFalse();
        assertThat(t.contains("10.0.0.1")).isFalse();
        assertThat(t.contains(null)).isFalse();
    }

    @Test
    void nullSourceIsNotTrusted() {
        assertThat(new Trusted(List.of("10.0.0.0/8")).contains(null)).isFalse();
    }

    @Test
    void answerIsStableWhenAskedAgain() {
        Trusted t = new Trusted(List.of("10.0.0.0/8"));
        for (int i = 0; i < 3; i++) {
            assertThat(t.contains("10.9.9.9")).isTrue();
            assertThat(t.contains("11.9.9.9")).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "::1/129", "10.0.0.0/-1"})
    void badPrefixLengthIsRejected(String entry) {
        assertThatThrownBy(() -> new Trusted(List.of("192.0.2.1", entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tollgate.proxy.trusted")
                .hasMessageContaining("bad prefix length")
                .hasMessageContaining(entry);
    }

    // entries that fail without a DNS lookup (a bracketed literal, a non-numeric prefix)
    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/abc", "10.0.0.0/", "[fe80::1"})
    void badEntryIsRejected(String entry) {
        assertThatThrownBy(() -> new Trusted(List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tollgate.proxy.trusted")
                .hasMessageContaining("not an address or network")
                .hasMessageContaining(entry);
    }
}
