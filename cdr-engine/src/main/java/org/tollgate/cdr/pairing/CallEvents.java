package org.tollgate.cdr.pairing;

import java.time.Instant;
import java.util.List;

/** Everything known about one Call-ID: its accounting rows and media events posted to the API. */
public record CallEvents(String callId, List<AccRow> rows, List<Instant> mediaEvents) {

    public CallEvents {
        rows = List.copyOf(rows);
        mediaEvents = List.copyOf(mediaEvents);
    }
}
