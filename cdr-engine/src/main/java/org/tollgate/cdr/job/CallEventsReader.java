package org.tollgate.cdr.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.batch.item.ExecutionContext;
import org.springframework.batch.item.ItemStreamException;
import org.springframework.batch.item.ItemStreamReader;
import org.tollgate.api.AccountingStatus;
import org.tollgate.api.TollgateAttributes;
import org.tollgate.cdr.CdrSettings;
import org.tollgate.cdr.pairing.AccRow;
import org.tollgate.cdr.pairing.CallEvents;

/**
 * Streams the accounting of every Call-ID the run must pair, one {@link CallEvents} per Call-ID,
 * in Call-ID order (byte order, so PostgreSQL and the restart position agree). The position
 * saved at each commit is the last Call-ID handed out; a restart reads the Call-IDs after it.
 */
public class CallEventsReader implements ItemStreamReader<CallEvents> {

    static final String POSITION = "cdr.reader.last-call-id";
    static final String EVENTS = "cdr.reader.events";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final RunWindow window;
    private final CdrSettings settings;

    private Connection connection;
    private PreparedStatement statement;
    private ResultSet rs;
    private boolean hasRow;
    private String lastCallId = "";
    private long events;
    private static final Object END = new Object();
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4096);
    private Thread prefetch;

    public CallEventsReader(DataSource dataSource, RunWindow window, CdrSettings settings) {
        this.dataSource = dataSource;
        this.window = window;
        this.settings = settings;
    }

    /**
     * The rows of every Call-ID the run must pair: those with accounting stored in the window (or,
     * for a day, with an event on it), those due a revisit and those with new media events.
     * Incremental runs read the window's rows by a scan and only the older rows of those calls
     * through the Call-ID index: the first run over a large backlog is one scan and one sort.
     */
    String sql() {
        String cols = """
                e.acct_session_id AS call_id, e.record_key, e.event_time, e.nas_name, host(e.nas_address) AS nas,
                e.status, e.user_name, e.calling_station_id, e.called_station_id, e.sip_method,
                e.sip_response_code, e.sip_from_tag, e.sip_to_tag, e.sip_translated_uri, e.sip_src_ip,
                e.terminate_cause, e.attributes->>'Acct-Interim-Interval' AS interval,
                e.attributes->>'%s' AS setup, e.attributes->>'%s' AS reason,
                e.attributes->'%s' AS leg_src, e.attributes->'%s' AS leg_dst""".formatted(
                TollgateAttributes.SETUP_TIME, TollgateAttributes.SIP_REASON,
                settings.legSrcAttribute().replace("'", "''"), settings.legDstAttribute().replace("'", "''"));
        String inWindow = window.day() == null
                ? "e.stored_at > ?1 AND e.stored_at <= ?2"
                : "e.event_time >= ?1 AND e.event_time < ?2";
        String media = window.day() == null
                ? "received_at > ?1 AND received_at <= ?2"
                : "last_media_at >= ?1 AND last_media_at < ?2";
        String sql = """
                WITH dirty AS MATERIALIZED (
                  SELECT e.acct_session_id AS call_id FROM acc_event e WHERE %1$s AND e.acct_session_id <> ''
                  UNION SELECT call_id FROM cdr_pending WHERE revisit_at <= ?3
                  UNION SELECT call_id FROM media_event WHERE %2$s
                )
                SELECT * FROM (
                  SELECT %3$s FROM acc_event e WHERE %1$s AND e.acct_session_id <> '' AND e.stored_at <= ?3
                  UNION ALL
                  SELECT %3$s FROM acc_event e
                   WHERE NOT (%1$s) AND e.stored_at <= ?3 AND e.acct_session_id IN (SELECT call_id FROM dirty)
                  UNION ALL
                  SELECT m.call_id, NULL, m.last_media_at, NULL, NULL, 'MEDIA_API', NULL, NULL, NULL, NULL, NULL, NULL,
                         NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
                    FROM media_event m WHERE m.call_id IN (SELECT call_id FROM dirty)
                ) r WHERE r.call_id COLLATE "C" > ?4
                ORDER BY r.call_id COLLATE "C"
                """.formatted(inWindow, media, cols);
        return sql;
    }

    @Override
    public void open(ExecutionContext ctx) {
        lastCallId = ctx.getString(POSITION, "");
        events = ctx.getLong(EVENTS, 0L);
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            connection.setNetworkTimeout(Runnable::run, 0); // sorting a large window may take longer than the pool's socket timeout
            try (Statement s = connection.createStatement()) {
                s.execute("SET LOCAL work_mem = '256MB'");
            }
            List<Integer> order = new ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\?(\\d)").matcher(sql());
            StringBuilder text = new StringBuilder();
            while (m.find()) {
                order.add(Integer.parseInt(m.group(1)));
                m.appendReplacement(text, "?");
            }
            m.appendTail(text);
            statement = connection.prepareStatement(text.toString(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(5000);
            Object[] values = {Timestamp.from(window.from()), Timestamp.from(window.to()), Timestamp.from(window.asOf()),
                    lastCallId};
            for (int i = 0; i < order.size(); i++) {
                statement.setObject(i + 1, values[order.get(i) - 1]);
            }
            rs = statement.executeQuery();
            hasRow = rs.next();
        } catch (SQLException e) {
            close();
            throw new ItemStreamException("cannot read accounting for the CDR run", e);
        }
        prefetch = new Thread(this::prefetch, "cdr-reader");
        prefetch.setDaemon(true);
        prefetch.start();
    }

    /**
     * Decoding rows overlaps with the writer's statements (PostgreSQL works on the other core). The
     * position only moves when an item is handed out, so a restart is unaffected.
     */
    private void prefetch() {
        try {
            CallEvents next;
            while ((next = fetch()) != null) {
                queue.put(next);
            }
            queue.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed early: the step stops reading
        } catch (Exception e) {
            queue.clear();
            queue.offer(e);
        }
    }

    @Override
    public CallEvents read() throws Exception {
        Object next = queue.take();
        if (next == END) {
            queue.put(END); // read() may be called again after the end
            return null;
        }
        if (next instanceof Exception e) {
            throw e;
        }
        CallEvents call = (CallEvents) next;
        lastCallId = call.callId();
        events += call.rows().size();
        return call;
    }

    private CallEvents fetch() throws SQLException {
        if (!hasRow) {
            return null;
        }
        String callId = rs.getString(1);
        List<AccRow> rows = new ArrayList<>();
        List<Instant> media = new ArrayList<>();
        do {
            if ("MEDIA_API".equals(rs.getString(6))) {
                media.add(rs.getTimestamp(3).toInstant());
            } else {
                rows.add(row(rs, callId));
            }
            hasRow = rs.next();
        } while (hasRow && callId.equals(rs.getString(1)));
        return new CallEvents(callId, rows, media);
    }

    private static AccRow row(ResultSet rs, String callId) throws SQLException {
        return new AccRow(rs.getObject(2, UUID.class), rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5),
                AccountingStatus.named(rs.getString(6)), callId, rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                (Integer) rs.getObject(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15),
                (Integer) rs.getObject(16), longOrNull(rs.getString(17)), instantOrNull(rs.getString(18)),
                rs.getString(19), values(rs.getString(20)), values(rs.getString(21)));
    }

    static Long longOrNull(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null; // an unusable value is no evidence
        }
    }

    /** An ISO-8601 instant or epoch seconds. */
    static Instant instantOrNull(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s.trim());
        } catch (DateTimeParseException e) {
            Long epoch = longOrNull(s);
            return epoch == null ? null : Instant.ofEpochSecond(epoch);
        }
    }

    /** A JSON string or array of strings (a repeated attribute). */
    static List<String> values(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            JsonNode n = JSON.readTree(json);
            if (n.isTextual()) {
                return List.of(n.asText());
            }
            List<String> out = new ArrayList<>();
            n.forEach(v -> out.add(v.asText()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void update(ExecutionContext ctx) {
        ctx.putString(POSITION, lastCallId);
        ctx.putLong(EVENTS, events);
    }

    @Override
    public void close() {
        Thread t = prefetch;
        prefetch = null;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        queue.clear();
        try {
            if (connection != null) {
                connection.rollback();
                connection.close();
            }
        } catch (SQLException ignored) {
            // closing a read-only cursor; nothing to keep
        } finally {
            connection = null;
            statement = null;
            rs = null;
        }
    }
}
