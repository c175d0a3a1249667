package org.tollgate.app.config;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tollgate.cdr.query.JdbcCdrQueries;
import org.tollgate.cdr.query.JdbcMediaEvents;

/** The CDR read side ({@code tollgate cdr}) and the media-event store (the API), in every process. */
@Configuration(proxyBeanMethods = false)
public class CdrQueryConfiguration {

    @Bean
    JdbcCdrQueries cdrQueries(DataSource dataSource) {
        return new JdbcCdrQueries(dataSource);
    }

    @Bean
    JdbcMediaEvents mediaEvents(DataSource dataSource) {
        return new JdbcMediaEvents(dataSource);
    }
}
