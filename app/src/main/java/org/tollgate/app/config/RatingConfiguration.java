package org.tollgate.app.config;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tollgate.api.prepaid.PrepaidService;
import org.tollgate.rating.Rater;
import org.tollgate.rating.batch.JdbcCdrRatings;
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

    /** The CDR job's rating step ({@code CdrJobConfiguration} runs it after pairing): a fresh pass for each run. */
    @Bean
    JdbcCdrRatings cdrRating(DataSource dataSource, Rater rater, JdbcRatePlans plans, TollgateProperties props,
                             ObjectProvider<PrepaidService> prepaid) {
        return new JdbcCdrRatings(dataSource, rater, plans::load, props.rating().chunkSize(), prepaid::getIfAvailable);
    }
}
