package org.tollgate.rating.batch;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.tollgate.api.prepaid.PrepaidService;
import org.tollgate.api.rating.CdrRating;
import org.tollgate.rating.Rater;
import org.tollgate.rating.tariff.RatePlan;

/** The CDR job's rating step: each pass a {@link JdbcCdrRating} with plans and accounts read anew. */
public final class JdbcCdrRatings implements CdrRating {

    private final DataSource dataSource;
    private final Rater rater;
    private final Function<String, Optional<RatePlan>> plans;
    private final int chunkSize;
    private final Supplier<PrepaidService> prepaid;

    /** {@code prepaid}: where the CDRs of prepaid calls are settled (may supply null where there is none). */
    public JdbcCdrRatings(DataSource dataSource, Rater rater, Function<String, Optional<RatePlan>> plans, int chunkSize,
                          Supplier<PrepaidService> prepaid) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("the rating chunk size must be at least 1");
        }
        this.dataSource = dataSource;
        this.rater = rater;
        this.plans = plans;
        this.chunkSize = chunkSize;
        this.prepaid = prepaid;
    }

    @Override
    public int chunkSize() {
        return chunkSize;
    }

    @Override
    public JdbcCdrRating newPass() {
        return new JdbcCdrRating(dataSource, rater, plans, prepaid);
    }

    /** What {@link #rerate} did. */
    public record Rerated(int marked, long rated, long unrated) { }

    /**
     * Prices the CDRs of call dates {@code first}..{@code last} again (after a tariff fix): their
     * previous prices are kept in cdr_rating_audit with {@code reason}, daily totals are updated.
     */
    public Rerated rerate(java.time.LocalDate first, java.time.LocalDate last, String reason,
                          org.springframework.transaction.support.TransactionTemplate tx) {
        JdbcCdrRating rating = newPass();
        java.time.Instant since = rating.databaseNow();
        Integer marked = tx.execute(st -> rating.markForRerate(first, last, reason));
        long rated = 0;
        long unrated = 0;
        CdrRating.Chunk c;
        while ((c = tx.execute(st -> rating.rateChunk(chunkSize))) != null && c.total() > 0) {
            rated += c.rated();
            unrated += c.unrated();
        }
        tx.execute(st -> rating.refreshTotals(since));
        return new Rerated(marked == null ? 0 : marked, rated, unrated);
    }
}
