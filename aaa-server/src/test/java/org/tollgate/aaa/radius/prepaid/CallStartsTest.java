package org.tollgate.aaa.radius.prepaid;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.tollgate.api.prepaid.CallKey;

class CallStartsTest {

    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void aStartIsKeptUntilItsCallEnds() {
        CallStarts starts = new CallStarts(Duration.ofHours(1), 100);
        starts.started(new CallKey("a", "c1"), T);
        assertThat(starts.startOf(new CallKey("a", "c1"))).isEqualTo(T);
        assertThat(starts.startOf(new CallKey("b", "c1"))).isNull();
        starts.ended(new CallKey("a", "c1"));
        assertThat(starts.startOf(new CallKey("a", "c1"))).isNull();
    }

    @Test
    void whenFullOldCallsGoFirstThenTheOlderHalf() {
        CallStarts starts = new CallStarts(Duration.ofHours(1), 10);
        for (int i = 0; i < 10; i++) {
            starts.started(new CallKey("a", "old" + i), T.minus(Duration.ofHours(2)).plusSeconds(i));
        }
        starts.started(new CallKey("a", "new"), T);
        assertThat(starts.size()).isEqualTo(1);
        for (int i = 0; i < 9; i++) {
            starts.started(new CallKey("a", "recent" + i), T.plusSeconds(i));
        }
        starts.started(new CallKey("a", "last"), T.plusSeconds(100));
        assertThat(starts.size()).isBetween(5, 7);
        assertThat(starts.startOf(new CallKey("a", "last"))).isNotNull();
        assertThat(starts.startOf(new CallKey("a", "new"))).isNull();
    }
}
