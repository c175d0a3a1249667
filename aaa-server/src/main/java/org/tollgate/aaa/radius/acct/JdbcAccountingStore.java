package org.tollgate.aaa.radius.acct;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.function.Function;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tollgate.api.AccountingEvent;

/**
 * Writes a batch of accounting events in one statement and one commit: the rows go into
 * {@code acc_event} (a retransmission hits the UNIQUE record_key and is skipped), and only the
 * rows actually inserted update {@code acc_session}. Accounting-On/Off then closes the NAS's
 * open sessions in the same transaction.
 */
public class JdbcAccountingStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String INSERT = """
            WITH input AS (
                SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::timestamptz[], ?::timestamptz[], ?::text[], ?::inet[],
                                     ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                     ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                     ?::int[], ?::bigint[], ?::int[], ?::int[], ?::jsonb[])
                    AS t(record_key, session_key, received_at, event_time, nas_name, nas_address, status,
                         status_code, acct_session_id, acct_unique_session_id, user_name, calling_station_id,
                         called_station_id, sip_method, sip_response_code, sip_from_tag, sip_to_tag, sip_cseq,
                         sip_translated_uri, sip_src_ip, sip_src_port, session_time, terminate_cause, delay_time,
                         attributes)
            ), ins AS (
                INSERT INTO acc_event (record_key, session_key, received_at, event_time, nas_name, nas_address,
                        status, status_code, acct_session_id, acct_unique_session_id, user_name, calling_station_id,
                        called_station_id, sip_method, sip_response_code, sip_from_tag, sip_to_tag, sip_cseq,
                        sip_translated_uri, sip_src_ip, sip_src_port, session_time, terminate_cause, delay_time,
                        attributes)
                SELECT * FROM input
                ON CONFLICT (record_key) DO NOTHING
                RETURNING session_key, nas_name, status, event_time, acct_session_id, acct_unique_session_id,
                          user_name, session_time, terminate_cause
            )
            INSERT INTO acc_session AS s (session_key, nas_name, acct_session_id, acct_unique_session_id, user_name,
                                          start_time, last_update, stop_time, session_time, terminate_cause)
            SELECT session_key, min(nas_name), min(acct_session_id), min(acct_unique_session_id),
                   coalesce(min(user_name) FILTER (WHERE status = 'START'), min(user_name)),
                   min(event_time) FILTER (WHERE status = 'START'), max(event_time),
                   max(event_time) FILTER (WHERE status = 'STOP'), max(session_time),
                   max(terminate_cause) FILTER (WHERE status = 'STOP')
            FROM ins
            WHERE session_key IS NOT NULL AND status IN ('START', 'INTERIM_UPDATE', 'STOP')
            GROUP BY session_key
            ORDER BY session_key
            ON CONFLICT (session_key) DO UPDATE SET
                start_time = LEAST(s.start_time, EXCLUDED.start_time),
                last_update = GREATEST(s.last_update, EXCLUDED.last_update),
                stop_time = GREATEST(s.stop_time, EXCLUDED.stop_time),
                session_time = GREATEST(s.session_time, EXCLUDED.session_time),
                terminate_cause = coalesce(EXCLUDED.terminate_cause, s.terminate_cause),
                user_name = coalesce(s.user_name, EXCLUDED.user_name)
            """;

    /** Acct-Terminate-Cause NAS-Reboot (RFC 2866). */
    private static final int NAS_REBOOT = 11;

    private static final String CLOSE_NAS_SESSIONS = """
            UPDATE acc_session SET stop_time = ?, terminate_cause = ?
            WHERE nas_name = ? AND stop_time IS NULL AND last_update <= ?""";

    private final DataSource dataSource;

    public JdbcAccountingStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores the batch durably (committed) or throws. Idempotent. */
    public void store(List<AccountingEvent> events) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    int i = 1;
                    ps.setArray(i++, texts(c, events, AccountingEvent::recordKey));
                    ps.setArray(i++, texts(c, events, AccountingEvent::sessionKey));
                    ps.setArray(i++, c.createArrayOf("timestamptz",
                            events.stream().map(e -> Timestamp.from(e.receivedAt())).toArray()));
                    ps.setArray(i++, c.createArrayOf("timestamptz",
                            events.stream().map(e -> Timestamp.from(e.eventTime())).toArray()));
                    ps.setArray(i++, texts(c, events, AccountingEvent::nasName));
                    ps.setArray(i++, texts(c, events, AccountingEvent::nasAddress));
                    ps.setArray(i++, texts(c, events, e -> e.status().name()));
                    ps.setArray(i++, ints(c, events, AccountingEvent::statusCode));
                    ps.setArray(i++, texts(c, events, AccountingEvent::acctSessionId));
                    ps.setArray(i++, texts(c, events, AccountingEvent::acctUniqueSessionId));
                    ps.setArray(i++, texts(c, events, AccountingEvent::userName));
                    ps.setArray(i++, texts(c, events, AccountingEvent::callingStationId));
                    ps.setArray(i++, texts(c, events, AccountingEvent::calledStationId));
                    ps.setArray(i++, texts(c, events, AccountingEvent::sipMethod));
                    ps.setArray(i++, ints(c, events, AccountingEvent::sipResponseCode));
                    ps.setArray(i++, texts(c, events, AccountingEvent::sipFromTag));
                    ps.setArray(i++, texts(c, events, AccountingEvent::sipToTag));
                    ps.setArray(i++, texts(c, events, AccountingEvent::sipCseq));
                    ps.setArray(i++, texts(c, events, AccountingEvent::sipTranslatedUri));
                    ps.setArray(i++, texts(c, events, AccountingEvent::sipSrcIp));
                    ps.setArray(i++, ints(c, events, AccountingEvent::sipSrcPort));
                    ps.setArray(i++, c.createArrayOf("int8", events.stream().map(AccountingEvent::sessionTime).toArray()));
                    ps.setArray(i++, ints(c, events, AccountingEvent::terminateCause));
                    ps.setArray(i++, ints(c, events, AccountingEvent::delayTime));
                    ps.setArray(i, texts(c, events, JdbcAccountingStore::attributesJson));
                    ps.executeUpdate();
                }
                closeRebootedNasSessions(c, events);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    private static void closeRebootedNasSessions(Connection c, List<AccountingEvent> events) throws SQLException {
        for (AccountingEvent e : events) {
            if (!e.status().isNasState()) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement(CLOSE_NAS_SESSIONS)) {
                Timestamp at = Timestamp.from(e.eventTime());
                ps.setTimestamp(1, at);
                ps.setInt(2, NAS_REBOOT);
                ps.setString(3, e.nasName());
                ps.setTimestamp(4, at);
                ps.executeUpdate();
            }
        }
    }

    /** Every attribute as a JSON object; a repeated attribute becomes an array. */
    static String attributesJson(AccountingEvent e) {
        ObjectNode node = JSON.createObjectNode();
        for (AccountingEvent.Attribute a : e.attributes()) {
            String value = noNul(a.value());
            var existing = node.get(a.name());
            if (existing == null) {
                node.put(a.name(), value);
            } else if (existing.isArray()) {
                ((ArrayNode) existing).add(value);
            } else {
                ArrayNode arr = JSON.createArrayNode().add(existing).add(value);
                node.set(a.name(), arr);
            }
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Array texts(Connection c, List<AccountingEvent> events, Function<AccountingEvent, String> f)
            throws SQLException {
        return c.createArrayOf("text", events.stream().map(f).map(JdbcAccountingStore::noNul).toArray());
    }

    private static Array ints(Connection c, List<AccountingEvent> events, Function<AccountingEvent, Integer> f)
            throws SQLException {
        return c.createArrayOf("int4", events.stream().map(f).toArray());
    }

    // PostgreSQL text cannot hold NUL; a NAS sending one must not make the batch fail.
    private static String noNul(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace("\0", "\\0");
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }
}
