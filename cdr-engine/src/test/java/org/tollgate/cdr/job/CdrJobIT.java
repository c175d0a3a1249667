package org.tollgate.cdr.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.configuration.support.DefaultBatchConfiguration;
import org.springframework.batch.core.explore.JobExplorer;
import org.springframework.batch.core.launch.JobLauncher;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.tollgate.cdr.CdrSettings;
import org.tollgate.cdr.support.AccEvents;
import org.tollgate.cdr.support.TestDatabase;

/** The CDR job against a real PostgreSQL: idempotent days, incremental runs, corrections, restarts. */
class CdrJobIT {

    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final Instant STORED = Instant.parse("2026-11-20T12:00:00Z");

    static TestDatabase db;
    static AnnotationConfigApplicationContext ctx;
    static CdrRunner runner;
    static JdbcTemplate jdbc;
    static AccEvents acc;

    @BeforeAll
    static void start() {
        db = new TestDatabase();
        ctx = new AnnotationConfigApplicationContext(Infrastructure.class);
        runner = ctx.getBean(CdrRunner.class);
        jdbc = db.jdbc();
        acc = new AccEvents(jdbc);
    }

    @AfterAll
    static void stop() throws Exception {
        ctx.close();
        db.close();
    }

    @BeforeEach
    void clean() {
        jdbc.execute("TRUNCATE acc_event, cdr, cdr_audit, cdr_review, cdr_pending, media_event, cdr_checkpoint");
    }

    @Test
    void aDayRunTwiceGivesTheSameCdrs() throws Exception {
        for (int i = 0; i < 50; i++) {
            Instant t = T0.plusSeconds(i * 60L);
            acc.start("call-" + i, "a" + i, "b" + i, t, STORED);
            acc.stop("call-" + i, "a" + i, "b" + i, t.plusSeconds(i), STORED);
            acc.failed("miss-" + i, "f" + i, "g" + i, 486, t, STORED);
        }
        RunSummary first = runDay(LocalDate.of(2026, 11, 20));
        assertThat(first.completed()).isTrue();
        assertThat(first.eventsRead()).isEqualTo(150);
        assertThat(first.answered()).isEqualTo(50);
        assertThat(first.missed()).isEqualTo(50);
        String before = snapshot();

        RunSummary again = runDay(LocalDate.of(2026, 11, 20));
        assertThat(again.completed()).isTrue();
        assertThat(snapshot()).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM cdr")).isEqualTo(100);
        assertThat(count("SELECT count(*) FROM cdr_audit")).isZero();
        assertThat(count("SELECT sum(version) FROM cdr")).isEqualTo(100);
    }

