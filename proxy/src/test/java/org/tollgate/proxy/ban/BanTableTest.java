package org.tollgate.proxy.ban;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tollgate.proxy.testutil.MutableClock;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class BanTableTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final BanTable table = new BanTable(new BanPolicy(10, Duration.ofSeconds(60), Duration.ofMinutes(5), 4,
            Duration.ofMinutes(10), 3, Duration.ofMinutes(2)), ip -> ip.equals("10.0.0.9"), clock, meters);

    @Test
    void aSourceAboveTheFloodLimitIsBannedAndDroppedUntilTheBanEnds() {
        for (int i = 0; i < 10; i++) {
            assertThat(table.admit("192.0.2.1")).as("message " + i).isTrue();
        }
        assertThat(table.admit("192.0.2.1")).isFalse();
        assertThat(table.banned("192.0.2.1")).isTrue();
        assertThat(table.admit("192.0.2.2")).as("another source").isTrue();
        assertThat(table.takeUnwritten()).singleElement().satisfies(b -> {
            assertThat(b.kind()).isEqualTo(Ban.Kind.SOURCE);
            assertThat(b.reason()).isEqualTo("flood");
            assertThat(b.until()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        });
        assertThat(meters.get("tollgate_proxy_banned_dropped").counter().count()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(5));
        assertThat(table.banned("192.0.2.1")).isFalse();
    }

    @Test
    void aTrustedSourceIsNeverBanned() {
        for (int i = 0; i < 100; i++) {
            assertThat(table.admit("10.0.0.9")).isTrue();
            table.failed("10.0.0.9", "u@r");
        }
        assertThat(table.takeUnwritten()).isEmpty();
        assertThat(table.locked("u@r")).isFalse();
    }

    @Test
    void failedAuthenticationsLockTheUserThenBanTheSource() {
        table.failed("192.0.2.7", "101@r");
        table.failed("192.0.2.7", "101@r");
        assertThat(table.locked("101@r")).isFalse();
        table.failed("192.0.2.7", "101@r");
        assertThat(table.locked("101@r")).isTrue();
        assertThat(table.banned("192.0.2.7")).isFalse();
        table.failed("192.0.2.7", "102@r");
        assertThat(table.banned("192.0.2.7")).isTrue();
        List<Ban> made = table.takeUnwritten();
        assertThat(made).extracting(Ban::kind, Ban::subject, Ban::source)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Ban.Kind.USER, "101@r", "192.0.2.7"),
                        org.assertj.core.groups.Tuple.tuple(Ban.Kind.SOURCE, "192.0.2.7", "192.0.2.7"));
        clock.advance(Duration.ofMinutes(2));
        assertThat(table.locked("101@r")).as("lock time over").isFalse();
    }

    @Test
    void aSuccessForgivesTheUsersFailures() {
        table.failed("192.0.2.7", "101@r");
        table.failed("192.0.2.7", "101@r");
        table.succeeded("101@r");
        table.failed("192.0.2.8", "101@r");
        assertThat(table.locked("101@r")).isFalse();
    }

    @Test
    void aBanLiftedInTheStoreEndsHereAndItsCountsStartAgain() {
        for (int i = 0; i < 11; i++) {
            table.admit("192.0.2.1");
        }
        Ban b = table.takeUnwritten().get(0);
        Ban written = b.withId(42);
        table.written(b, written);
        table.fromStore(new Ban(41, Ban.Kind.SOURCE, "192.0.2.1", "192.0.2.1", "flood", null, b.bannedAt(), b.until()),
                true);
        assertThat(table.banned("192.0.2.1")).as("an older row's lift is not this ban's").isTrue();
        table.fromStore(written, true);
        assertThat(table.banned("192.0.2.1")).isFalse();
        assertThat(table.admit("192.0.2.1")).as("counting starts again").isTrue();
    }

    @Test
    void anotherInstancesBanIsAdopted() {
        Ban theirs = new Ban(7, Ban.Kind.SOURCE, "192.0.2.99", "192.0.2.99", "flood", null, clock.instant(),
                clock.instant().plusSeconds(60));
        table.fromStore(theirs, false);
        assertThat(table.admit("192.0.2.99")).isFalse();
        assertThat(table.takeUnwritten()).as("not written again").isEmpty();
    }

    @Test
    void bansAreBoundedInNumberAndMadeAgainOnceSomeEnded() {
        BanTable small = new BanTable(new BanPolicy(10, Duration.ofSeconds(60), Duration.ofMinutes(5), 100,
                Duration.ofMinutes(10), 1, Duration.ofMinutes(2)), ip -> false, clock, meters, 3);
        for (int i = 0; i < 5; i++) {
            small.failed("192.0.2." + i, "made-up-" + i + "@r");
        }
        assertThat(small.all()).as("users locked").hasSize(3);
        assertThat(small.locked("made-up-4@r")).isFalse();
        assertThat(meters.get("tollgate_proxy_bans_over_limit").counter().count()).isEqualTo(2);
        clock.advance(Duration.ofMinutes(2));
        small.purge();
        small.failed("192.0.2.9", "made-up-9@r");
        assertThat(small.locked("made-up-9@r")).as("room again once the locks ended").isTrue();
    }

    @Test
    void aPolicyWithoutLimitsIsRefused() {
        assertThatThrownBy(() -> new BanPolicy(0, Duration.ofSeconds(1), Duration.ofMinutes(1), 1, Duration.ofMinutes(1),
                1, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BanPolicy(1, Duration.ZERO, Duration.ofMinutes(1), 1, Duration.ofMinutes(1),
                1, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
