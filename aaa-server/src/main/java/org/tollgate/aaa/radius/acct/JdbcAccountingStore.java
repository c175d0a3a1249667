package org.tollgate.aaa.radius.acct;

import static org.tollgate.aaa.radius.StorableText.storable;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.postgresql.PGConnection;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.tollgate.aaa.radius.StorableText;
import org.tollgate.api.AccountingEvent;
import org.tollgate.api.db.JdbcDeadline;

/**
 * Writes a batch of accounting events in one transaction and one commit, with COPY (PostgreSQL's
 * CSV format, written with Commons CSV): several times cheaper for the server than binding two
 * dozen arrays (measured: BENCHMARKS.md). Sessions ({@code acc_session}) are a view over this log.
 */
public class JdbcAccountingStore {

    private static final JsonFactory JSON = new JsonFactory();
    private static final CSVFormat CSV = CSVFormat.POSTGRESQL_CSV;

    private static final String COLUMNS = """
            record_key, session_key, received_at, event_time, nas_name, nas_address, status, status_code,
            acct_session_id, acct_unique_session_id, user_name, calling_station_id, called_station_id,
            sip_method, sip_response_code, sip_from_tag, sip_to_tag, sip_cseq, sip_translated_uri,
            sip_src_ip, sip_src_port, session_time, terminate_cause, delay_time, attributes""";

    private static final String CREATE_STAGE = "CREATE TEMPORARY TABLE IF NOT EXISTS acc_stage "
            + "(LIKE acc_event INCLUDING DEFAULTS) ON COMMIT DELETE ROWS";

    private static final String COPY_STAGE = "COPY acc_stage (" + COLUMNS + ") FROM STDIN WITH (FORMAT csv)";

    private static final String COPY_DIRECT = "COPY acc_event (" + COLUMNS + ") FROM STDIN WITH (FORMAT csv)";

    private static final String UNIQUE_VIOLATION = "23505";

    private static final String MOVE = """
            INSERT INTO acc_event (%1$s)
            SELECT %1$s FROM acc_stage
            ON CONFLICT (record_key) DO NOTHING
            """.formatted(COLUMNS);

    private final DataSource dataSource;
    private final JdbcDeadline deadline;
    // physical connections that already have their staging table
    private final Set<PGConnection> staged = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /** Each batch must be committed within the deadline, else it fails (and the caller journals it). */
    public JdbcAccountingStore(DataSource dataSource, JdbcDeadline deadline) {
        this.dataSource = dataSource;
        this.deadline = deadline;
    }

    /**
     * Stores the batch durably (committed) or throws. Idempotent: the batch is COPYed straight
     * into {@code acc_event}; only when that meets a row already stored (a retransmission of
     * an answered request, rare; or a batch whose commit outcome was unknown, replayed) does it
     * go through the staging table and ON CONFLICT.
     *
     * @throws org.tollgate.api.db.DeadlineExceededException when PostgreSQL did not answer in
     *         time: the batch may or may not be committed
     */
    public void store(List<AccountingEvent> events) throws SQLException {
        String csv = csv(distinct(events));
        deadline.run(dataSource, c -> {
            storeOn(c, csv);
            return null;
        });
    }

    /**
     * Lets go of a connection kept between batches: a replay round over one connection of its
     * own ({@link SingleConnectionDataSource}) closes it when done, or after a failure. Nothing
     * to do on a pool.
     */
    public void release() {
        if (dataSource instanceof SingleConnectionDataSource single) {
            single.resetConnection();
        }
    }

    /** True when a connection can be had and used within the deadline. */
    public boolean reachable() {
        try {
            return deadline.run(dataSource, c -> c.isValid(0));
        } catch (SQLException e) {
            return false;
        }
    }

    private void storeOn(Connection c, String csv) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        c.setAutoCommit(false);
        try {
            Savepoint beforeCopy = c.setSavepoint();
            try {
                pg.getCopyAPI().copyIn(COPY_DIRECT, new StringReader(csv));
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                c.rollback(beforeCopy);
                storeSkippingDuplicates(c, pg, csv);
            }
            c.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            rollbackQuietly(c);
            staged.remove(pg);
            throw e instanceof SQLException sql ? sql : new SQLException("accounting batch not stored", e);
        }
    }

    private void storeSkippingDuplicates(Connection c, PGConnection pg, String csv) throws SQLException, IOException {
        if (!staged.contains(pg)) {
            try (Statement s = c.createStatement()) {
                s.execute(CREATE_STAGE);
            }
            staged.add(pg);
        }
        pg.getCopyAPI().copyIn(COPY_STAGE, new StringReader(csv));
        try (PreparedStatement s = c.prepareStatement(MOVE)) {
            s.executeUpdate();
        }
    }

    /** A retransmission queued while its original waits is the same row: keep one. */
    private static List<AccountingEvent> distinct(List<AccountingEvent> events) {
        Map<String, AccountingEvent> byKey = new java.util.LinkedHashMap<>();
        for (AccountingEvent e : events) {
            byKey.putIfAbsent(e.recordKey(), e);
        }
        return byKey.size() == events.size() ? events : List.copyOf(byKey.values());
    }

    /**
     * The batch in PostgreSQL's CSV dialect: unquoted empty = NULL. Text goes through
     * {@link StorableText#storable}: PostgreSQL text and jsonb cannot hold NUL; events from the
     * RADIUS mapper never carry one (it keeps the original bytes as {@code .octets}), but others
     * can, such as a journal written by an earlier version, and one record must not fail its batch.
     */
    static String csv(List<AccountingEvent> events) {
        StringWriter out = new StringWriter(events.size() * 900);
        try (CSVPrinter p = new CSVPrinter(out, CSV)) {
            for (AccountingEvent e : events) {
                p.printRecord(e.recordKey(), e.sessionKey(), e.receivedAt(), e.eventTime(), storable(e.nasName()),
                        e.nasAddress(), e.status().name(), e.statusCode(), storable(e.acctSessionId()),
                        e.acctUniqueSessionId(), storable(e.userName()), storable(e.callingStationId()),
                        storable(e.calledStationId()), storable(e.sipMethod()), e.sipResponseCode(), storable(e.sipFromTag()),
                        storable(e.sipToTag()), storable(e.sipCseq()), storable(e.sipTranslatedUri()), storable(e.sipSrcIp()),
                        e.sipSrcPort(), e.sessionTime(), e.terminateCause(), e.delayTime(), attributesJson(e));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Every attribute as one JSON object; a repeated attribute becomes an array. */
    static String attributesJson(AccountingEvent e) {
        List<AccountingEvent.Attribute> attrs = e.attributes();
        Map<String, Integer> counts = new java.util.HashMap<>();
        for (AccountingEvent.Attribute a : attrs) {
            counts.merge(a.name(), 1, Integer::sum);
        }
        StringWriter w = new StringWriter(attrs.size() * 40);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            for (int i = 0; i < attrs.size(); i++) {
                AccountingEvent.Attribute a = attrs.get(i);
                int n = counts.getOrDefault(a.name(), 0);
                if (n == 0) {
                    continue; // written with the first of its name
                }
                g.writeFieldName(a.name());
                if (n == 1) {
                    g.writeString(storable(a.value()));
                } else {
                    g.writeStartArray();
                    for (int j = i; j < attrs.size(); j++) {
                        if (attrs.get(j).name().equals(a.name())) {
                            g.writeString(storable(attrs.get(j).value()));
                        }
                    }
                    g.writeEndArray();
                }
                counts.put(a.name(), 0);
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return w.toString();
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }
}
