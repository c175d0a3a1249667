package org.tollgate.prepaid.reservation;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/** The calls that hold money now ({@code prepaid sessions}), oldest first. */
public class OpenReservations {

    /** One open call: whose, which, where to, since when, granted and used so far, what it holds, when it goes stale. */
    public record Session(String account, String callId, String destination, Instant authorizedAt, long grantedSeconds,
                          long usedSeconds, BigDecimal held, String currency, Instant expiresAt) { }

    private final JdbcTemplate jdbc;

    public OpenReservations(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public List<Session> list(String account, int limit) {
        return jdbc.query("""
                SELECT a.name, r.call_id, r.destination, r.authorized_at, r.granted_seconds, r.used_seconds, r.held,
                       p.currency, r.expires_at
                  FROM prepaid_reservation r JOIN account a ON a.id = r.account_id
                  JOIN prepaid_account p ON p.account_id = r.account_id
                 WHERE r.state = 'OPEN' AND (?::text IS NULL OR a.name = ?)
                 ORDER BY r.authorized_at, r.call_id LIMIT ?""", (rs, i) -> new Session(rs.getString(1), rs.getString(2),
                rs.getString(3), instant(rs.getTimestamp(4)), rs.getLong(5), rs.getLong(6), rs.getBigDecimal(7),
                rs.getString(8), instant(rs.getTimestamp(9))), account, account, limit);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
