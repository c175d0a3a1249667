package org.tollgate.app.api.access;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The stored API tokens: the server checks them, the {@code token} command manages them. */
@Configuration(proxyBeanMethods = false)
public class ApiTokenConfiguration {

    @Bean
    JdbcApiTokens apiTokens(DataSource dataSource) {
        return new JdbcApiTokens(dataSource);
    }
}
