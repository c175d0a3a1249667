package org.tollgate.app.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
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
import org.springframework.context.annotation.Lazy;
import org.tollgate.diameter.DiameterServer;
import org.tollgate.diameter.peer.DiameterPeer;
import org.tollgate.diameter.peer.DiameterPeerRegistry;
import org.tollgate.diameter.peer.JdbcDiameterPeers;
import org.tollgate.proxy.aaa.CallAccounting;
import org.tollgate.proxy.aaa.SpoolingCallAccounting;
import org.tollgate.proxy.aaa.SubscriberAuthority;
import org.tollgate.proxy.aaa.diameter.CreditControlAuthority;
import org.tollgate.cdr.query.JdbcMediaEvents;
import org.tollgate.cdr.query.MediaEvent;
import org.tollgate.proxy.media.MediaPolicy;
import org.tollgate.proxy.media.MediaRelay;
import org.tollgate.proxy.media.NgClient;
import org.tollgate.proxy.media.RtpEngine;
import org.tollgate.proxy.aaa.diameter.CreditControlEnding;
import org.tollgate.proxy.aaa.diameter.DiameterAccounting;
import org.tollgate.proxy.aaa.diameter.DiameterClient;
import org.tollgate.proxy.aaa.diameter.DiameterClientSettings;
import org.tollgate.proxy.aaa.RadiusClientSettings;
import org.tollgate.proxy.aaa.RadiusClientSettings.Server;
import org.tollgate.proxy.aaa.RadiusSubscriberAuthority;
import org.tollgate.proxy.routing.PstnRoute;
import org.tollgate.proxy.sip.SipEndpoint;

import io.micrometer.core.instrument.MeterRegistry;

