package org.tollgate.proxy.ban;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.tollgate.api.db.JdbcDeadline;
import org.tollgate.proxy.sip.IpLiteral;

/**
 * Table {@code sip_ban}: written behind by the proxies, listed and lifted by {@code tollgate bans}.
 * Every statement runs within a {@link JdbcDeadline}: a frozen server costs the caller the
 * deadline, never more (a query timeout would not do: its cancel request hangs on the same server).
 */
public final class JdbcBanStore {

    /** A row: the ban, which proxy made it, and when and by whom it was lifted (null: in force). */
    public record Row(Ban ban, String proxy, Instant liftedAt, String liftedBy) { }

    private static final String COLUMNS =
            "id, kind, subject, source, reason, detail, banned_at, until, proxy, lifted_at, lifted_by";

    private final DataSource dataSource;
    private final JdbcDeadline deadline;

    public JdbcBanStore(DataSource dataSource, JdbcDeadline deadline) {
        this.dataSource = dataSource;
        this.deadline = deadline;
    }

    /** Writes a ban made by {@code proxy}; returns its id. */
    public long insert(Ban b, String proxy) throws SQLException {
        return deadline.run(dataSource, c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO sip_ban (kind, subject, source, reason, detail, banned_at, until, proxy)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")) {
                s.setString(1, b.kind().column());
                s.setString(2, b.subject());
                s.setString(3, b.source());
                s.setString(4, b.reason());
                s.setString(5, b.detail());
                s.setTimestamp(6, Timestamp.from(b.bannedAt()));
                s.setTimestamp(7, Timestamp.from(b.until()));
                s.setString(8, proxy);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Bans not yet expired, lifted or not (a proxy learns lifts and other proxies' bans from them). */
    public List<Row> unexpired() throws SQLException {
        return query("SELECT " + COLUMNS + " FROM sip_ban WHERE until > now() ORDER BY id");
    }

    /** Bans in force, or with {@code all} also those lifted or expired in the last day, newest first. */
    public List<Row> list(boolean all) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM sip_ban WHERE "
                + (all ? "until > now() - interval '1 day' OR lifted_at > now() - interval '1 day'"
                        : "until > now() AND lifted_at IS NULL")
                + " ORDER BY banned_at DESC, id DESC");
    }

    /**
     * Lifts the bans in force of {@code subject}: an address (in any of its spellings), or a user
     * ("name@realm", or "name" for that name in any realm); returns how many.
     */
    public int lift(Ban.Kind kind, String subject, String by) throws SQLException {
        boolean anyRealm = kind == Ban.Kind.USER && !subject.contains("@");
        String literal = kind == Ban.Kind.SOURCE ? IpLiteral.normalized(subject) : null;
        // the proxy keys sources in Java's spelling: "::1" is "0:0:0:0:0:0:0:1" there
        String key = literal != null ? literal : subject;
        return deadline.run(dataSource, c -> {
            try (PreparedStatement s = c.prepareStatement(anyRealm
                    ? """
                    UPDATE sip_ban SET lifted_at = now(), lifted_by = ?
                    WHERE kind = 'user' AND (subject = ? OR subject LIKE ? ESCAPE '\\') AND lifted_at IS NULL
                      AND until > now()"""
                    : """
                    UPDATE sip_ban SET lifted_at = now(), lifted_by = ?
                    WHERE kind = ? AND subject = ? AND lifted_at IS NULL AND until > now()""")) {
                s.setString(1, by);
                if (anyRealm) {
                    s.setString(2, key);
                    s.setString(3, likeEscaped(key) + "@%");
                } else {
                    s.setString(2, kind.column());
                    s.setString(3, key);
                }
                return s.executeUpdate();
            }
        });
    }

    private List<Row> query(String sql) throws SQLException {
        return deadline.run(dataSource, c -> rows(c, sql));
    }

    private static List<Row> rows(Connection c, String sql) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(row(rs));
            }
        }
        return out;
    }

    private static String likeEscaped(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Row row(ResultSet rs) throws SQLException {
        Timestamp lifted = rs.getTimestamp("lifted_at");
        Ban b = new Ban(rs.getLong("id"), Ban.Kind.of(rs.getString("kind")), rs.getString("subject"),
                rs.getString("source"), rs.getString("reason"), rs.getString("detail"),
                rs.getTimestamp("banned_at").toInstant(), rs.getTimestamp("until").toInstant());
        return new Row(b, rs.getString("proxy"), lifted == null ? null : lifted.toInstant(), rs.getString("lifted_by"));
    }
}
