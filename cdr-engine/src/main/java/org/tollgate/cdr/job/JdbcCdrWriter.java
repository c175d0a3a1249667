package org.tollgate.cdr.job;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;

import javax.sql.DataSource;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.postgresql.PGConnection;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.item.Chunk;
import org.springframework.batch.item.ExecutionContext;
import org.springframework.batch.item.ItemWriter;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.tollgate.cdr.pairing.Cdr;
import org.tollgate.cdr.pairing.PairingResult;
import org.tollgate.cdr.pairing.ReviewItem;

/**
 * Writes a chunk of paired calls in the step's transaction: CDRs upserted by key (a changed CDR's
 * old version goes to cdr_audit), CDRs of these calls that pairing no longer produces moved to
 * cdr_audit, review items upserted and the ones now paired resolved, revisits replaced.
 */
public class JdbcCdrWriter implements ItemWriter<PairingResult>, StepExecutionListener {

    static final String COLUMNS = """
            cdr_key, call_id, leg_index, from_tag, to_tag, call_date, setup_time, answer_time, end_time,
            duration_seconds, billable_seconds, disposition, sip_code, sip_reason, caller, callee, translated_uri,
            billing_party, user_name, source_ip, nas_name, nas_address, terminate_cause, repair, source_keys""";

    private static final String FIELDS = COLUMNS.replace("cdr_key, ", "");

    private static final String UPSERT = """
            WITH changed AS (
                -- LATERAL: one index probe per staged row; the staging table has no statistics
                SELECT c.* FROM cdr_stage s CROSS JOIN LATERAL (SELECT * FROM cdr WHERE cdr.cdr_key = s.cdr_key) c
                 WHERE (%1$s) IS DISTINCT FROM (%2$s)
            ), audit AS (
                INSERT INTO cdr_audit (cdr_key, version, change, old_row)
                SELECT cdr_key, version, 'CORRECTED', to_jsonb(changed) FROM changed
            ), written AS (
                INSERT INTO cdr (%3$s) SELECT %3$s FROM cdr_stage
                ON CONFLICT (cdr_key) DO UPDATE SET %4$s, version = cdr.version + 1, updated_at = now()
                 WHERE (%5$s) IS DISTINCT FROM (%6$s)
                RETURNING cdr_key
            )
            INSERT INTO cdr_change (cdr_key) SELECT cdr_key FROM written
            ON CONFLICT (cdr_key) DO UPDATE SET changed_at = now(), seq = nextval('cdr_change_seq')
            """.formatted(prefixed("c"), prefixed("s"), COLUMNS, assignments(), prefixed("cdr"), prefixed("excluded"));

    private static final String SUPERSEDE = """
            WITH gone AS (
                DELETE FROM cdr c WHERE c.call_id = ANY(?)
                   AND NOT EXISTS (SELECT 1 FROM cdr_stage s WHERE s.cdr_key = c.cdr_key) RETURNING c.*
            ), audit AS (
                INSERT INTO cdr_audit (cdr_key, version, change, old_row)
                SELECT cdr_key, version, 'SUPERSEDED', to_jsonb(gone) FROM gone
            )
            INSERT INTO cdr_change (cdr_key) SELECT cdr_key FROM gone
            ON CONFLICT (cdr_key) DO UPDATE SET changed_at = now(), seq = nextval('cdr_change_seq')
            """;

    // calls paired for the first time: their CDRs never had a price, unless one is still queued as superseded
    private static final String NEW_CHANGES = """
            INSERT INTO cdr_change (cdr_key, fresh) SELECT unnest(?::uuid[]), true
            ON CONFLICT (cdr_key) DO UPDATE SET changed_at = now(), seq = nextval('cdr_change_seq'), fresh = false
            """;

    private static final String REVIEW = """
            INSERT INTO cdr_review (record_key, call_id, reason, detail, event_time) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (record_key) DO UPDATE SET reason = excluded.reason, detail = excluded.detail,
                   resolved_at = NULL, resolution = NULL
             WHERE (cdr_review.reason, cdr_review.detail, cdr_review.resolved_at IS NULL)
                   IS DISTINCT FROM (excluded.reason, excluded.detail, true)
            """;

    private static final String RESOLVE = """
            UPDATE cdr_review SET resolved_at = now(), resolution = 'paired into a CDR'
             WHERE call_id = ANY(?) AND resolved_at IS NULL AND record_key <> ALL(?)
            """;

    private static final String UNPEND = "DELETE FROM cdr_pending WHERE call_id = ANY(?)";

    private static final String PEND = """
            INSERT INTO cdr_pending (call_id, revisit_at, reason) VALUES (?, ?, ?)
            ON CONFLICT (call_id) DO UPDATE SET revisit_at = excluded.revisit_at, reason = excluded.reason
            """;

    private static final CSVFormat CSV = CSVFormat.POSTGRESQL_CSV;

    private final DataSource dataSource;
    // physical connections that already have the staging table (it lives as long as the session)
    private final Set<PGConnection> staged = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private ExecutionContext counters = new ExecutionContext();

    public JdbcCdrWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Counters live in the step's context, committed with each chunk, so a restart keeps them exact. */
    @Override
    public void beforeStep(StepExecution step) {
        counters = step.getExecutionContext();
    }

