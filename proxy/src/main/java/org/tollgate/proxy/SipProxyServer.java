package org.tollgate.proxy;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.api.db.JdbcDeadline;
import org.tollgate.proxy.aaa.CallAccounting;
import org.tollgate.proxy.aaa.SubscriberAuthority;
import org.tollgate.proxy.media.MediaEvidence;
import org.tollgate.proxy.media.MediaRelay;
import org.tollgate.proxy.acct.CallAccountant;
import org.tollgate.proxy.auth.DigestAuthenticator;
import org.tollgate.proxy.ban.BanSync;
import org.tollgate.proxy.ban.BanTable;
import org.tollgate.proxy.ban.JdbcBanStore;
import org.tollgate.proxy.auth.Nonces;
import org.tollgate.proxy.dialog.DialogRegistry;
import org.tollgate.proxy.dialog.JdbcDialogStore;
import org.tollgate.proxy.location.JdbcLocationStore;
import org.tollgate.proxy.location.LocationService;
import org.tollgate.proxy.limits.CallLimits;
import org.tollgate.proxy.location.Registrar;
import org.tollgate.proxy.relay.DialogTokens;
import org.tollgate.proxy.relay.InDialogRelay;
import org.tollgate.proxy.relay.JdbcProxyKeys;
import org.tollgate.proxy.routing.Router;
import org.tollgate.proxy.sip.HostPort;
import org.tollgate.proxy.sip.MalformedRequests;
import org.tollgate.proxy.sip.SipEndpoint;
import org.tollgate.proxy.sip.SourceGate;

import io.micrometer.core.instrument.MeterRegistry;

/** The SIP proxy put together: stack, registrar, router, dialogs and accounting; started and stopped as one. */
public final class SipProxyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SipProxyServer.class);
    private static final java.util.concurrent.atomic.AtomicInteger STACKS = new java.util.concurrent.atomic.AtomicInteger();

    private final SipEndpoint sip;
    private final DialogRegistry dialogs;
    private final LocationService location;
    private final ScheduledThreadPoolExecutor timers;
    private final ExecutorService blocking;
    private final BanTable bans;
    private final BanSync banSync;
    private final JdbcDeadline banDeadline;
    private final DialogEndListener dialogEnds;
    private final CallLimits limits;
    private final MediaWatch mediaWatch;

    public SipProxyServer(ProxySettings settings, DataSource dataSource, SubscriberAuthority authority,
                          CallAccounting accounting, MeterRegistry meters, Clock clock) {
        this(settings, dataSource, authority, accounting, meters, clock, MediaRelay.none());
    }

    /** With {@code media}: calls' SDP through a media relay (rtpengine). */
    public SipProxyServer(ProxySettings settings, DataSource dataSource, SubscriberAuthority authority,
                          CallAccounting accounting, MeterRegistry meters, Clock clock, MediaRelay media) {
        this(settings, dataSource, authority, accounting, meters, clock, media, MediaEvidence.none());
    }

    /** {@code evidence}: where the relayed calls' last media packets are kept for the CDR engine. */
    public SipProxyServer(ProxySettings settings, DataSource dataSource, SubscriberAuthority authority,
                          CallAccounting accounting, MeterRegistry meters, Clock clock, MediaRelay media,
                          MediaEvidence evidence) {
        if (settings.minSe().toSeconds() < 90) {
            log.warn("tollgate.proxy.min-se {} s is below the 90 s RFC 4028 requires; use it for tests only",
                    settings.minSe().toSeconds());
        }
        MalformedRequests malformed = new MalformedRequests(meters, 10, TimeUnit.SECONDS);
        Trusted trusted = new Trusted(settings.trusted());
        this.bans = new BanTable(settings.ban(), trusted::contains, clock, meters);
        // the writer waits on a hung database this long, then tries again next round
        this.banDeadline = new JdbcDeadline(Duration.ofSeconds(2), "sip-ban");
        JdbcBanStore banStore = new JdbcBanStore(dataSource, banDeadline);
        int banned = BanSync.load(bans, banStore);
        SourceGate gate = SourceGate.of(bans::admit, malformed::unparsable);
        this.sip = new SipEndpoint("tollgate.sipstack." + settings.port() + "." + STACKS.incrementAndGet(), settings.address(), settings.port(),
                settings.transports(), settings.sipThreads(), settings.maxMessageSize(), gate);
        String me = sip.host() + ":" + sip.port();
        this.timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sip-proxy-timer");
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true);
        this.blocking = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "sip-registrar");
            t.setDaemon(true);
            return t;
        });
        this.location = new LocationService(new JdbcLocationStore(dataSource), clock);
        this.dialogs = new DialogRegistry(new JdbcDialogStore(dataSource, me), clock, Duration.ofSeconds(1));
        Router router = new Router(settings.domains(), settings.pstnRoutes(), sip, location);
        DigestAuthenticator digest = new DigestAuthenticator(authority, new Nonces(clock, settings.nonceLifetime()),
                sip.headers(), bans);
        CallAccountant acct = new CallAccountant(accounting, settings.accounting(), clock);
        ProxyMetrics metrics = new ProxyMetrics(meters, dialogs::size);
        Registrar registrar = new Registrar(new Replies(sip, metrics)::send,
                digest, location, router::aor, settings.realm(), sip.headers(), sip.addresses(), blocking, clock);
        DialogTokens tokens = new DialogTokens(new JdbcProxyKeys(dataSource).key("dialog-token"));
        this.limits = new CallLimits(dataSource);
        SipProxy proxy = new SipProxy(settings, sip, authority, digest, router, registrar, dialogs, acct, metrics, timers, clock,
                trusted, tokens, new InDialogRelay(router, location, sip.addresses(),
                HostPort.of(sip.host(), sip.port(), false)), malformed, limits, media);
        int bindings = location.load();
        int recovered = dialogs.recover();
        dialogs.all().forEach(d -> limits.restored(d.leg().userName())); // calls up before the restart count
        timers.scheduleWithFixedDelay(this::purge, 60, 60, TimeUnit.SECONDS);
        new NatKeepalive(sip, location, settings.domains().get(0), meters).start(timers, settings.natPingInterval());
        this.banSync = new BanSync(bans, banStore, me, 1000, meters);
        sip.start(proxy, proxy::relayStateless);
        this.mediaWatch = media.enabled()
                ? new MediaWatch(media, dialogs, proxy.calls(), evidence, media.settings().relayTimeout(),
                        media.settings().pollInterval(), clock).start(media.settings().pingInterval())
                : null;
        this.dialogEnds = new DialogEndListener(dataSource, dialogs, proxy.calls(), mediaWatch, me);
        log.info("SIP proxy on {} {} for {}; {} registered contacts, {} dialogs recovered, {} bans in force",
                me, settings.transports(), settings.domains(), bindings, recovered, banned);
    }

    public int port() {
        return sip.port();
    }

    private void purge() {
        try {
            location.purgeExpired();
        } catch (RuntimeException e) {
            log.debug("purging expired contacts failed: {}", e.getMessage());
        }
    }

    /** The bans in force (sources dropped, users locked). */
    public BanTable bans() {
        return bans;
    }

    @Override
    public void close() {
        dialogEnds.close();
        if (mediaWatch != null) {
            mediaWatch.close();
        }
        limits.close();
        banSync.close();
        banDeadline.close();
        sip.close();
        timers.shutdownNow();
        blocking.shutdown();
        dialogs.close();
    }
}
