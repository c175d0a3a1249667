package org.tollgate.app.config;

import java.util.function.Supplier;

import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.item.ExecutionContext;
import org.springframework.batch.repeat.RepeatStatus;
import org.tollgate.rating.batch.JdbcCdrRating;

/**
 * The CDR job's rating step: one chunk of unpriced CDRs per transaction until none is left.
 * Each step execution gets a fresh rating (plans and accounts as they are now).
 */
class RatingTasklet implements Tasklet, StepExecutionListener {

    static final String RATED = "rated";
    static final String UNRATED = "unrated";
    static final String SINCE = "rating.since";

    private final Supplier<JdbcCdrRating> ratings;
    private final int chunkSize;
    private JdbcCdrRating rating;

    RatingTasklet(Supplier<JdbcCdrRating> ratings, int chunkSize) {
        this.ratings = ratings;
        this.chunkSize = chunkSize;
    }

    @Override
    public void beforeStep(StepExecution step) {
        rating = ratings.get();
        // kept in the step's context, so a restarted step also totals what it priced before the crash
        if (!step.getExecutionContext().containsKey(SINCE)) {
            step.getExecutionContext().putString(SINCE, rating.databaseNow().toString());
        }
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) throws Exception {
        JdbcCdrRating.Chunk done = rating.rateChunk(chunkSize);
        ExecutionContext ctx = chunk.getStepContext().getStepExecution().getExecutionContext();
        ctx.putLong(RATED, ctx.getLong(RATED, 0L) + done.rated());
        ctx.putLong(UNRATED, ctx.getLong(UNRATED, 0L) + done.unrated());
        contribution.incrementWriteCount(done.total());
        if (done.total() > 0) {
            return RepeatStatus.CONTINUABLE;
        }
        rating.refreshTotals(java.time.Instant.parse(ctx.getString(SINCE)));
        return RepeatStatus.FINISHED;
    }
}
