package org.tollgate.cdr.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.cdr.pairing.Disposition;
import org.tollgate.cdr.pairing.Repair;
import org.tollgate.cdr.pairing.ReviewItem;

/**
 * Read side of {@code cdr} and {@code cdr_review} for operators. Every listing asks for one row
 * more than its limit to tell whether more matched.
 */
public class JdbcCdrQueries {

    private static final String COLUMNS = """
            cdr_key, call_id, leg_index, call_date, setup_time, answer_time, end_time, duration_seconds,
            billable_seconds, disposition, sip_code, sip_reason, caller, callee, translated_uri, billing_party,
            user_name, source_ip, nas_name, host(nas_address) AS nas_address, terminate_cause, repair, version""";

    private static final String OLDEST = "SELECT " + COLUMNS + " FROM cdr WHERE %s ORDER BY end_time, cdr_key LIMIT ?";

    // the newest rows, given back oldest first like every other listing
    private static final String NEWEST = """
            SELECT * FROM (SELECT %s FROM cdr WHERE %%s ORDER BY end_time DESC, cdr_key DESC LIMIT ?) newest
             ORDER BY end_time, cdr_key""".formatted(COLUMNS);

    private static final String REVIEW = """
            SELECT record_key, call_id, reason, detail, event_time, created_at FROM cdr_review
             WHERE resolved_at IS NULL%s ORDER BY event_time, record_key LIMIT ?""";

    private final JdbcTemplate jdbc;

    public JdbcCdrQueries(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** The first CDRs that match, by end time. */
    public Limited<CdrRow> search(CdrFilter filter) {
        Where where = Where.of(filter);
        List<CdrRow> rows = query(OLDEST, where, filter.limit());
        boolean more = rows.size() > filter.limit();
        return new Limited<>(more ? rows.subList(0, filter.limit()) : rows, more);
    }

    /** The last CDRs that match, by end time: what {@code cdr list} shows. */
    public Limited<CdrRow> recent(CdrFilter filter) {
        return newest(Where.of(filter), filter.limit());
    }

    /** The last calls that did not connect (acc's missed calls), by end time. */
    public Limited<CdrRow> missed(CdrFilter filter) {
        Where where = Where.of(filter);
        where.and("disposition <> 'ANSWERED'");
        return newest(where, filter.limit());
    }

    /** Open review rows, oldest first; {@code reason} null for every reason. */
    public Limited<ReviewRow> review(ReviewItem.Reason reason, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        List<Object> args = new ArrayList<>();
        String condition = "";
        if (reason != null) {
            condition = " AND reason = ?";
            args.add(reason.name());
        }
        args.add((long) limit + 1);
        List<ReviewRow> rows = jdbc.query(REVIEW.formatted(condition), (rs, n) -> new ReviewRow(
                rs.getObject("record_key", UUID.class), rs.getString("call_id"), rs.getString("reason"),
                rs.getString("detail"), instant(rs, "event_time"), instant(rs, "created_at")), args.toArray());
        boolean more = rows.size() > limit;
        return new Limited<>(more ? rows.subList(0, limit) : rows, more);
    }

    private Limited<CdrRow> newest(Where where, int limit) {
        List<CdrRow> rows = query(NEWEST, where, limit);
        boolean more = rows.size() > limit;
        // the extra row is the oldest one
        return new Limited<>(more ? rows.subList(1, rows.size()) : rows, more);
    }

    private List<CdrRow> query(String template, Where where, int limit) {
        List<Object> args = new ArrayList<>(where.args);
        args.add((long) limit + 1);
        return jdbc.query(template.formatted(where.sql), JdbcCdrQueries::row, args.toArray());
    }

    private static CdrRow row(ResultSet rs, int n) throws SQLException {
        String repair = rs.getString("repair");
        return new CdrRow(rs.getObject("cdr_key", UUID.class), rs.getString("call_id"), rs.getInt("leg_index"),
                rs.getObject("call_date", LocalDate.class), instant(rs, "setup_time"),
                instant(rs, "answer_time"), instant(rs, "end_time"), rs.getLong("duration_seconds"),
                rs.getLong("billable_seconds"), Disposition.valueOf(rs.getString("disposition")),
                rs.getObject("sip_code", Integer.class), rs.getString("sip_reason"), rs.getString("caller"),
                rs.getString("callee"), rs.getString("translated_uri"), rs.getString("billing_party"),
                rs.getString("user_name"), rs.getString("source_ip"), rs.getString("nas_name"),
                rs.getString("nas_address"), rs.getObject("terminate_cause", Integer.class),
                repair == null ? null : Repair.valueOf(repair), rs.getInt("version"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** The WHERE clause of a filter and its parameters, in order. */
    private static final class Where {
        private final StringBuilder sql = new StringBuilder("true");
        private final List<Object> args = new ArrayList<>();

        static Where of(CdrFilter f) {
            Where w = new Where();
            if (f.fromDate() != null) {
                w.and("call_date >= ?", f.fromDate());
            }
            if (f.toDate() != null) {
                w.and("call_date <= ?", f.toDate());
            }
            if (f.endFrom() != null) {
                w.and("end_time >= ?", Timestamp.from(f.endFrom()));
            }
            if (f.endBefore() != null) {
                w.and("end_time < ?", Timestamp.from(f.endBefore()));
            }
            if (f.caller() != null) {
                w.and("caller ILIKE ? ESCAPE '\\'", contains(f.caller()));
            }
            if (f.callee() != null) {
                w.and("callee ILIKE ? ESCAPE '\\'", contains(f.callee()));
            }
            if (!f.dispositions().isEmpty()) {
                List<String> marks = new ArrayList<>();
                for (Disposition d : Disposition.values()) {
                    if (f.dispositions().contains(d)) {
                        marks.add("?");
                        w.args.add(d.name());
                    }
                }
                w.and("disposition IN (" + String.join(", ", marks) + ")");
            }
            if (f.repair() != null) {
                if (!f.repair().repaired()) {
                    w.and("repair IS NULL");
                } else if (f.repair().method() == null) {
                    w.and("repair IS NOT NULL");
                } else {
                    w.and("repair = ?", f.repair().method().name());
                }
            }
            if (f.billingParty() != null) {
                w.and("billing_party = ?", f.billingParty());
            }
            if (f.callId() != null) {
                w.and("call_id = ?", f.callId());
            }
            return w;
        }

        void and(String condition, Object... values) {
            sql.append(" AND ").append(condition);
            args.addAll(List.of(values));
        }

        // the operator's text is matched literally: % and _ are not wildcards here
        private static String contains(String s) {
            return "%" + s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        }
    }
}
