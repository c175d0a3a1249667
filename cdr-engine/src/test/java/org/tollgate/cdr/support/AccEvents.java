package org.tollgate.cdr.support;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/** Inserts acc_event rows as the AAA server stores the proxy's records. */
public final class AccEvents {

    private final JdbcTemplate jdbc;

    public AccEvents(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public UUID start(String callId, String from, String to, Instant t, Instant storedAt) {
        return insert(callId, "START", 1, "INVITE", 200, from, to, t, storedAt, null, "{\"Acct-Interim-Interval\": \"1800\"}");
    }

    public UUID startWithoutTimer(String callId, String from, String to, Instant t, Instant storedAt) {
        return insert(callId, "START", 1, "INVITE", 200, from, to, t, storedAt, null, "{}");
    }

    public UUID stop(String callId, String from, String to, Instant t, Instant storedAt) {
        return insert(callId, "STOP", 2, "BYE", 200, from, to, t, storedAt, null, "{}");
    }

    public UUID failed(String callId, String from, String to, int code, Instant t, Instant storedAt) {
        return insert(callId, "FAILED", 15, "INVITE", code, from, to, t, storedAt, null, "{}");
    }

    public UUID insert(String callId, String status, int statusCode, String method, Integer code, String from, String to,
                       Instant t, Instant storedAt, Integer cause, String attributes) {
        UUID key = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO acc_event (record_key, received_at, event_time, stored_at, nas_name, nas_address, status,
                       status_code, acct_session_id, user_name, calling_station_id, called_station_id, sip_method,
                       sip_response_code, sip_from_tag, sip_to_tag, sip_src_ip, terminate_cause, attributes)
                VALUES (?, ?, ?, ?, 'tollgate-proxy', '127.0.0.1', ?, ?, ?, '1001@example.com', 'sip:1001@example.com',
                        'sip:0049301234@example.com', ?, ?, ?, ?, '10.0.0.5', ?, ?::jsonb)
                """, key, Timestamp.from(t), Timestamp.from(t), Timestamp.from(storedAt), status, statusCode, callId,
                method, code, from, to, cause, attributes);
        return key;
    }
}
