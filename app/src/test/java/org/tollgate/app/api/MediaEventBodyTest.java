package org.tollgate.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tollgate.cdr.query.MediaEvent;

class MediaEventBodyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void oneEventWithTheSourceDefaulted() throws Exception {
        assertThat(MediaEventBody.parse(json("{\"callId\":\"c1\",\"lastMediaAt\":\"2026-11-21T10:00:00Z\"}")))
                .containsExactly(new MediaEvent("c1", Instant.parse("2026-11-21T10:00:00Z"), "api"));
    }

    @Test
    void anArrayOfEventsAndAnOffsetInstant() throws Exception {
        List<MediaEvent> events = MediaEventBody.parse(json("""
                [{"callId":"c1","lastMediaAt":"2026-11-21T10:00:00Z","source":"rtpengine-1"},
                 {"callId":"c2","lastMediaAt":"2026-11-21T11:00:00+01:00","extra":true}]"""));
        assertThat(events).containsExactly(
                new MediaEvent("c1", Instant.parse("2026-11-21T10:00:00Z"), "rtpengine-1"),
                new MediaEvent("c2", Instant.parse("2026-11-21T10:00:00Z"), "api"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"lastMediaAt":"2026-11-21T10:00:00Z"}                      | callId      | callId is missing
            {"callId":"  ","lastMediaAt":"2026-11-21T10:00:00Z"}        | callId      | callId is missing
            {"callId":42,"lastMediaAt":"2026-11-21T10:00:00Z"}          | callId      | callId must be a string
            {"callId":"c1"}                                             | lastMediaAt | lastMediaAt is missing
            {"callId":"c1","lastMediaAt":"yesterday"}                   | lastMediaAt | lastMediaAt is not an ISO-8601 instant
            {"callId":"c1","lastMediaAt":1763719200}                    | lastMediaAt | lastMediaAt must be a string
            {"callId":"c1","lastMediaAt":"2026-11-21T10:00:00Z","source":""} | source | source must be 1 to 255
            """)
    void aBadFieldIsNamed(String body, String field, String message) throws Exception {
        assertThatThrownBy(() -> MediaEventBody.parse(json(body))).isInstanceOfSatisfying(MediaEventBody.Invalid.class,
                e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.index()).isNull();
                    assertThat(e.getMessage()).startsWith(message);
                });
    }

    @Test
    void aCallIdLongerThan255IsRefused() {
        String body = "{\"callId\":\"" + "x".repeat(256) + "\",\"lastMediaAt\":\"2026-11-21T10:00:00Z\"}";
        assertThatThrownBy(() -> MediaEventBody.parse(json(body))).hasMessage("callId is longer than 255 characters");
        String ok = "{\"callId\":\"" + "x".repeat(255) + "\",\"lastMediaAt\":\"2026-11-21T10:00:00Z\"}";
        assertThat(MediaEventBody.parse(json(ok))).hasSize(1);
    }

    @Test
    void oneBadEventInAnArrayIsNamedByItsIndex() {
        assertThatThrownBy(() -> MediaEventBody.parse(json("""
                [{"callId":"c1","lastMediaAt":"2026-11-21T10:00:00Z"},{"callId":"c2","lastMediaAt":"soon"}]""")))
                .isInstanceOfSatisfying(MediaEventBody.Invalid.class, e -> {
                    assertThat(e.field()).isEqualTo("lastMediaAt");
                    assertThat(e.index()).isEqualTo(1);
                    assertThat(e.getMessage()).startsWith("element 1: lastMediaAt is not");
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            []             | the array has no media events
            [1]            | element 0 is not a media event
            "c1"           | the body must be a media event
            null           | the body must be a media event
            """)
    void aBodyThatIsNoEventIsRefused(String body, String message) {
        assertThatThrownBy(() -> MediaEventBody.parse(json(body))).hasMessageStartingWith(message);
    }

    @Test
    void tooManyEventsInOneRequestAreRefused() {
        String one = "{\"callId\":\"c\",\"lastMediaAt\":\"2026-11-21T10:00:00Z\"}";
        String body = "[" + String.join(",", java.util.Collections.nCopies(MediaEventBody.MAX_EVENTS + 1, one)) + "]";
        assertThatThrownBy(() -> MediaEventBody.parse(json(body))).hasMessageStartingWith("at most 10000");
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
