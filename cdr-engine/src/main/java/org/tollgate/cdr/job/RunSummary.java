package org.tollgate.cdr.job;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.item.ExecutionContext;
import org.tollgate.cdr.pairing.Repair;

/** The outcome of one run of the CDR job, counted over all its executions (a resumed run included). */
public record RunSummary(long executionId, BatchStatus status, String window, boolean resumed, long eventsRead,
                         long calls, long cdrs, long answered, long missed, Map<Repair, Long> repaired, long review,
                         long pending, long superseded, long rated, long unrated, Duration took, String exitDescription,
                         Instant cutoff) {

    static RunSummary of(JobExecution ex, boolean resumed) {
        ExecutionContext pair = new ExecutionContext();
        long triaged = 0;
        long rated = 0;
        long unrated = 0;
        for (StepExecution s : ex.getStepExecutions()) {
            if (s.getStepName().equals("cdrPair")) {
                pair = s.getExecutionContext();
            } else if (s.getStepName().equals("cdrTriage")) {
                triaged = s.getExecutionContext().getLong("review", 0L);
            } else if (s.getStepName().equals(RatingTasklet.STEP)) {
                rated += s.getExecutionContext().getLong(RatingTasklet.RATED, 0L);
                unrated += s.getExecutionContext().getLong(RatingTasklet.UNRATED, 0L);
            }
        }
        Map<Repair, Long> repaired = new LinkedHashMap<>();
        for (Repair r : Repair.values()) {
            repaired.put(r, pair.getLong("repaired." + r.name(), 0L));
        }
        LocalDateTime start = ex.getStartTime();
        LocalDateTime end = ex.getEndTime() == null ? LocalDateTime.now() : ex.getEndTime();
        String window = ex.getJobParameters().getString(RunWindow.DAY) != null
                ? "day " + ex.getJobParameters().getString(RunWindow.DAY) + " as of " + ex.getJobParameters().getString(RunWindow.UNTIL)
                : "stored " + ex.getJobParameters().getString(RunWindow.SINCE) + " .. " + ex.getJobParameters().getString(RunWindow.UNTIL);
        return new RunSummary(ex.getId(), ex.getStatus(), window, resumed, pair.getLong(CallEventsReader.EVENTS, 0L),
                pair.getLong("calls", 0L), pair.getLong("cdrs", 0L), pair.getLong("cdrs.answered", 0L),
                pair.getLong("cdrs.missed", 0L), repaired, pair.getLong("review", 0L) + triaged,
                pair.getLong("pending", 0L), pair.getLong("cdrs.superseded", 0L), rated, unrated,
                start == null ? Duration.ZERO : Duration.between(start, end), ex.getExitStatus().getExitDescription(),
                Instant.parse(ex.getJobParameters().getString(RunWindow.UNTIL)));
    }

    public boolean completed() {
        return status == BatchStatus.COMPLETED;
    }
}
