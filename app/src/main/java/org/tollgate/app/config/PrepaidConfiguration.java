package org.tollgate.app.config;

import java.time.Clock;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tollgate.prepaid.account.RatingChangeListener;
import org.tollgate.prepaid.account.PrepaidAccounts;
import org.tollgate.prepaid.ledger.JdbcLedger;
import org.tollgate.prepaid.reservation.OpenReservations;
import org.tollgate.prepaid.reservation.PrepaidEngine;
import org.tollgate.prepaid.voucher.JdbcVouchers;
import org.tollgate.rating.CachedRatingService;
import org.tollgate.rating.Rater;
import org.tollgate.rating.plan.JdbcRatePlans;

/**
 * Prepaid: accounts, ledger, vouchers and open calls in every process (the CLI too); the engine
 * (PrepaidService: its writers and stale-reservation sweeper) in a server with any role, on the
 * rating service it prices with.
 */
@Configuration(proxyBeanMethods = false)
public class PrepaidConfiguration {

    @Bean
    PrepaidAccounts prepaidAccounts(DataSource dataSource) {
        return new PrepaidAccounts(dataSource);
    }

    @Bean
    JdbcLedger prepaidLedger(DataSource dataSource) {
        return new JdbcLedger(dataSource);
    }

    @Bean
    JdbcVouchers vouchers(DataSource dataSource) {
        return new JdbcVouchers(dataSource);
    }

    @Bean
    OpenReservations openReservations(DataSource dataSource) {
        return new OpenReservations(dataSource);
    }

    /** Not in CLI commands ({@code tollgate.roles} empty): they work on the tables directly, under the same row locks. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression("!'${tollgate.roles:aaa,api,batch}'.trim().isEmpty()")
    static class Engine {

        /** Accounts and plans in memory: authorizations never wait for the database to price. */
        @Bean
        CachedRatingService prepaidRating(JdbcRatePlans plans, Rater rater, PrepaidProperties props) {
            return new CachedRatingService(plans, rater, props.ratingRefresh(), props.ratingCacheSize());
        }

        /** An account or a tariff changed elsewhere (the CLI, another instance) is priced right at once. */
        @Bean(destroyMethod = "close")
        @DependsOnDatabaseInitialization
        RatingChangeListener prepaidRatingListener(DataSource dataSource, CachedRatingService prepaidRating) {
            return new RatingChangeListener(dataSource, prepaidRating::invalidate);
        }

        @Bean(destroyMethod = "close")
        @DependsOnDatabaseInitialization
        PrepaidEngine prepaidEngine(DataSource dataSource, CachedRatingService prepaidRating, PrepaidProperties props,
                                    MeterRegistry metrics, Clock clock) {
            return new PrepaidEngine(dataSource, prepaidRating, props.settings(), metrics, clock);
        }
    }
}
