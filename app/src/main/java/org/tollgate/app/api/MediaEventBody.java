package org.tollgate.app.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.tollgate.cdr.query.MediaEvent;

/**
 * The body of {@code POST /api/media-events}: one event or an array of them. Every event is
 * checked before any is stored, so a bad one in a batch stores nothing.
 */
final class MediaEventBody {

    /** More than this in one request is refused rather than held in memory. */
    static final int MAX_EVENTS = 10_000;

    private static final String INSTANT = "an ISO-8601 instant like 2026-11-21T10:00:00Z";

    private MediaEventBody() {
    }

    static List<MediaEvent> parse(JsonNode body) {
        if (body == null || !(body.isObject() || body.isArray())) {
            throw new Invalid(null, null, "the body must be a media event (JSON object) or an array of them");
        }
        if (body.isObject()) {
            return List.of(event(body, null));
        }
        if (body.isEmpty()) {
            throw new Invalid(null, null, "the array has no media events");
        }
        if (body.size() > MAX_EVENTS) {
            throw new Invalid(null, null, "at most " + MAX_EVENTS + " media events per request, not " + body.size());
        }
        List<MediaEvent> events = new ArrayList<>(body.size());
        for (int i = 0; i < body.size(); i++) {
            if (!body.get(i).isObject()) {
                throw new Invalid(null, i, "element " + i + " is not a media event (JSON object)");
            }
            events.add(event(body.get(i), i));
        }
        return events;
    }

    private static MediaEvent event(JsonNode node, Integer index) {
        String callId = text(node, "callId", index);
        if (callId == null || callId.isBlank()) {
            throw new Invalid("callId", index, "callId is missing");
        }
        if (callId.length() > MediaEvent.MAX_LENGTH) {
            throw new Invalid("callId", index, "callId is longer than " + MediaEvent.MAX_LENGTH + " characters");
        }
        String time = text(node, "lastMediaAt", index);
        if (time == null) {
            throw new Invalid("lastMediaAt", index, "lastMediaAt is missing; it must be " + INSTANT);
        }
        Instant lastMediaAt;
        try {
            lastMediaAt = Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw new Invalid("lastMediaAt", index, "lastMediaAt is not " + INSTANT);
        }
        String source = text(node, "source", index);
        if (source != null && (source.isBlank() || source.length() > MediaEvent.MAX_LENGTH)) {
            throw new Invalid("source", index, "source must be 1 to " + MediaEvent.MAX_LENGTH + " characters");
        }
        return new MediaEvent(callId, lastMediaAt, source);
    }

    /** The field's text, null when absent or JSON null; anything but a string is refused. */
    private static String text(JsonNode node, String field, Integer index) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new Invalid(field, index, field + " must be a string");
        }
        return value.textValue();
    }

    /** A refused body: the message, and the field (and array index) at fault when there is one. */
    static final class Invalid extends RuntimeException {
        private final String field;
        private final Integer index;

        Invalid(String field, Integer index, String message) {
            super(index == null || field == null ? message : "element " + index + ": " + message);
            this.field = field;
            this.index = index;
        }

        String field() {
            return field;
        }

        Integer index() {
            return index;
        }
    }
}
