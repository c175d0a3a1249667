package org.tollgate.tests.cdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.tests.support.TollgateInstance;

/**
 * {@code tollgate batch run} killed with SIGKILL after some committed chunks, then run again,
 * gives exactly the CDRs of a run nobody interrupted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CdrKillRestartIT {

    static final String UNTIL = "2026-11-21T00:00:00Z";
    static final int CALLS = 60_000;

    private TollgateInstance tollgate;
    private JdbcTemplate jdbc;

    @BeforeAll
    void start() {
        tollgate = new TollgateInstance("tollgate.roles=api");
        jdbc = tollgate.jdbc();
        // answered, missed and missing-BYE calls on 2026-11-20, stored an hour before UNTIL
        jdbc.update("""
                INSERT INTO acc_event (record_key, received_at, event_time, stored_at, nas_name, nas_address, status,
                       status_code, acct_session_id, user_name, calling_station_id, called_station_id, sip_method,
                       sip_response_code, sip_from_tag, sip_to_tag, sip_src_ip, attributes)
                SELECT md5(i::text || r.status)::uuid, t, t, '2026-11-20T23:00:00Z', 'tollgate-proxy', '127.0.0.1', r.status,
                       r.code, 'kill-' || i, '1001@example.com', 'sip:1001@example.com', 'sip:0049301234@example.com',
                       r.method, r.sip, 'f' || i, 't' || i, '10.0.0.5',
                       CASE WHEN r.status = 'START' AND i % 3 = 0 THEN '{"Acct-Interim-Interval": "1800"}' ELSE '{}' END::jsonb
                  FROM generate_series(1, ?) i
                 CROSS JOIN LATERAL (SELECT '2026-11-20T00:00:00Z'::timestamptz + (i % 80000) * interval '1 second' AS t0) b
                 CROSS JOIN LATERAL (VALUES
                       ('START', 1, 'INVITE', 200, b.t0, i % 10 < 8),
                       ('STOP', 2, 'BYE', 200, b.t0 + (i % 300) * interval '1 second', i % 10 < 7),
                       ('FAILED', 15, 'INVITE', 486, b.t0, i % 10 >= 8)) AS r(status, code, method, sip, t, keep)
                 WHERE r.keep
                """, CALLS);
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    @Test
    void aKilledRunRestartedGivesTheCdrsOfAnUninterruptedRun() throws Exception {
        Process batch = batchProcess();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (committedChunks() < 5) {
                assertThat(batch.isAlive()).as("the batch ended before it could be killed").isTrue();
                assertThat(System.nanoTime()).as("no chunk committed within 120 s").isLessThan(deadline);
                Thread.sleep(20);
            }
        } finally {
            batch.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback of the repository's state
            batch.waitFor(30, TimeUnit.SECONDS);
        }
        long partial = count("SELECT count(*) FROM cdr");
        assertThat(partial).isPositive().isLessThan(CALLS);
        assertThat(jdbc.queryForObject("SELECT status FROM batch_job_execution ORDER BY job_execution_id DESC LIMIT 1",
                String.class)).isEqualTo("STARTED");

        // run again: the dead run is found, marked failed and resumed from its last committed chunk
        assertThat(tollgate.cli("batch", "run")).isZero();
        assertThat(jdbc.queryForObject("SELECT status FROM batch_job_execution ORDER BY job_execution_id DESC LIMIT 1",
                String.class)).isEqualTo("COMPLETED");
        assertThat(count("SELECT count(*) FROM batch_job_instance")).isEqualTo(1);
        String resumed = snapshot();
        assertThat(count("SELECT count(*) FROM cdr")).isEqualTo(CALLS);
        assertThat(count("SELECT count(*) FROM cdr_audit")).isZero();

        // the same window from scratch, uninterrupted
        jdbc.execute("TRUNCATE cdr, cdr_audit, cdr_review, cdr_pending, cdr_checkpoint");
        assertThat(tollgate.cli("batch", "run", "--since", "1970-01-01T00:00:00Z", "--until", UNTIL)).isZero();
        assertThat(snapshot()).isEqualTo(resumed);
        assertThat(count("SELECT count(*) FROM cdr WHERE repair IS NOT NULL")).isEqualTo(CALLS / 10);
    }

    private Process batchProcess() throws Exception {
        Path log = Files.createTempFile("cdr-batch", ".log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.tollgate.app.TollgateMain",
                // attaches to the running embedded PostgreSQL, with the password kept in its data directory
                "-Dtollgate.embedded-db.data-dir=" + tollgate.home().resolve("pg"),
                "-Dtollgate.cdr.chunk-size=20", "batch", "run", "--until", UNTIL);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private long committedChunks() {
        Long n = jdbc.queryForObject("SELECT coalesce(max(commit_count), 0) FROM batch_step_execution WHERE step_name = 'cdrPair'",
                Long.class);
        return n == null ? 0 : n;
    }

    private long count(String sql) {
        Number n = jdbc.queryForObject(sql, Number.class);
        return n == null ? 0 : n.longValue();
    }

    private String snapshot() {
        return jdbc.queryForObject("""
                SELECT md5(string_agg(t::text, '|' ORDER BY t.cdr_key)) FROM (
                  SELECT cdr_key, call_id, leg_index, from_tag, to_tag, call_date, setup_time, answer_time, end_time,
                         duration_seconds, billable_seconds, disposition, sip_code, sip_reason, caller, callee,
                         translated_uri, billing_party, user_name, source_ip, nas_name, nas_address, terminate_cause,
                         repair, source_keys FROM cdr) t
                """, String.class);
    }
}
