package org.tollgate.cdr.job;

import java.sql.Timestamp;
import java.time.ZoneId;

import javax.sql.DataSource;

import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/** An incremental run that completed moves the checkpoint to where it read until (never back). */
public class CheckpointTasklet implements Tasklet {

    public static final String CHECKPOINT = "cdr";

    private final DataSource dataSource;
    private final ZoneId zone;

    public CheckpointTasklet(DataSource dataSource, ZoneId zone) {
        this.dataSource = dataSource;
        this.zone = zone;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) {
        RunWindow w = RunWindow.of(chunk.getStepContext().getStepExecution().getJobParameters(), zone);
        if (w.incremental()) {
            new JdbcTemplate(dataSource).update("""
                    INSERT INTO cdr_checkpoint (name, read_until) VALUES (?, ?)
                    ON CONFLICT (name) DO UPDATE SET read_until = greatest(cdr_checkpoint.read_until, excluded.read_until),
                           updated_at = now()
                    """, CHECKPOINT, Timestamp.from(w.to()));
        }
        return RepeatStatus.FINISHED;
    }
}
