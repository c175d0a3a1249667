package org.tollgate.aaa.radius.acct;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/** Read side of {@code acc_event} for operators. */
public class JdbcAccountingQueries {

    /** One stored accounting row, as listed by {@code tollgate acct list}. */
    public record Row(String recordKey, Instant eventTime, String nasName, String status, String acctSessionId,
                      String userName, String callingStationId, String calledStationId, String sipMethod,
                      Integer sipResponseCode, String sipFromTag, String sipToTag, Long sessionTime,
                      Integer terminateCause, String attributesJson) { }

    private final JdbcTemplate jdbc;

    public JdbcAccountingQueries(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public List<Row> list(Instant since, String acctSessionId, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT record_key::text, event_time, nas_name, status, acct_session_id, user_name, calling_station_id,
                       called_station_id, sip_method, sip_response_code, sip_from_tag, sip_to_tag, session_time,
                       terminate_cause, attributes::text
                FROM acc_event WHERE true""");
        List<Object> args = new ArrayList<>();
        if (since != null) {
            sql.append(" AND event_time >= ?");
            args.add(Timestamp.from(since));
        }
        if (acctSessionId != null) {
            sql.append(" AND acct_session_id = ?");
            args.add(acctSessionId);
        }
        sql.append(" ORDER BY event_time, received_at LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, n) -> new Row(rs.getString(1), rs.getTimestamp(2).toInstant(),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9), (Integer) rs.getObject(10), rs.getString(11), rs.getString(12),
                (Long) rs.getObject(13), (Integer) rs.getObject(14), rs.getString(15)), args.toArray());
    }

    public long count() {
        Long n = jdbc.queryForObject("SELECT count(*) FROM acc_event", Long.class);
        return n == null ? 0 : n;
    }
}
