package org.tollgate.app.config;

import java.time.Clock;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.tollgate.prepaid.account.RatingChangeListener;
import org.tollgate.prepaid.account.JdbcPrepaidEnquiries;
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

    /**
     * The engine on the rating service it prices with. Created when first asked for: at once in a
     * server (see {@link Server}), in a CLI command only when one needs it (`batch run` settles the
     * CDRs of prepaid calls); the other commands work on the tables directly, under the same row locks.
     */
    @Configuration(proxyBeanMethods = false)
    static class Engine {

        /** Accounts and plans in memory: authorizations never wait for the database to price. */
        @Bean
        @Lazy
        CachedRatingService prepaidRating(JdbcRatePlans plans, Rater rater, PrepaidProperties props) {
            return new CachedRatingService(plans, rater, props.ratingRefresh(), props.ratingCacheSize());
        }

        /** An account or a tariff changed elsewhere (the CLI, another instance) is priced right at once. */
        @Bean(destroyMethod = "close")
        @Lazy
        @DependsOnDatabaseInitialization
        RatingChangeListener prepaidRatingListener(DataSource dataSource, CachedRatingService prepaidRating) {
            return new RatingChangeListener(dataSource, prepaidRating::invalidate, prepaidRating::refreshAll);
        }

        /** CCR-Event's questions: balance, price, refund. */
        @Bean
        @Lazy
        JdbcPrepaidEnquiries prepaidEnquiries(PrepaidAccounts accounts, JdbcLedger ledger,
                                              CachedRatingService prepaidRating) {
            return new JdbcPrepaidEnquiries(accounts, ledger, prepaidRating);
        }

        @Bean(destroyMethod = "close")
        @Lazy
        @DependsOnDatabaseInitialization
        PrepaidEngine prepaidEngine(DataSource dataSource, CachedRatingService prepaidRating, PrepaidProperties props,
                                    MeterRegistry metrics, Clock clock, RatingChangeListener prepaidRatingListener) {
            return new PrepaidEngine(dataSource, prepaidRating, props.settings(), metrics, clock);
        }
    }

    /** A server (any role) runs the engine from the start: its writers, and the sweeper of stale reservations. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression("!'${tollgate.roles:aaa,api,batch}'.trim().isEmpty()")
    static class Server {

        @Bean
        SmartInitializingSingleton prepaidEngineStarted(ObjectProvider<PrepaidEngine> engine) {
            return engine::getObject;
        }
    }
}
