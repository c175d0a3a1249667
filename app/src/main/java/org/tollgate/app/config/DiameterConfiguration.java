package org.tollgate.app.config;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import javax.sql.DataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tollgate.aaa.radius.ConfigChangeListener;
import org.tollgate.aaa.radius.acct.GroupCommitAccountingSink;
import org.tollgate.api.prepaid.PrepaidEnquiries;
import org.tollgate.api.prepaid.PrepaidService;
import org.tollgate.diameter.DiameterMetrics;
import org.tollgate.diameter.DiameterServer;
import org.tollgate.diameter.acct.AccountingRequests;
import org.tollgate.diameter.acct.AcrMapper;
import org.tollgate.diameter.cc.CreditControlRequests;
import org.tollgate.diameter.dictionary.AvpPrinter;
import org.tollgate.diameter.dictionary.DiameterDictionary;
import org.tollgate.diameter.peer.DiameterPeerRegistry;
import org.tollgate.diameter.peer.JdbcDiameterPeers;

/**
 * The {@code diameter} role: the Diameter server, its peers, base accounting into acc_event and
 * Credit-Control on the prepaid engine.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${tollgate.roles:aaa,api,batch}'.contains('diameter')")
public class DiameterConfiguration {

    @Bean
    DiameterDictionary diameterDictionary(TollgateProperties props) {
        return DiameterDictionary.load(props.diameter().dictionaryDir());
    }

    @Bean
    @DependsOnDatabaseInitialization
    DiameterPeerRegistry diameterPeerRegistry(JdbcDiameterPeers repository) {
        return new DiameterPeerRegistry(repository::findAll);
    }

    @Bean(destroyMethod = "close")
    ConfigChangeListener diameterPeerChanges(DataSource dataSource, DiameterPeerRegistry peers) {
        return new ConfigChangeListener(dataSource, java.util.List.of(peers::reload));
    }

    @Bean
    DiameterMetrics diameterMetrics(MeterRegistry registry) {
        return new DiameterMetrics(registry);
    }

    /** Tcc timers. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService diameterTimers() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "diameter-timers");
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }

    /** The CCR-Event enquiries (balance, price, refund), which wait on the database: never on the timers' threads. */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService diameterEnquiries() {
        return Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "diameter-enquiries");
            t.setDaemon(true);
            return t;
        });
    }

    @Bean(destroyMethod = "close")
    DiameterServer diameterServer(TollgateProperties props, DiameterDictionary dictionary, DiameterPeerRegistry peers,
                                  DiameterMetrics metrics, GroupCommitAccountingSink sink, Clock clock,
                                  ObjectProvider<PrepaidService> prepaid, ObjectProvider<PrepaidEnquiries> enquiries,
                                  ScheduledExecutorService diameterTimers, ExecutorService diameterEnquiries)
            throws Exception {
        DiameterServer server = new DiameterServer(props.diameter().settings(), dictionary, peers, metrics).initialize();
        server.serve(DiameterServer.ACCOUNTING_REQUEST, DiameterServer.BASE_ACCOUNTING,
                new AccountingRequests(new AcrMapper(new AvpPrinter(dictionary)), sink, peers, server.answers(),
                        metrics, clock));
        server.serve(DiameterServer.CREDIT_CONTROL, DiameterServer.CREDIT_CONTROL_APP,
                new CreditControlRequests(prepaid.getObject(), enquiries.getObject(), server.answers(), metrics, clock,
                        props.diameter().ccValidityTime(), diameterEnquiries, diameterTimers));
        server.start();
        return server;
    }
}
