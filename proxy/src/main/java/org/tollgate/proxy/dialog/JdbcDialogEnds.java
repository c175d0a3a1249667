package org.tollgate.proxy.dialog;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Operator requests to end a live call ({@code sip_dialog_end}): the CLI or the admin API asks and
 * waits; the proxy holding the dialog ends it and says so. Requests nobody answered within the
 * asker's wait are closed NOT_FOUND by the asker, so a proxy that comes later never acts on them.
 */
public final class JdbcDialogEnds {

    /** What became of a request: ended by {@code proxy}, or no running proxy held the call. */
    public record Outcome(String callId, boolean ended, String proxy) { }

    /** Who asks on behalf of a media relay that timed a call out: the call ends as a media timeout. */
    public static final String MEDIA_RELAY = "media-relay";

    /** An open request as a proxy sees it. */
    public record Request(long id, String callId, String requestedBy) { }

    private final JdbcTemplate jdbc;

    public JdbcDialogEnds(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Asks every running proxy to end the call and waits at most {@code wait} for the one that holds it. */
    public Outcome end(String callId, String requestedBy, Duration wait) throws InterruptedException {
        long id = jdbc.queryForObject("INSERT INTO sip_dialog_end (call_id, requested_by) VALUES (?, ?) RETURNING id",
                Long.class, callId, requestedBy);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<Outcome> done = outcome(id);
            if (done.isPresent()) {
                return done.get();
            }
            if (System.nanoTime() > deadline) {
                jdbc.update("UPDATE sip_dialog_end SET result = 'NOT_FOUND', handled_at = now() "
                        + "WHERE id = ? AND result IS NULL", id);
                return outcome(id).orElseThrow(); // ENDED if a proxy got there first
            }
            Thread.sleep(20);
        }
    }

    private Optional<Outcome> outcome(long id) {
        return jdbc.query("SELECT call_id, result, handled_by FROM sip_dialog_end WHERE id = ? AND result IS NOT NULL",
                (rs, n) -> new Outcome(rs.getString(1), "ENDED".equals(rs.getString(2)), rs.getString(3)), id)
                .stream().findFirst();
    }

    /** Requests still open (younger than {@code maxAge}: an asker waits no longer than that). */
    public List<Request> open(Duration maxAge) {
        return jdbc.query("SELECT id, call_id, requested_by FROM sip_dialog_end WHERE result IS NULL "
                        + "AND requested_at > now() - make_interval(secs => ?) ORDER BY id",
                (rs, n) -> new Request(rs.getLong(1), rs.getString(2), rs.getString(3)), (double) maxAge.toMillis() / 1000);
    }

    /** Claims a request for {@code proxy}: true when it was still open (the asker had not given up). */
    public boolean claim(long id, String proxy) {
        return jdbc.update("UPDATE sip_dialog_end SET result = 'ENDED', handled_at = now(), handled_by = ? "
                + "WHERE id = ? AND result IS NULL", proxy, id) == 1;
    }
}
