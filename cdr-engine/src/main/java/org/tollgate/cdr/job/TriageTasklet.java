package org.tollgate.cdr.job;

import java.sql.Timestamp;
import java.time.ZoneId;

import javax.sql.DataSource;

import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Accounting rows of the window that no call can own go to review in one statement: rows
 * without a Call-ID (a NAS that sends no Acct-Session-Id), and Accounting-On/Off, which are kept
 * as repair evidence and filed as already resolved.
 */
public class TriageTasklet implements Tasklet {

    private static final String TRIAGE = """
            INSERT INTO cdr_review (record_key, call_id, reason, detail, event_time, resolved_at, resolution)
            SELECT record_key, NULL,
                   CASE WHEN status IN ('ACCOUNTING_ON', 'ACCOUNTING_OFF') THEN 'NAS_STATE' ELSE 'NO_CALL_ID' END,
                   CASE WHEN status IN ('ACCOUNTING_ON', 'ACCOUNTING_OFF') THEN 'NAS ' || coalesce(nas_name, host(nas_address)) || ' restarted'
                        ELSE status || ' without Acct-Session-Id' END,
                   event_time,
                   CASE WHEN status IN ('ACCOUNTING_ON', 'ACCOUNTING_OFF') THEN now() END,
                   CASE WHEN status IN ('ACCOUNTING_ON', 'ACCOUNTING_OFF') THEN 'kept as repair evidence' END
              FROM acc_event
             WHERE %s AND (acct_session_id IS NULL OR acct_session_id = '')
            ON CONFLICT (record_key) DO NOTHING
            """;

    private final DataSource dataSource;
    private final ZoneId zone;

    public TriageTasklet(DataSource dataSource, ZoneId zone) {
        this.dataSource = dataSource;
        this.zone = zone;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) {
        RunWindow w = RunWindow.of(chunk.getStepContext().getStepExecution().getJobParameters(), zone);
        String range = w.incremental() ? "stored_at > ? AND stored_at <= ?" : "event_time >= ? AND event_time < ?";
        int n = new JdbcTemplate(dataSource).update(TRIAGE.formatted(range), Timestamp.from(w.from()), Timestamp.from(w.to()));
        contribution.incrementWriteCount(n);
        chunk.getStepContext().getStepExecution().getExecutionContext().putLong("review", n);
        return RepeatStatus.FINISHED;
    }
}
