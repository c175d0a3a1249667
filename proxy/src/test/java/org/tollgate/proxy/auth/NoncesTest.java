package org.tollgate.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tollgate.proxy.auth.Nonces.Check;
import org.tollgate.proxy.testutil.MutableClock;

class NoncesTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    private final Nonces nonces = new Nonces(clock, Duration.ofSeconds(30));

    @Test
    void issuedNonceIsValid() {
        String n = nonces.issue();
        assertThat(n).matches("[0-9a-f]{33,60}");
        assertThat(nonces.check(n)).isEqualTo(Check.VALID);
    }

    @Test
    void stillValidAtTheEndOfItsLifetime() {
        String n = nonces.issue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(nonces.check(n)).isEqualTo(Check.VALID);
    }

    @Test
    void olderThanTheLifetimeIsStale() {
        String n = nonces.issue();
        clock.advance(Duration.ofSeconds(30).plusMillis(1));
        assertThat(nonces.check(n)).isEqualTo(Check.STALE);
    }

    @Test
    void issuedFarInTheFutureIsStale() {
        clock.advance(Duration.ofMinutes(1));
        String fromTheFuture = nonces.issue();
        clock.advance(Duration.ofMinutes(-1));
        assertThat(nonces.check(fromTheFuture)).isEqualTo(Check.STALE);
    }

    @Test
    void tamperedMacIsInvalid() {
        String n = nonces.issue();
        char last = n.charAt(n.length() - 1);
        String tampered = n.substring(0, n.length() - 1) + (last == '0' ? '1' : '0');
        assertThat(nonces.check(tampered)).isEqualTo(Check.INVALID);
    }

    @Test
    void tamperedTimestampIsInvalid() {
        String n = nonces.issue();
        char first = n.charAt(0);
        String tampered = (first == '1' ? '2' : '1') + n.substring(1);
        assertThat(nonces.check(tampered)).isEqualTo(Check.INVALID);
    }

    @Test
    void nonceOfAnotherInstanceIsInvalid() {
        String foreign = new Nonces(clock, Duration.ofSeconds(30)).issue();
        assertThat(nonces.check(foreign)).isEqualTo(Check.INVALID);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "abc",
            "0123456789abcdef0123456789abcdef", // 32 chars: too short
            "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
            "18f3a1b2c3dzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" // 64 chars: too long
    })
    void garbageIsInvalid(String nonce) {
        assertThat(nonces.check(nonce)).isEqualTo(Check.INVALID);
    }
}
