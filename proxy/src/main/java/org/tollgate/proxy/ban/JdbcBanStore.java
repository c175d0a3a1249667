package org.tollgate.proxy.ban;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/** Table {@code sip_ban}: written behind by the proxies, listed and lifted by {@code tollgate bans}. */
public final class JdbcBanStore {

    /** A row: the ban, which proxy made it, and when and by whom it was lifted (null: in force). */
    public record Row(Ban ban, String proxy, Instant liftedAt, String liftedBy) { }

    private static final String COLUMNS =
            "id, kind, subject, source, reason, detail, banned_at, until, proxy, lifted_at, lifted_by";

    private final JdbcTemplate jdbc;

    public JdbcBanStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        // a hung database must cost the writer seconds, never the SIP path anything
        jdbc.setQueryTimeout(2);
    }

    /** Writes a ban made by {@code proxy}; returns its id. */
    public long insert(Ban b, String proxy) {
        return jdbc.queryForObject("""
                INSERT INTO sip_ban (kind, subject, source, reason, detail, banned_at, until, proxy)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""", Long.class,
                b.kind().column(), b.subject(), b.source(), b.reason(), b.detail(), Timestamp.from(b.bannedAt()),
                Timestamp.from(b.until()), proxy);
    }

    /** Bans not yet expired, lifted or not (a proxy learns lifts and other proxies' bans from them). */
    public List<Row> unexpired() {
        return jdbc.query("SELECT " + COLUMNS + " FROM sip_ban WHERE until > now() ORDER BY id", JdbcBanStore::row);
    }

    /** Bans in force, or with {@code all} also those lifted or expired in the last day, newest first. */
    public List<Row> list(boolean all) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sip_ban WHERE "
                + (all ? "until > now() - interval '1 day' OR lifted_at > now() - interval '1 day'"
                        : "until > now() AND lifted_at IS NULL")
                + " ORDER BY banned_at DESC, id DESC", JdbcBanStore::row);
    }

    /**
     * Lifts the bans in force of {@code subject}: an address, or a user ("name@realm", or "name"
     * for that name in any realm); returns how many.
     */
    public int lift(Ban.Kind kind, String subject, String by) {
        if (kind == Ban.Kind.USER && !subject.contains("@")) {
            return jdbc.update("""
                    UPDATE sip_ban SET lifted_at = now(), lifted_by = ?
                    WHERE kind = 'user' AND (subject = ? OR subject LIKE ? ESCAPE '\\') AND lifted_at IS NULL
                      AND until > now()""", by, subject, likeEscaped(subject) + "@%");
        }
        return jdbc.update("""
                UPDATE sip_ban SET lifted_at = now(), lifted_by = ?
                WHERE kind = ? AND subject = ? AND lifted_at IS NULL AND until > now()""", by, kind.column(), subject);
    }

    private static String likeEscaped(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        Timestamp lifted = rs.getTimestamp("lifted_at");
        Ban b = new Ban(rs.getLong("id"), Ban.Kind.of(rs.getString("kind")), rs.getString("subject"),
                rs.getString("source"), rs.getString("reason"), rs.getString("detail"),
                rs.getTimestamp("banned_at").toInstant(), rs.getTimestamp("until").toInstant());
        return new Row(b, rs.getString("proxy"), lifted == null ? null : lifted.toInstant(), rs.getString("lifted_by"));
    }
}
