package org.tollgate.app.config;

import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tollgate.aaa.radius.acct.JdbcAccountingQueries;
import org.tollgate.aaa.radius.auth.JdbcUserRepository;
import org.tollgate.aaa.radius.client.JdbcNasClientRepository;
import org.tollgate.diameter.peer.JdbcDiameterPeers;

/**
 * Repositories every command needs, server or not. An embedded PostgreSQL started by this
 * process stops with the JVM (zonky's shutdown hook).
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    JdbcNasClientRepository nasClientRepository(DataSource dataSource) {
        return new JdbcNasClientRepository(dataSource);
    }

    @Bean
    JdbcDiameterPeers diameterPeers(DataSource dataSource) {
        return new JdbcDiameterPeers(dataSource);
    }

    @Bean
    JdbcUserRepository userRepository(DataSource dataSource) {
        return new JdbcUserRepository(dataSource);
    }

    @Bean
    JdbcAccountingQueries accountingQueries(DataSource dataSource) {
        return new JdbcAccountingQueries(dataSource);
    }
}
