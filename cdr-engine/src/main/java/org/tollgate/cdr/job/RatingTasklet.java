package org.tollgate.cdr.job;

import java.time.Instant;

import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.item.ExecutionContext;
import org.springframework.batch.repeat.RepeatStatus;
import org.tollgate.api.rating.CdrRating;

/**
 * The CDR job's rating step: one chunk of unpriced CDRs per transaction until none is left,
 * then the day totals. Each step execution is a fresh pass (plans and accounts as they are now).
 */
final class RatingTasklet implements Tasklet, StepExecutionListener {

    static final String STEP = "cdrRate";
    static final String RATED = "rated";
    static final String UNRATED = "unrated";
    private static final String SINCE = "rating.since";

    private final CdrRating rating;
    private CdrRating.Pass pass;

    RatingTasklet(CdrRating rating) {
        this.rating = rating;
    }

    @Override
    public void beforeStep(StepExecution step) {
        pass = rating.newPass();
        // kept in the step's context, so a restarted step also totals what it priced before the crash
        if (!step.getExecutionContext().containsKey(SINCE)) {
            step.getExecutionContext().putString(SINCE, pass.databaseNow().toString());
        }
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) {
        CdrRating.Chunk done = pass.rateChunk(rating.chunkSize());
        ExecutionContext ctx = chunk.getStepContext().getStepExecution().getExecutionContext();
        ctx.putLong(RATED, ctx.getLong(RATED, 0L) + done.rated());
        ctx.putLong(UNRATED, ctx.getLong(UNRATED, 0L) + done.unrated());
        contribution.incrementWriteCount(done.total());
        if (done.total() > 0) {
            return RepeatStatus.CONTINUABLE;
        }
        pass.refreshTotals(Instant.parse(ctx.getString(SINCE)));
        return RepeatStatus.FINISHED;
    }
}
