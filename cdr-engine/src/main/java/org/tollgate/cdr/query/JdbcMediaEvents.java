package org.tollgate.cdr.query;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Media-timeout evidence for the repair of calls whose BYE never came. A relay that posts the
 * same event again (a retry) changes nothing.
 */
public class JdbcMediaEvents {

    private static final String INSERT = """
            INSERT INTO media_event (call_id, last_media_at, source) VALUES (?, ?, ?)
            ON CONFLICT (call_id, last_media_at, source) DO NOTHING""";

    // one statement for a batch, so it is stored whole or not at all; instants go as ISO-8601
    // text because that is what PostgreSQL reads back exactly, whatever the JVM's zone
    private static final String INSERT_ALL = """
            INSERT INTO media_event (call_id, last_media_at, source)
            SELECT call_id, last_media_at::timestamptz, source
              FROM unnest(?::text[], ?::text[], ?::text[]) AS e(call_id, last_media_at, source)
            ON CONFLICT (call_id, last_media_at, source) DO NOTHING""";

    // a source's newer event for a call replaces its older ones: one row per call however often it reports
    private static final String REPLACE_ALL = """
            WITH e AS (SELECT call_id, last_media_at::timestamptz AS last_media_at, source
                         FROM unnest(?::text[], ?::text[], ?::text[]) AS e(call_id, last_media_at, source)),
                 gone AS (DELETE FROM media_event m USING e
                           WHERE m.call_id = e.call_id AND m.source = e.source AND m.last_media_at < e.last_media_at)
            INSERT INTO media_event (call_id, last_media_at, source) SELECT call_id, last_media_at, source FROM e
            ON CONFLICT (call_id, last_media_at, source) DO NOTHING""";

    private final JdbcTemplate jdbc;

    public JdbcMediaEvents(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Stores one event; false when it was already stored. */
    public boolean record(String callId, Instant lastMediaAt, String source) {
        MediaEvent e = new MediaEvent(callId, lastMediaAt, source);
        return jdbc.update(INSERT, e.callId(), Timestamp.from(e.lastMediaAt()), e.source()) == 1;
    }

    /** Stores the events in one statement; returns how many were new (the rest were already stored). */
    public int recordAll(List<MediaEvent> events) {
        return store(INSERT_ALL, events);
    }

    /**
     * Stores each call's latest event from its source, deleting that source's earlier ones for the
     * call: a relay reporting a live call's last packet every few seconds leaves one row.
     */
    public int recordLatest(List<MediaEvent> events) {
        return store(REPLACE_ALL, events);
    }

    private int store(String sql, List<MediaEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        String[] callIds = new String[events.size()];
        String[] times = new String[events.size()];
        String[] sources = new String[events.size()];
        for (int i = 0; i < events.size(); i++) {
            callIds[i] = events.get(i).callId();
            times[i] = events.get(i).lastMediaAt().toString();
            sources[i] = events.get(i).source();
        }
        return jdbc.update(sql, callIds, times, sources);
    }
}
