package org.tollgate.cdr.job;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobInstance;
import org.springframework.batch.core.JobParameters;
import org.springframework.batch.core.JobParametersBuilder;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.explore.JobExplorer;
import org.springframework.batch.core.launch.JobLauncher;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.cdr.CdrSettings;

/**
 * Runs the CDR job once at a time across all instances (a PostgreSQL advisory lock held for the
 * run). A run whose process died (kill -9, power) is found still marked running while nobody
 * holds the lock: it is marked failed and resumed from its last committed chunk before anything
 * new is read.
 */
public class CdrRunner {

    private static final Logger log = LoggerFactory.getLogger(CdrRunner.class);
    private static final long LOCK = 0x746f6c6c63647231L; // "tollcdr1"

    private final DataSource dataSource;
    private final JobLauncher launcher;
    private final JobExplorer explorer;
    private final JobRepository repository;
    private final Job job;
    private final CdrSettings settings;
    private final CdrProgress progress;
    private final Clock clock;

    public CdrRunner(DataSource dataSource, JobLauncher launcher, JobExplorer explorer, JobRepository repository,
                     Job job, CdrSettings settings, CdrProgress progress, Clock clock) {
        this.dataSource = dataSource;
        this.launcher = launcher;
        this.explorer = explorer;
        this.repository = repository;
        this.job = job;
        this.settings = settings;
        this.progress = progress;
        this.clock = clock;
    }

    /** What to run: a day, or accounting stored since a time (null: since the checkpoint), as of a time (null: now). */
    public record Request(LocalDate day, Instant since, Instant until) {
        public static Request incremental() {
            return new Request(null, null, null);
        }
    }

    /** The runs this call made: a resumed one first when there was one, then the requested one. */
    public List<RunSummary> run(Request request, Consumer<StepExecution> onChunk) throws Exception {
        try (Connection lock = dataSource.getConnection()) {
            if (!tryLock(lock)) {
                throw new IllegalStateException("a CDR run is already in progress (another process holds the lock)");
            }
            try {
                progress.listen(onChunk);
                List<RunSummary> out = new java.util.ArrayList<>();
                JobParameters resumable = abandonDeadRunsAndFindResumable();
                if (resumable != null) {
                    log.info("resuming the CDR run {} that did not finish", resumable);
                    out.add(launch(resumable, true));
                    if (request.day() == null && request.since() == null) {
                        return out; // the resumed incremental run was the one asked for
                    }
                }
                RunWindow window = window(request);
                if (window == null) {
                    return out; // an earlier run read past this one's cut-off: nothing new yet
                }
                // run.at makes each request its own job instance: a day or window may be run again
                out.add(launch(new JobParametersBuilder(window.toParameters())
                        .addString("run.at", clock.instant().toString()).toJobParameters(), false));
                return out;
            } finally {
                progress.listen(null);
                unlock(lock);
            }
        }
    }

    /** The run's window; null for an incremental run with nothing new (the checkpoint is past its cut-off). */
    RunWindow window(Request r) {
        if (r.until() != null && r.until().isAfter(clock.instant())) {
            // a checkpoint in the future would skip accounting stored before it later on
            throw new IllegalArgumentException("--until " + r.until() + " is in the future");
        }
        Instant asOf = r.until() != null ? r.until() : clock.instant().minus(settings.settle());
        if (r.day() != null) {
            return RunWindow.day(r.day(), settings.zone(), asOf);
        }
        if (r.since() == null && !checkpoint().isBefore(asOf)) {
            return null; // the last run read further (--until now, a shorter settle): not a window backwards
        }
        Instant since = r.since() != null ? r.since() : checkpoint();
        return RunWindow.incremental(since, asOf);
    }

    /** Where the last completed incremental run read until; the beginning of time before the first. */
    public Instant checkpoint() {
        List<Instant> t = new JdbcTemplate(dataSource).query(
                "SELECT read_until FROM cdr_checkpoint WHERE name = ?",
                (rs, i) -> rs.getTimestamp(1).toInstant(), CheckpointTasklet.CHECKPOINT);
        return t.isEmpty() ? Instant.EPOCH : t.get(0);
    }

    /** How many accounting records were stored after {@code cutoff}: what a run with that cut-off left for the next. */
    public long storedAfter(Instant cutoff) {
        Long n = new JdbcTemplate(dataSource).queryForObject("SELECT count(*) FROM acc_event WHERE stored_at > ?",
                Long.class, java.sql.Timestamp.from(cutoff));
        return n == null ? 0 : n;
    }

    private RunSummary launch(JobParameters params, boolean resumed) throws Exception {
        JobExecution ex = launcher.run(job, params);
        return RunSummary.of(explorer.getJobExecution(ex.getId()), resumed);
    }

    /**
     * We hold the lock, so an execution still marked running belongs to a process that died: mark
     * it failed. The newest run, if it failed, is the one to resume.
     */
    private JobParameters abandonDeadRunsAndFindResumable() {
        for (JobExecution dead : explorer.findRunningJobExecutions(CdrJobConfiguration.JOB)) {
            log.warn("CDR run {} was left running by a process that stopped; marking it failed", dead.getId());
            for (StepExecution s : dead.getStepExecutions()) {
                if (s.getStatus().isRunning()) {
                    s.setStatus(BatchStatus.FAILED);
                    s.setExitStatus(ExitStatus.FAILED.addExitDescription("process stopped"));
                    s.setEndTime(LocalDateTime.now());
                    repository.update(s);
                }
            }
            dead.setStatus(BatchStatus.FAILED);
            dead.setExitStatus(ExitStatus.FAILED.addExitDescription("process stopped"));
            dead.setEndTime(LocalDateTime.now());
            repository.update(dead);
        }
        List<JobInstance> newest = explorer.getJobInstances(CdrJobConfiguration.JOB, 0, 1);
        if (newest.isEmpty()) {
            return null;
        }
        JobExecution last = explorer.getLastJobExecution(newest.get(0));
        if (last == null || !(last.getStatus() == BatchStatus.FAILED || last.getStatus() == BatchStatus.STOPPED)) {
            return null;
        }
        return last.getJobParameters();
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + LOCK + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void unlock(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
        } catch (SQLException e) {
            log.warn("could not release the CDR run lock; it goes with the connection", e);
        }
    }
}
