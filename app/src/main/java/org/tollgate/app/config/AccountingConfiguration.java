package org.tollgate.app.config;

import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.tollgate.aaa.radius.acct.GroupCommitAccountingSink;
import org.tollgate.aaa.radius.acct.JdbcAccountingStore;
import org.tollgate.api.db.JdbcDeadline;

/**
 * The accounting writer RADIUS and Diameter share (roles {@code aaa} and {@code diameter}):
 * group commit to {@code acc_event}, the local journal when PostgreSQL is down.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${tollgate.roles:aaa,api,batch}'.contains('aaa') or '${tollgate.roles:aaa,api,batch}'.contains('diameter')")
public class AccountingConfiguration {

    /** The bound on a commit of accounting: past it the batch goes to the journal and is answered from there. */
    @Bean(destroyMethod = "close")
    JdbcDeadline accountingDeadline(TollgateProperties props) {
        return new JdbcDeadline(props.accounting().commitTimeout(), "acct");
    }

    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    GroupCommitAccountingSink accountingSink(DataSource dataSource, JdbcDeadline accountingDeadline,
                                             TollgateProperties props, MeterRegistry metrics) throws IOException {
        TollgateProperties.Accounting a = props.accounting();
        return new GroupCommitAccountingSink(new JdbcAccountingStore(dataSource, accountingDeadline),
                new JdbcAccountingStore(unpooled(dataSource, a.commitTimeout()), accountingDeadline), a.journalDir(),
                a.writerThreads(), a.maxBatch(), a.queueCapacity(), a.replayInterval().toMillis(), metrics);
    }

    /**
     * One connection straight from the driver, for journal replay, opened for each replay round
     * and kept for its batches: after an outage HikariCP retries with a back-off of up to 5 s,
     * and replay should start as soon as PostgreSQL is back. The pool's own settings (URL,
     * credentials, driver properties) apply.
     */
    static DataSource unpooled(DataSource dataSource, Duration timeout) {
        if (!(dataSource instanceof HikariDataSource pool) || pool.getJdbcUrl() == null) {
            return dataSource;
        }
        Properties props = new Properties();
        props.putAll(pool.getDataSourceProperties());
        // a frozen server accepts the TCP connection and never answers the start-up: bound that too
        String seconds = Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000));
        props.setProperty("connectTimeout", seconds);
        props.setProperty("loginTimeout", seconds);
        SingleConnectionDataSource single = new SingleConnectionDataSource();
        single.setUrl(pool.getJdbcUrl());
        single.setUsername(pool.getUsername());
        single.setPassword(pool.getPassword());
        single.setConnectionProperties(props);
        single.setSuppressClose(true);
        return single;
    }

}
