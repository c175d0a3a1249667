package org.tollgate.app.config;

import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.batch.core.Step;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.transaction.PlatformTransactionManager;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tollgate.rating.Rater;
import org.tollgate.rating.batch.JdbcCdrRating;
import org.tollgate.rating.number.NumberNormalizer;
import org.tollgate.rating.plan.JdbcRatePlans;

/** Rate plans, their rates and accounts ({@code tollgate plan|rates|account}), and the CDR job's rating step. */
@Configuration(proxyBeanMethods = false)
public class RatingConfiguration {

    @Bean
    JdbcRatePlans ratePlans(DataSource dataSource) {
        return new JdbcRatePlans(dataSource);
    }

    @Bean
    Rater rater(TollgateProperties props) {
        TollgateProperties.Rating r = props.rating();
        return new Rater(new NumberNormalizer(r.internationalPrefix(), r.nationalPrefix(), r.countryCode()));
    }

    /** A fresh rating pass (plans and accounts read anew) for each run. */
    @Bean
    Supplier<JdbcCdrRating> cdrRatings(DataSource dataSource, Rater rater, JdbcRatePlans plans) {
        return () -> new JdbcCdrRating(dataSource, rater, plans::load);
    }

    /** The CDR job's step after pairing: {@code CdrJobConfiguration} runs the step named cdrRate. */
    @Bean
    Step cdrRate(JobRepository repository, PlatformTransactionManager tx, Supplier<JdbcCdrRating> cdrRatings,
                 TollgateProperties props) {
        RatingTasklet tasklet = new RatingTasklet(cdrRatings, props.rating().chunkSize());
        return new StepBuilder("cdrRate", repository).tasklet(tasklet, tx).listener(tasklet).build();
    }
}
