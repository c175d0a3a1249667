package org.tollgate.proxy.dialog;

import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/** Read side of {@code sip_dialog} for the CLI ({@code tollgate dialogs}). */
public final class JdbcDialogQueries {

    /** One tracked dialog as stored. */
    public record Row(String callId, String callerTag, String calleeTag, String proxy, String caller, String callee,
                      String userName, Instant answeredAt, Instant lastRefresh, int sessionInterval, Instant expiresAt) {
    }

    private final JdbcTemplate jdbc;

    public JdbcDialogQueries(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public List<Row> list(String callId, int limit) {
        return jdbc.query("""
                SELECT * FROM sip_dialog WHERE (?::text IS NULL OR call_id = ?)
                ORDER BY answered_at LIMIT ?""", (rs, n) -> new Row(rs.getString("call_id"), rs.getString("caller_tag"),
                rs.getString("callee_tag"), rs.getString("proxy"), rs.getString("caller"), rs.getString("callee"),
                rs.getString("user_name"), rs.getTimestamp("answered_at").toInstant(),
                rs.getTimestamp("last_refresh").toInstant(), rs.getInt("session_interval"),
                rs.getTimestamp("expires_at").toInstant()), callId, callId, limit);
    }
}