    @Override
    public void write(Chunk<? extends PairingResult> chunk) throws Exception {
        Connection c = DataSourceUtils.getConnection(dataSource); // the step's transaction
        List<String> callIds = new ArrayList<>(chunk.size());
        List<Cdr> cdrs = new ArrayList<>();
        List<ReviewItem> reviews = new ArrayList<>();
        List<PairingResult> pending = new ArrayList<>();
        for (PairingResult r : chunk) {
            callIds.add(r.callId());
            cdrs.addAll(r.cdrs());
            reviews.addAll(r.reviews());
            if (r.revisitAt() != null) {
                pending.add(r);
            }
        }
        Array ids = c.createArrayOf("text", callIds.toArray());
        try (Statement s = c.createStatement()) {
            // every statement here finds rows by key; cdr grows during a run faster than autovacuum
            // analyses it, and with stale statistics the planner would scan it whole for each chunk
            s.execute("SET LOCAL enable_seqscan = off");
        }
        if (firstPairing(c, ids)) {
            copy(c, "cdr", cdrs); // nothing to correct or supersede: straight in
            try (PreparedStatement s = c.prepareStatement(NEW_CHANGES)) {
                s.setArray(1, c.createArrayOf("uuid", cdrs.stream().map(Cdr::cdrKey).toArray()));
                s.executeUpdate();
            }
            count("cdrs.changed", cdrs.size());
        } else {
            stage(c, cdrs);
            try (PreparedStatement s = c.prepareStatement(SUPERSEDE)) {
                s.setArray(1, ids);
                count("cdrs.superseded", s.executeUpdate());
            }
            if (!cdrs.isEmpty()) {
                try (Statement s = c.createStatement()) {
                    count("cdrs.changed", s.executeUpdate(UPSERT));
                }
            }
        }
        writeReviews(c, ids, reviews);
        try (PreparedStatement s = c.prepareStatement(UNPEND)) {
            s.setArray(1, ids);
            s.executeUpdate();
        }
        if (!pending.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(PEND)) {
                for (PairingResult r : pending) {
                    s.setString(1, r.callId());
                    s.setTimestamp(2, Timestamp.from(r.revisitAt()));
                    s.setString(3, r.pendingReason());
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
        tally(chunk, cdrs, reviews, pending.size());
    }

    private void writeReviews(Connection c, Array ids, List<ReviewItem> reviews) throws SQLException {
        if (!reviews.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(REVIEW)) {
                for (ReviewItem r : reviews) {
                    s.setObject(1, r.recordKey());
                    s.setString(2, r.callId());
                    s.setString(3, r.reason().name());
                    s.setString(4, r.detail());
                    s.setTimestamp(5, Timestamp.from(r.eventTime()));
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
        try (PreparedStatement s = c.prepareStatement(RESOLVE)) {
            s.setArray(1, ids);
            s.setArray(2, c.createArrayOf("uuid", reviews.stream().map(ReviewItem::recordKey).toArray()));
            s.executeUpdate();
        }
    }

    /** None of these calls has a CDR yet (the common case: a call paired for the first time). */
    private static boolean firstPairing(Connection c, Array ids) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM cdr WHERE call_id = ANY(?))")) {
            s.setArray(1, ids);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private void stage(Connection c, List<Cdr> cdrs) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        if (staged.add(pg)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TEMPORARY TABLE IF NOT EXISTS cdr_stage (LIKE cdr INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
            }
        }
        copy(c, "cdr_stage", cdrs);
    }

    private static void copy(Connection c, String table, List<Cdr> cdrs) throws SQLException {
        if (cdrs.isEmpty()) {
            return;
        }
        StringWriter out = new StringWriter(cdrs.size() * 400);
        try (CSVPrinter p = new CSVPrinter(out, CSV)) {
            for (Cdr d : cdrs) {
                p.printRecord(d.cdrKey(), d.callId(), d.legIndex(), d.fromTag(), d.toTag(), d.callDate(), d.setupTime(),
                        d.answerTime(), d.endTime(), d.durationSeconds(), d.billableSeconds(), d.disposition().name(),
                        d.sipCode(), d.sipReason(), d.caller(), d.callee(), d.translatedUri(), d.billingParty(),
                        d.userName(), d.sourceIp(), d.nasName(), d.nasAddress(), d.terminateCause(),
                        d.repair() == null ? null : d.repair().name(), uuidArray(d.sourceKeys()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table + " (" + COLUMNS + ") FROM STDIN WITH (FORMAT csv)", new StringReader(out.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String uuidArray(List<UUID> keys) {
        StringBuilder b = new StringBuilder(keys.size() * 37 + 2).append('{');
        for (int i = 0; i < keys.size(); i++) {
            b.append(i == 0 ? "" : ",").append(keys.get(i));
        }
        return b.append('}').toString();
    }

    private void tally(Chunk<? extends PairingResult> chunk, List<Cdr> cdrs, List<ReviewItem> reviews, int pending) {
        count("calls", chunk.size());
        count("cdrs", cdrs.size());
        for (Cdr d : cdrs) {
            if (d.answered()) {
                count("cdrs.answered", 1);
            } else {
                count("cdrs.missed", 1);
            }
            if (d.repair() != null) {
                count("repaired." + d.repair().name(), 1);
            }
        }
        count("review", reviews.size());
        count("pending", pending);
    }

    private void count(String name, long n) {
        counters.putLong(name, counters.getLong(name, 0L) + n);
    }

    private static String prefixed(String alias) {
        StringBuilder b = new StringBuilder();
        for (String col : FIELDS.split(",")) {
            b.append(b.length() == 0 ? "" : ", ").append(alias).append('.').append(col.trim());
        }
        return b.toString();
    }

    private static String assignments() {
        StringBuilder b = new StringBuilder();
        for (String col : FIELDS.split(",")) {
            b.append(b.length() == 0 ? "" : ", ").append(col.trim()).append(" = excluded.").append(col.trim());
        }
        return b.toString();
    }
}