    @Test
    void aStartWaitsThenIsRepairedAndALateStopCorrectsItKeepingTheOldVersion() throws Exception {
        acc.startWithoutTimer("c1", "a", "b", T0, T0.plusSeconds(1));
        RunSummary waiting = runIncremental(T0.plusSeconds(600));
        assertThat(waiting.cdrs()).isZero();
        assertThat(waiting.pending()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM cdr_pending WHERE call_id = 'c1'")).isEqualTo(1);

        // no new accounting: the waiting call is revisited once the grace period is over
        RunSummary repaired = runIncremental(T0.plus(Duration.ofHours(3)));
        assertThat(repaired.repaired()).containsEntry(org.tollgate.cdr.pairing.Repair.UNTERMINATED, 1L);
        assertThat(jdbc.queryForObject("SELECT repair FROM cdr WHERE call_id = 'c1'", String.class)).isEqualTo("UNTERMINATED");
        assertThat(count("SELECT billable_seconds FROM cdr WHERE call_id = 'c1'")).isEqualTo(3600);
        assertThat(count("SELECT count(*) FROM cdr_pending")).isZero();

        Instant late = T0.plus(Duration.ofHours(4));
        acc.stop("c1", "b", "a", T0.plusSeconds(95), late);
        runIncremental(late.plusSeconds(60));
        Map<String, Object> cdr = jdbc.queryForMap("SELECT repair, billable_seconds, version, cardinality(source_keys) AS n FROM cdr WHERE call_id = 'c1'");
        assertThat(cdr.get("repair")).isNull();
        assertThat(cdr.get("billable_seconds")).isEqualTo(95L);
        assertThat(cdr.get("version")).isEqualTo(2);
        assertThat(cdr.get("n")).isEqualTo(2);
        Map<String, Object> audit = jdbc.queryForMap("SELECT change, version, old_row->>'repair' AS repair, old_row->>'billable_seconds' AS s FROM cdr_audit");
        assertThat(audit).containsEntry("change", "CORRECTED").containsEntry("version", 1)
                .containsEntry("repair", "UNTERMINATED").containsEntry("s", "3600");
    }

    @Test
    void aStopWithoutStartGoesToReviewAndIsResolvedWhenItsStartArrives() throws Exception {
        UUID stop = acc.stop("c2", "a", "b", T0, STORED);
        runIncremental(T0.plus(Duration.ofHours(3)));
        assertThat(jdbc.queryForObject("SELECT reason FROM cdr_review WHERE record_key = ?", String.class, stop))
                .isEqualTo("STOP_WITHOUT_START");

        Instant late = T0.plus(Duration.ofHours(5));
        acc.start("c2", "a", "b", T0.minusSeconds(30), late);
        runIncremental(late.plusSeconds(60));
        assertThat(count("SELECT billable_seconds FROM cdr WHERE call_id = 'c2'")).isEqualTo(30);
        assertThat(jdbc.queryForObject("SELECT resolution FROM cdr_review WHERE record_key = ?", String.class, stop))
                .isEqualTo("paired into a CDR");
    }

    @Test
    void everyAccountingRowEndsInACdrOrInReview() throws Exception {
        acc.start("c3", "a", "b", T0, STORED);
        acc.stop("c3", "a", "b", T0.plusSeconds(10), STORED);
        acc.insert("c3", "STOP", 2, null, null, null, null, T0.plusSeconds(9), STORED, 4, "{}"); // media relay
        acc.insert(null, "STOP", 2, null, null, null, null, T0, STORED, 1, "{}"); // no Acct-Session-Id
        acc.insert(null, "ACCOUNTING_ON", 7, null, null, null, null, T0, STORED, null, "{}");
        acc.insert("bras-1", "START", 1, null, null, null, null, T0, STORED, null, "{}"); // not SIP
        RunSummary s = runIncremental(T0.plus(Duration.ofHours(3)));
        assertThat(s.review()).isEqualTo(3);
        assertThat(count("""
                SELECT count(*) FROM acc_event e
                 WHERE NOT EXISTS (SELECT 1 FROM cdr c WHERE e.record_key = ANY (c.source_keys))
                   AND NOT EXISTS (SELECT 1 FROM cdr_review r WHERE r.record_key = e.record_key)
                """)).isZero();
        assertThat(jdbc.queryForList("SELECT reason FROM cdr_review ORDER BY reason", String.class))
                .containsExactly("NAS_STATE", "NOT_A_CALL", "NO_CALL_ID");
    }

    @Test
    void aMediaEventFromTheApiRepairsTheCall() throws Exception {
        acc.start("c4", "a", "b", T0, STORED);
        jdbc.update("INSERT INTO media_event (call_id, last_media_at, received_at) VALUES ('c4', ?, ?)",
                java.sql.Timestamp.from(T0.plusSeconds(44)), java.sql.Timestamp.from(STORED));
        runIncremental(T0.plus(Duration.ofHours(3)));
        assertThat(jdbc.queryForMap("SELECT repair, billable_seconds FROM cdr WHERE call_id = 'c4'"))
                .containsEntry("repair", "MEDIA_TIMEOUT").containsEntry("billable_seconds", 44L);
    }

    @Test
    void aFailedRunResumesFromItsLastCommittedChunkWithTheSameResult() throws Exception {
        for (int i = 0; i < 1000; i++) {
            String id = String.format("call-%04d", i);
            acc.start(id, "a", "b", T0.plusSeconds(i), STORED);
            acc.stop(id, "a", "b", T0.plusSeconds(i + 10L + i % 7), STORED);
        }
        Instant until = T0.plus(Duration.ofHours(3));
        runIncremental(until);
        String uninterrupted = snapshot();
        jdbc.execute("TRUNCATE cdr, cdr_audit, cdr_review, cdr_pending, cdr_checkpoint");

        // PostgreSQL refuses one call in the middle: the run fails after committed chunks
        jdbc.execute("""
                CREATE FUNCTION refuse_call() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'refused for the test'; END $$;
                CREATE TRIGGER refuse BEFORE INSERT ON cdr FOR EACH ROW WHEN (NEW.call_id = 'call-0555')
                EXECUTE FUNCTION refuse_call();
                """);
        RunSummary failed;
        try {
            failed = runIncremental(until);
        } finally {
            jdbc.execute("DROP TRIGGER refuse ON cdr; DROP FUNCTION refuse_call()");
        }
        assertThat(failed.status()).isEqualTo(BatchStatus.FAILED);
        long committed = count("SELECT count(*) FROM cdr");
        assertThat(committed).isEqualTo(500); // five chunks of 100 calls

        List<RunSummary> resumed = runner.run(CdrRunner.Request.incremental(), null);
        assertThat(resumed).hasSize(1);
        assertThat(resumed.get(0).resumed()).isTrue();
        assertThat(resumed.get(0).completed()).isTrue();
        assertThat(resumed.get(0).calls()).isEqualTo(1000); // counted over both executions, none twice
        assertThat(snapshot()).isEqualTo(uninterrupted);
        assertThat(count("SELECT count(*) FROM cdr_audit")).isZero();
    }

    @Test
    void onlyOneRunAtATime() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + 0x746f6c6c63647231L + ")");
            assertThatThrownBy(() -> runIncremental(STORED)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already in progress");
        }
    }

    // ---

    static RunSummary runDay(LocalDate day) throws Exception {
        return single(runner.run(new CdrRunner.Request(day, null, T0.plus(Duration.ofDays(2))), null));
    }

    static RunSummary runIncremental(Instant until) throws Exception {
        return single(runner.run(new CdrRunner.Request(null, null, until), null));
    }

    static RunSummary single(List<RunSummary> runs) {
        assertThat(runs).hasSize(1);
        return runs.get(0);
    }

    static long count(String sql) {
        Number n = jdbc.queryForObject(sql, Number.class);
        return n == null ? 0 : n.longValue();
    }

    /** Every CDR's content (not its bookkeeping columns), in key order, as one digest. */
    static String snapshot() {
        return jdbc.queryForObject("""
                SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.cdr_key), '')) FROM (
                  SELECT cdr_key, call_id, leg_index, from_tag, to_tag, call_date, setup_time, answer_time, end_time,
                         duration_seconds, billable_seconds, disposition, sip_code, sip_reason, caller, callee,
                         translated_uri, billing_party, user_name, source_ip, nas_name, nas_address, terminate_cause,
                         repair, source_keys FROM cdr) t
                """, String.class);
    }

    @Configuration(proxyBeanMethods = false)
    @Import(CdrJobConfiguration.class)
    static class Infrastructure extends DefaultBatchConfiguration {

        @Bean
        DataSource dataSource() {
            return db.dataSource();
        }

        @Bean
        PlatformTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }

        @Bean
        CdrSettings cdrSettings() {
            CdrSettings d = CdrSettings.defaults();
            return new CdrSettings(ZoneId.of("UTC"), d.grace(), d.maxDuration(), d.forkWindow(), d.settle(), 100,
                    d.legSrcAttribute(), d.legDstAttribute());
        }

        @Bean
        CdrRunner cdrRunner(DataSource ds, JobLauncher launcher, JobExplorer explorer, JobRepository repository,
                            Job cdrJob, CdrSettings settings, CdrProgress progress) {
            return new CdrRunner(ds, launcher, explorer, repository, cdrJob, settings, progress, Clock.systemUTC());
        }
    }
}