/** The {@code proxy} role: the SIP proxy and its RADIUS (and, with accounting.backend=diameter, Diameter) client. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${tollgate.roles:aaa,api,batch}'.contains('proxy')")
public class ProxyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProxyConfiguration.class);
    /** media_event.source of the last packets the proxy's relay reported. */
    static final String MEDIA_EVIDENCE_SOURCE = "proxy-media-relay";

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
                        r.strip(), r.prepend(), r.media() == null || r.media().isBlank() ? null
                        : MediaPolicy.parse(r.media())))
                .toList();
        TollgateProperties.ProxyAccounting a = p.accounting();
        return new ProxySettings(p.address(), port, p.transports(), p.domains(), p.maxMessageSize(),
                p.sessionExpires(), p.minSe(), p.dialogTimeout(), p.maxCallDuration(), p.branchTimeout(), p.noAnswerTimeout(),
                p.nonceLifetime(), p.trusted(), routes,
                new ProxySettings.Accounting(a.earlyMedia(), a.reportCancels(), a.failedTransactions(), a.extra(),
                        a.multiLegInfo()),
                p.sipThreads(), banPolicy(p.ban()), prepaid(p.prepaid()), p.natPingInterval());
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

    /** With {@code accounting.backend=diameter}: the proxy's Diameter client (ACR, CCR). */
    @Bean(destroyMethod = "close")
    @Lazy
    DiameterClient proxyDiameterClient(TollgateProperties props, ObjectProvider<DiameterServer> local,
                                       ObjectProvider<JdbcDiameterPeers> peers,
                                       ObjectProvider<DiameterPeerRegistry> registry) {
        TollgateProperties.ProxyDiameter d = props.proxy().diameter();
        List<DiameterClientSettings.Server> servers = d.servers().stream().map(s -> {
            if (!s.trim().equals("local")) {
                return DiameterClientSettings.Server.parse(s);
            }
            if (!props.hasRole("diameter")) {
                throw new IllegalArgumentException("tollgate.proxy.diameter.servers is 'local' but this instance has "
                        + "no diameter role; give host:port/identity");
            }
            local.getObject(); // listening before the client connects
            if (d.registerPeer()) {
                registerAsPeer(d, peers.getObject(), registry.getObject());
            }
            return new DiameterClientSettings.Server("127.0.0.1", props.diameter().port(), props.diameter().identity());
        }).toList();
        String destination = !d.destinationRealm().isEmpty() ? d.destinationRealm()
                : d.servers().get(0).trim().equals("local") ? props.diameter().realm()
                : servers.get(0).identity().substring(servers.get(0).identity().indexOf('.') + 1);
        return new DiameterClient(new DiameterClientSettings(d.identity(), d.realm(), servers, destination,
                d.txTimeout(), d.watchdogInterval()));
    }

    /** With both roles, the proxy must be a peer of the local Diameter server: add it when its Origin-Host is not one. */
    private static void registerAsPeer(TollgateProperties.ProxyDiameter d, JdbcDiameterPeers peers,
                                       DiameterPeerRegistry registry) {
        if (peers.findAll().stream().noneMatch(p -> p.originHost().equalsIgnoreCase(d.identity()))) {
            peers.add(new DiameterPeer("tollgate-proxy", d.identity(), d.realm(), Cidr.parse("127.0.0.1")));
            log.info("registered the proxy as Diameter peer tollgate-proxy ({})", d.identity());
        }
        registry.reload();
    }

    @Bean(destroyMethod = "close")
    CallAccounting callAccounting(TollgateProperties props, RadiusClientSettings settings, MeterRegistry meters,
                                  Clock clock, ObjectProvider<DiameterClient> diameter) {
        if (!props.proxy().accounting().diameter()) {
            return new RadiusAccountingClient(settings, meters, clock);
        }
        return new SpoolingCallAccounting(new DiameterAccounting(diameter.getObject(),
                props.proxy().diameter().identity()), settings.spoolDir(), settings.queueCapacity(),
                settings.maxInFlight(), meters, clock, SpoolingCallAccounting.RECORDS_PER_SEGMENT, Duration.ofSeconds(1));
    }

    /** rtpengine (ng protocol) when {@code tollgate.proxy.media.relays} names any, else signalling only. */
    @Bean(destroyMethod = "close")
    MediaRelay mediaRelay(TollgateProperties props, MeterRegistry meters) {
        TollgateProperties.ProxyMedia m = props.proxy().media();
        if (m.relays().isEmpty()) {
            return MediaRelay.none();
        }
        List<java.net.InetSocketAddress> relays = m.relayAddresses();
        NgClient client = new NgClient(relays, m.timeout(), m.tries());
        Duration wait = m.timeout().multipliedBy((long) m.tries() * relays.size()).plusMillis(100);
        return new MediaRelay(client, new RtpEngine(client, m.flags()), new MediaRelay.Settings(wait,
                MediaPolicy.parse(m.policy()), m.refuseUnavailable(), m.relayTimeout(), m.pollInterval(),
                m.pingInterval()), meters);
    }

    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    SipProxyServer sipProxyServer(ProxySettings settings, TollgateProperties props, DataSource dataSource,
                                  RadiusSubscriberAuthority radiusAuthority, CallAccounting accounting,
                                  MeterRegistry meters, Clock clock, JdbcNasClientRepository nasClients,
                                  ObjectProvider<NasClientRegistry> registry, ObjectProvider<RadiusServer> radius,
                                  ObjectProvider<DiameterClient> diameter, MediaRelay media) {
        if (props.hasRole("aaa") && props.proxy().radius().registerNas()) {
            registerAsNas(props, nasClients, registry.getIfAvailable());
        }
        radius.getIfAvailable(); // the local AAA server answers before the first call
        SubscriberAuthority authority = radiusAuthority;
        CallAccounting calls = accounting;
        if (props.proxy().accounting().diameter()) {
            // prepaid over Credit-Control; each call's Stop or Failed also terminates its CC session
            CreditControlAuthority cc = new CreditControlAuthority(radiusAuthority, diameter.getObject(),
                    props.proxy().diameter().identity(),
                    settings.prepaid().failureHandling() == ProxySettings.FailureHandling.CONTINUE,
                    settings.prepaid().failureMaxDuration(), meters);
            authority = cc;
            calls = new CreditControlEnding(accounting, cc);
        }
        JdbcMediaEvents mediaEvents = new JdbcMediaEvents(dataSource);
        return new SipProxyServer(settings, dataSource, authority, calls, meters, clock, media,
                seen -> mediaEvents.recordLatest(seen.stream()
                        .map(e -> new MediaEvent(e.callId(), e.lastPacket(), MEDIA_EVIDENCE_SOURCE)).toList()));
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
