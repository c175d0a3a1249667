package org.tollgate.reports;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;

import javax.sql.DataSource;

import org.postgresql.PGStatement;

/**
 * Runs a report's query with a server-side cursor (read-only transaction, rows fetched in
 * batches), so a million rows pass through without being held in memory.
 */
final class StreamingQuery {

    private static final int FETCH = 5_000;

    /** Called per row with the cursor on it. */
    interface Rows {
        void row(ResultSet rs) throws Exception;
    }

    private final DataSource dataSource;

    StreamingQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void run(String sql, Object[] args, Rows rows) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false); // PostgreSQL uses a cursor only inside a transaction
            try (java.sql.Statement set = c.createStatement()) {
                // the hash of a million prices (about 100 MB) joined in one pass; a larger sort still spills to disk
                set.execute("SET LOCAL work_mem = '256MB'");
            }
            try (PreparedStatement s = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                s.setFetchSize(FETCH);
                // binary rows: PostgreSQL does not print timestamps and numbers as text, nor the driver parse them
                s.unwrap(PGStatement.class).setPrepareThreshold(-1);
                for (int i = 0; i < args.length; i++) {
                    s.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.row(rs);
                    }
                }
            } finally {
                c.rollback(); // read only: nothing to keep
                c.setAutoCommit(auto);
            }
        }
    }

    /** A timestamptz column as the local time in the zone (no Calendar on the way, unlike getTimestamp). */
    static LocalDateTime local(ResultSet rs, int column, ZoneId zone) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : LocalDateTime.ofInstant(t.toInstant(), zone);
    }

    static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
