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
}
