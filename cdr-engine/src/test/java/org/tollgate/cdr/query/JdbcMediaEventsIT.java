package org.tollgate.cdr.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tollgate.cdr.support.TestDatabase;

class JdbcMediaEventsIT {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private static TestDatabase db;
    private static JdbcMediaEvents events;

    @BeforeAll
    static void start() {
        db = new TestDatabase();
        events = new JdbcMediaEvents(db.dataSource());
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @BeforeEach
    void clean() {
        db.jdbc().execute("TRUNCATE media_event");
    }

    @Test
    void anEventIsStoredOnceAndARetryIsNotNew() {
        assertThat(events.record("call-1", T0, "rtpengine-1")).isTrue();
        assertThat(events.record("call-1", T0, "rtpengine-1")).isFalse();
        // another relay's view of the same call, or a later media time, is more evidence
        assertThat(events.record("call-1", T0, "rtpengine-2")).isTrue();
        assertThat(events.record("call-1", T0.plusSeconds(5), "rtpengine-1")).isTrue();
        assertThat(db.jdbc().queryForObject("SELECT count(*) FROM media_event WHERE call_id = 'call-1'", Integer.class))
                .isEqualTo(3);
    }

    @Test
    void theSourceDefaultsToApi() {
        assertThat(events.record("call-2", T0, null)).isTrue();
        assertThat(db.jdbc().queryForObject("SELECT source FROM media_event", String.class)).isEqualTo("api");
    }

    @Test
    void aBatchCountsOnlyNewEventsAndStoresInstantsExactly() {
        Instant micros = Instant.parse("2026-11-21T10:00:00.123456Z");
        events.record("call-3", T0, "api");
        int added = events.recordAll(List.of(new MediaEvent("call-3", T0, "api"),
                new MediaEvent("call-4", micros, "r1"),
                new MediaEvent("call-4", micros, "r1"),
                new MediaEvent("call-5", T0, null)));
        assertThat(added).isEqualTo(2);
        Timestamp stored = db.jdbc().queryForObject("SELECT last_media_at FROM media_event WHERE call_id = 'call-4'",
                Timestamp.class);
        assertThat(stored.toInstant()).isEqualTo(micros);
        // the same instant written one at a time is the same event
        assertThat(events.record("call-4", micros, "r1")).isFalse();
        assertThat(events.recordAll(List.of())).isZero();
    }

    @Test
    void nanosecondsBeyondWhatPostgresKeepsDoNotMakeADifferentEvent() {
        Instant nanos = Instant.parse("2026-11-21T10:00:00.123456789Z");
        assertThat(events.record("call-6", nanos, "r1")).isTrue();
        assertThat(events.recordAll(List.of(new MediaEvent("call-6", nanos.plusNanos(1), "r1")))).isZero();
    }

    @Test
    void aBadEventIsRefusedBeforeTheDatabase() {
        assertThatThrownBy(() -> events.record(" ", T0, "api")).hasMessageContaining("callId");
        assertThatThrownBy(() -> events.record("x".repeat(256), T0, "api")).hasMessageContaining("255");
        assertThat(db.jdbc().queryForObject("SELECT count(*) FROM media_event", Integer.class)).isZero();
    }
}
