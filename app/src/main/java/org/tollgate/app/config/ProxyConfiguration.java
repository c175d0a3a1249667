package org.tollgate.app.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tollgate.api.net.Cidr;
import org.tollgate.aaa.radius.client.JdbcNasClientRepository;
import org.tollgate.aaa.radius.client.NasClient;
import org.tollgate.aaa.radius.client.NasClientRegistry;
import org.tollgate.aaa.radius.dictionary.DictionaryProfile;
import org.tollgate.aaa.radius.server.RadiusServer;
import org.tollgate.proxy.ProxySettings;
import org.tollgate.proxy.SipProxyServer;
import org.tollgate.proxy.ban.BanPolicy;
import org.tollgate.proxy.aaa.RadiusAccountingClient;
import org.tollgate.proxy.aaa.RadiusClientSettings;
import org.tollgate.proxy.aaa.RadiusClientSettings.Server;
import org.tollgate.proxy.aaa.RadiusSubscriberAuthority;
import org.tollgate.proxy.routing.PstnRoute;
import org.tollgate.proxy.sip.SipEndpoint;

import io.micrometer.core.instrument.MeterRegistry;

/** The {@code proxy} role: the SIP proxy and its RADIUS client. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${tollgate.roles:aaa,api,batch}'.contains('proxy')")
public class ProxyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProxyConfiguration.class);

    @Bean
    RadiusClientSettings proxyRadiusSettings(TollgateProperties props, ProxySettings proxy,
                                             ObjectProvider<RadiusServer> local) throws UnknownHostException {
        TollgateProperties.Proxy p = props.proxy();
        TollgateProperties.ProxyRadius r = p.radius();
        if (r.secret() == null || r.secret().isEmpty()) {
            throw new IllegalArgumentException("the proxy role needs tollgate.proxy.radius.secret "
                    + "(the shared secret of its RADIUS servers)");
        }
        List<Server> auth = servers(r.authServers(), r.secret(), props, local, true);
        List<Server> acct = servers(r.acctServers(), r.secret(), props, local, false);
        return new RadiusClientSettings(auth, acct, r.timeout(), r.tries(), InetAddress.getByName(p.address()),
                proxy.port(), r.spoolDir(), r.groupCacheTtl(), r.maxInFlight(), 0);
    }

    /** "local" stands for this instance's own RADIUS server (role aaa), whatever port it bound. */
    private static List<Server> servers(List<String> configured, String secret, TollgateProperties props,
                                        ObjectProvider<RadiusServer> local, boolean auth) {
        return configured.stream().map(s -> {
            if (!s.trim().equals("local")) {
                return Server.parse(s, secret);
            }
            if (!props.hasRole("aaa")) {
                throw new IllegalArgumentException("tollgate.proxy.radius." + (auth ? "auth" : "acct")
                        + "-servers is 'local' but this instance has no aaa role; give host:port");
            }
            RadiusServer server = local.getObject();
            return new Server("127.0.0.1", auth ? server.authPort() : server.acctPort(), secret);
        }).toList();
    }

    @Bean
    ProxySettings proxySettings(TollgateProperties props) throws java.io.IOException {
        TollgateProperties.Proxy p = props.proxy();
        // port 0: choose now, so NAS-Port in accounting is the port the proxy really has
        int port = p.port() == 0 ? SipEndpoint.freePort(p.address()) : p.port();
        List<PstnRoute> routes = p.pstnRoutes().stream()
                .map(r -> new PstnRoute(r.prefix(), r.pattern(), r.gateways() == null ? List.of() : r.gateways(),
                        r.strip(), r.prepend()))
                .toList();
        TollgateProperties.ProxyAccounting a = p.accounting();
        return new ProxySettings(p.address(), port, p.transports(), p.domains(), p.maxMessageSize(),
                p.sessionExpires(), p.minSe(), p.dialogTimeout(), p.maxCallDuration(), p.branchTimeout(), p.noAnswerTimeout(),
                p.nonceLifetime(), p.trusted(), routes,
                new ProxySettings.Accounting(a.earlyMedia(), a.reportCancels(), a.failedTransactions(), a.extra(),
                        a.multiLegInfo()),
                p.sipThreads(), banPolicy(p.ban()), prepaid(p.prepaid()));
    }

    private static ProxySettings.Prepaid prepaid(TollgateProperties.ProxyPrepaid p) {
        ProxySettings.FailureHandling handling;
        try {
            handling = ProxySettings.FailureHandling.valueOf(
                    p.failureHandling().trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tollgate.proxy.prepaid.failure-handling must be terminate, "
                    + "retry-and-terminate or continue, not '" + p.failureHandling() + "'");
        }
        return new ProxySettings.Prepaid(p.reauthorizeBefore(), handling, p.failureMaxDuration(), p.trustedCallers());
    }

    private static BanPolicy banPolicy(TollgateProperties.ProxyBan b) {
        return new BanPolicy(b.floodRequests(), b.floodWindow(), b.time(), b.authFailures(), b.authWindow(),
                b.userFailures(), b.userLockTime());
    }

    @Bean(destroyMethod = "close")
    RadiusSubscriberAuthority subscriberAuthority(RadiusClientSettings settings, MeterRegistry meters, Clock clock) {
        return new RadiusSubscriberAuthority(settings, meters, clock);
    }

    @Bean(destroyMethod = "close")
    RadiusAccountingClient callAccounting(RadiusClientSettings settings, MeterRegistry meters, Clock clock) {
        return new RadiusAccountingClient(settings, meters, clock);
    }

    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    SipProxyServer sipProxyServer(ProxySettings settings, TollgateProperties props, DataSource dataSource,
                                  RadiusSubscriberAuthority authority, RadiusAccountingClient accounting,
                                  MeterRegistry meters, Clock clock, JdbcNasClientRepository nasClients,
                                  ObjectProvider<NasClientRegistry> registry, ObjectProvider<RadiusServer> radius) {
        if (props.hasRole("aaa") && props.proxy().radius().registerNas()) {
            registerAsNas(props, nasClients, registry.getIfAvailable());
        }
        radius.getIfAvailable(); // the local AAA server answers before the first call
        return new SipProxyServer(settings, dataSource, authority, accounting, meters, clock);
    }

    /** With both roles, the proxy must be a NAS client of the local AAA server: add it when no client has its address. */
    private static void registerAsNas(TollgateProperties props, JdbcNasClientRepository nasClients,
                                      NasClientRegistry registry) {
        String address = "127.0.0.1";
        Cidr cidr = Cidr.parse(address);
        boolean known = nasClients.findAll().stream().anyMatch(c -> c.address().toString().equals(cidr.toString()));
        if (!known) {
            // with prepaid trusted callers the proxy asks authorizations without credentials
            nasClients.add(new NasClient("tollgate-proxy", cidr, props.proxy().radius().secret(), "tollgate",
                    DictionaryProfile.SIP_ACC, true, props.proxy().prepaid().trustedCallers()));
            log.info("added NAS client tollgate-proxy ({}) for the local SIP proxy", address);
            if (registry != null) {
                registry.reload();
            }
        }
    }
}
