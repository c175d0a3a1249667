package org.tollgate.app.config;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tollgate.aaa.radius.ConfigChangeListener;
import org.tollgate.aaa.radius.acct.GroupCommitAccountingSink;
import org.tollgate.aaa.radius.auth.AccessPolicy;
import org.tollgate.aaa.radius.auth.JdbcUserRepository;
import org.tollgate.aaa.radius.auth.UserDirectory;
import org.tollgate.aaa.radius.client.JdbcNasClientRepository;
import org.tollgate.aaa.radius.client.NasClientRegistry;
import org.tollgate.aaa.radius.dictionary.RadiusDictionaries;
import org.tollgate.aaa.radius.prepaid.CallStarts;
import org.tollgate.aaa.radius.prepaid.PrepaidAccounting;
import org.tollgate.aaa.radius.prepaid.PrepaidAuthorization;
import org.tollgate.aaa.radius.server.RadiusMetrics;
import org.tollgate.aaa.radius.server.RadiusPacketHandler;
import org.tollgate.aaa.radius.server.RadiusServer;
import org.tollgate.aaa.radius.server.RadiusServerSettings;
import org.tollgate.api.db.JdbcDeadline;
import org.tollgate.api.prepaid.PrepaidService;
import org.tollgate.prepaid.account.PrepaidAccountIndex;
import org.tollgate.prepaid.account.RatingChangeListener;

/** The {@code aaa} role: the RADIUS server with its caches and the accounting writer. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${tollgate.roles:aaa,api,batch}'.contains('aaa')")
public class AaaConfiguration {

    @Bean
    RadiusDictionaries radiusDictionaries(TollgateProperties props) {
        return RadiusDictionaries.load(props.radius().dictionaryDir());
    }

    @Bean
    @DependsOnDatabaseInitialization
    NasClientRegistry nasClientRegistry(JdbcNasClientRepository repository) {
        return new NasClientRegistry(repository::findAll);
    }

    /** The bound on a user look-up an Access-Request waits for: a hung database then gets a reject, not silence. */
    @Bean(destroyMethod = "close")
    JdbcDeadline lookupDeadline(TollgateProperties props) {
        return new JdbcDeadline(props.radius().lookupTimeout(), "radius-lookup");
    }

    @Bean(destroyMethod = "close")
    UserDirectory userDirectory(JdbcUserRepository repository, JdbcDeadline lookupDeadline, TollgateProperties props) {
        TollgateProperties.Radius r = props.radius();
        return new UserDirectory(repository.bounded(lookupDeadline), r.userCacheTtl().toMillis(), r.userCacheSize());
    }

    @Bean(destroyMethod = "close")
    ConfigChangeListener configChangeListener(DataSource dataSource, NasClientRegistry clients, UserDirectory users) {
        return new ConfigChangeListener(dataSource, List.of(clients::reload, users::invalidate));
    }

    @Bean
    RadiusMetrics radiusMetrics(MeterRegistry metrics) {
        return new RadiusMetrics(metrics);
    }

    /**
     * The prepaid accounts' names in memory: every Access-Request and accounting record asks, none
     * waits. Told of each account added or changed (NOTIFY tollgate_rating), reloaded whole as the
     * rating cache is refreshed.
     */
    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    PrepaidAccountIndex prepaidAccountIndex(DataSource dataSource, PrepaidProperties prepaid) {
        return new PrepaidAccountIndex(dataSource, prepaid.ratingRefresh());
    }

    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    RatingChangeListener prepaidAccountIndexListener(DataSource dataSource, PrepaidAccountIndex prepaidAccountIndex) {
        return new RatingChangeListener(dataSource, (account, plan) -> {
            if (account != null) {
                prepaidAccountIndex.changed(account);
            }
        }, prepaidAccountIndex::reloadSoon);
    }

    @Bean(destroyMethod = "close")
    RadiusServer radiusServer(TollgateProperties props, NasClientRegistry clients, RadiusDictionaries dictionaries,
                              UserDirectory users, GroupCommitAccountingSink sink, RadiusMetrics metrics, Clock clock,
                              ObjectProvider<PrepaidService> prepaidService, PrepaidAccountIndex prepaidAccounts)
            throws InterruptedException {
        TollgateProperties.Radius r = props.radius();
        PrepaidService prepaid = prepaidService.getIfAvailable();
        // calls a Kamailio Stop (no Acct-Session-Time) is timed against: kept a day at most, 200,000 at once
        PrepaidAuthorization authorization = prepaid == null ? null
                : new PrepaidAuthorization(prepaid, prepaidAccounts, metrics, clock);
        PrepaidAccounting accounting = prepaid == null ? null
                : new PrepaidAccounting(prepaid, prepaidAccounts, new CallStarts(Duration.ofDays(1), 200_000), metrics);
        RadiusPacketHandler handler = new RadiusPacketHandler(clients, dictionaries, new AccessPolicy(users), sink,
                metrics, clock, authorization, accounting);
        return new RadiusServer(new RadiusServerSettings(r.bindAddress(), r.authPort(), r.acctPort(), r.ioThreads(),
                r.authThreads()), handler);
    }
}
