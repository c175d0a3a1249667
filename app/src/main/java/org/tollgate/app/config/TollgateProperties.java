package org.tollgate.app.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.tollgate.api.TollgateAttributes;

/**
 * Every {@code tollgate.*} key with its default. README.md documents each one; start-up fails
 * on an inconsistent combination.
 */
@ConfigurationProperties("tollgate")
public record TollgateProperties(
        @DefaultValue({"aaa", "api", "batch"}) List<String> roles,
        @DefaultValue Radius radius,
        @DefaultValue Accounting accounting,
        @DefaultValue Proxy proxy,
        @DefaultValue Cdr cdr,
        @DefaultValue Rating rating,
        @DefaultValue Reports reports,
        @DefaultValue Api api,
        @DefaultValue Diameter diameter) {

    public static final Set<String> KNOWN_ROLES = Set.of("aaa", "diameter", "proxy", "batch", "api");

    public TollgateProperties {
        roles = roles.stream().map(String::trim).filter(r -> !r.isEmpty()).toList();
        for (String r : roles) {
            if (!KNOWN_ROLES.contains(r)) {
                throw new IllegalArgumentException("tollgate.roles: unknown role '" + r + "' (known: aaa, diameter, proxy, batch, api)");
            }
        }
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** RADIUS server. */
    public record Radius(
            @DefaultValue("0.0.0.0") String bindAddress,
            @DefaultValue("1812") int authPort,
            @DefaultValue("1813") int acctPort,
            @DefaultValue("2") int ioThreads,
            @DefaultValue("4") int authThreads,
            Path dictionaryDir,
            @DefaultValue("60s") Duration userCacheTtl,
            @DefaultValue("200000") int userCacheSize,
            @DefaultValue("1s") Duration lookupTimeout) {

        public Radius {
            if (lookupTimeout.isNegative() || lookupTimeout.isZero()) {
                throw new IllegalArgumentException("tollgate.radius.lookup-timeout must be positive");
            }
            if (authPort != 0 && authPort == acctPort) {
                throw new IllegalArgumentException("tollgate.radius.auth-port and acct-port are both " + authPort);
            }
            if (authPort < 0 || authPort > 65535 || acctPort < 0 || acctPort > 65535) {
                throw new IllegalArgumentException("tollgate.radius ports must be 0..65535");
            }
            if (ioThreads < 1 || authThreads < 1) {
                throw new IllegalArgumentException("tollgate.radius.io-threads and auth-threads must be >= 1");
            }
        }
    }

    /** Accounting persistence. */
    public record Accounting(
            @DefaultValue("2") int writerThreads,
            @DefaultValue("1000") int maxBatch,
            @DefaultValue("200000") int queueCapacity,
            @DefaultValue("data/journal") Path journalDir,
            @DefaultValue("1s") Duration replayInterval,
            @DefaultValue("1s") Duration commitTimeout) {

        public Accounting {
            if (writerThreads < 1 || maxBatch < 1 || queueCapacity < maxBatch) {
                throw new IllegalArgumentException(
                        "tollgate.accounting: writer-threads and max-batch must be >= 1, queue-capacity >= max-batch");
            }
            if (commitTimeout.toMillis() < 1 || replayInterval.toMillis() < 1) {
                throw new IllegalArgumentException(
                        "tollgate.accounting.commit-timeout and replay-interval must be at least 1ms");
            }
        }
    }

    /**
     * Diameter server (role {@code diameter}): base accounting and Credit-Control over TCP.
     * {@code identity} is our Origin-Host, the name Diameter clients connect to.
     */
    public record Diameter(
            @DefaultValue("tollgate.localdomain") String identity,
            @DefaultValue("localdomain") String realm,
            @DefaultValue("0.0.0.0") String bindAddress,
            @DefaultValue("3868") int port,
            @DefaultValue("30s") Duration watchdogInterval,
            @DefaultValue("10s") Duration watchdogTimeout,
            Path dictionaryDir,
            @DefaultValue("0s") Duration ccValidityTime) {

        public Diameter {
            if (ccValidityTime.isNegative()) {
                throw new IllegalArgumentException("tollgate.diameter.cc-validity-time cannot be negative");
            }
        }

        public org.tollgate.diameter.DiameterSettings settings() {
            return new org.tollgate.diameter.DiameterSettings(identity, realm, bindAddress, port, watchdogInterval,
                    watchdogTimeout, dictionaryDir);
        }
    }

    /** SIP proxy (role {@code proxy}). */
    public record Proxy(
            @DefaultValue("127.0.0.1") String address,
            @DefaultValue("5060") int port,
            @DefaultValue({"udp", "tcp"}) List<String> transports,
            @DefaultValue("localhost") List<String> domains,
            @DefaultValue("8192") int maxMessageSize,
            @DefaultValue("1800s") Duration sessionExpires,
            @DefaultValue("90s") Duration minSe,
            @DefaultValue("12h") Duration dialogTimeout,
            @DefaultValue("12h") Duration maxCallDuration,
            @DefaultValue("5s") Duration branchTimeout,
            @DefaultValue("120s") Duration noAnswerTimeout,
            @DefaultValue("300s") Duration nonceLifetime,
            @DefaultValue("4") int sipThreads,
            @DefaultValue List<String> trusted,
            @DefaultValue List<PstnRoute> pstnRoutes,
            @DefaultValue ProxyAccounting accounting,
            @DefaultValue ProxyRadius radius,
            @DefaultValue ProxyBan ban,
            @DefaultValue ProxyPrepaid prepaid,
            @DefaultValue ProxyDiameter diameter,
            @DefaultValue ProxyMedia media,
            @DefaultValue("20s") Duration natPingInterval) {
    }

    /**
     * The proxy's media relays (rtpengine's ng protocol), {@code host:port} by preference; none:
     * signalling only. Each command waits {@code timeout} per try, {@code tries} tries per relay.
     * {@code policy}: which calls go through a relay (always, nat: only with a phone behind NAT,
     * never); {@code refuseUnavailable}: such a call is refused 503 when no relay answers, rather
     * than going on signalling only. {@code relayTimeout} is the relays' {@code --timeout};
     * {@code pollInterval} how often each relayed call is queried (its last packet kept; a call the
     * relay dropped is ended); {@code pingInterval} how often each relay is pinged.
     */
    public record ProxyMedia(
            @DefaultValue List<String> relays,
            @DefaultValue("500ms") Duration timeout,
            @DefaultValue("2") int tries,
            @DefaultValue List<String> flags,
            @DefaultValue("always") String policy,
            @DefaultValue("false") boolean refuseUnavailable,
            @DefaultValue("60s") Duration relayTimeout,
            @DefaultValue("5s") Duration pollInterval,
            @DefaultValue("10s") Duration pingInterval) {

        public ProxyMedia {
            if (tries < 1 || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("tollgate.proxy.media: tries >= 1 and a positive timeout");
            }
            for (String r : relays) {
                if (!r.matches("[^:]+:\\d{1,5}")) {
                    throw new IllegalArgumentException("tollgate.proxy.media.relays: host:port, not '" + r + "'");
                }
            }
            org.tollgate.proxy.media.MediaPolicy.parse(policy);
            if (relayTimeout.isNegative() || pollInterval.isNegative() || pingInterval.isNegative()) {
                throw new IllegalArgumentException("tollgate.proxy.media: relay-timeout, poll-interval and "
                        + "ping-interval must not be negative");
            }
            if (!relays.isEmpty() && !pollInterval.isZero() && pollInterval.compareTo(relayTimeout) >= 0) {
                // a call's last packet is known only from a query made before the relay drops the call
                throw new IllegalArgumentException("tollgate.proxy.media.poll-interval (" + pollInterval
                        + ") must be shorter than relay-timeout (" + relayTimeout + ")");
            }
        }

        /** The relays as {@code host:port} addresses, each host resolved now. */
        public List<java.net.InetSocketAddress> relayAddresses() {
            return relays.stream().map(r -> new java.net.InetSocketAddress(r.substring(0, r.lastIndexOf(':')),
                    Integer.parseInt(r.substring(r.lastIndexOf(':') + 1)))).toList();
        }
    }

    /**
     * The proxy's Diameter client, for {@code accounting.backend=diameter}: {@code servers} in order
     * of preference, each {@code host:port/identity}, or {@code local} (this instance's own Diameter
     * server, role diameter).
     */
    public record ProxyDiameter(
            @DefaultValue("local") List<String> servers,
            @DefaultValue("tollgate-proxy.localdomain") String identity,
            @DefaultValue("localdomain") String realm,
            @DefaultValue("") String destinationRealm,
            @DefaultValue("2s") Duration txTimeout,
            @DefaultValue("30s") Duration watchdogInterval,
            @DefaultValue("true") boolean registerPeer) {
    }

    /** Prepaid call control in the proxy (Credit-Control-Failure-Handling: terminate, retry-and-terminate, continue). */
    public record ProxyPrepaid(
            @DefaultValue("10s") Duration reauthorizeBefore,
            @DefaultValue("terminate") String failureHandling,
            @DefaultValue("10m") Duration failureMaxDuration,
            @DefaultValue("false") boolean trustedCallers) {
    }

    /** Flood and brute-force bans (pike + ipban + fail2ban). */
    public record ProxyBan(
            @DefaultValue("400") int floodRequests,
            @DefaultValue("2s") Duration floodWindow,
            @DefaultValue("10m") Duration time,
            @DefaultValue("10") int authFailures,
            @DefaultValue("10m") Duration authWindow,
            @DefaultValue("5") int userFailures,
            @DefaultValue("10m") Duration userLockTime) {
    }

    /**
     * One PSTN route: a prefix or a pattern, and its gateways in failover order; {@code media}
     * (always, nat, never) overrides {@code tollgate.proxy.media.policy} for its calls.
     */
    public record PstnRoute(String prefix, String pattern, List<String> gateways,
                            @DefaultValue("0") int strip, @DefaultValue("") String prepend, String media) {

        public PstnRoute {
            if (media != null && !media.isBlank()) {
                org.tollgate.proxy.media.MediaPolicy.parse(media);
            }
        }
    }

    /** The acc module's switches. */
    public record ProxyAccounting(
            @DefaultValue("radius") String backend,
            @DefaultValue("false") boolean earlyMedia,
            @DefaultValue("false") boolean reportCancels,
            @DefaultValue("false") boolean failedTransactions,
            @DefaultValue List<String> extra,
            @DefaultValue List<String> multiLegInfo) {

        public ProxyAccounting {
            if (!backend.equals("radius") && !backend.equals("diameter")) {
                throw new IllegalArgumentException("tollgate.proxy.accounting.backend must be radius or diameter, not '"
                        + backend + "'");
            }
        }

        public boolean diameter() {
            return backend.equals("diameter");
        }
    }

    /** The proxy's RADIUS client. */
    public record ProxyRadius(
            @DefaultValue("local") List<String> authServers,
            @DefaultValue("local") List<String> acctServers,
            String secret,
            @DefaultValue("1s") Duration timeout,
            @DefaultValue("3") int tries,
            @DefaultValue("data/proxy-spool") Path spoolDir,
            @DefaultValue("30s") Duration groupCacheTtl,
            @DefaultValue("512") int maxInFlight,
            @DefaultValue("true") boolean registerNas) {
    }

    /** The CDR engine and its nightly schedule. */
    public record Cdr(
            @DefaultValue("UTC") String zone,
            @DefaultValue("0 0 2 * * ?") String schedule,
            @DefaultValue("2h") Duration grace,
            @DefaultValue("1h") Duration maxDuration,
            @DefaultValue("10m") Duration forkWindow,
            @DefaultValue("60s") Duration settle,
            @DefaultValue("5000") int chunkSize,
            @DefaultValue(TollgateAttributes.LEG_SRC) String legSrcAttribute,
            @DefaultValue(TollgateAttributes.LEG_DST) String legDstAttribute) {
    }

    /** Rating: how numbers are normalized to E.164 before the prefix lookup. */
    public record Rating(
            @DefaultValue("00") String internationalPrefix,
            @DefaultValue("0") String nationalPrefix,
            @DefaultValue("") String countryCode,
            @DefaultValue("5000") int chunkSize) {
    }

    /**
     * Finance reports: the zone their times are shown in when not for one account, the CSV
     * dialect, and where the nightly run writes the previous day's reports (empty: it does not).
     */
    public record Reports(
            @DefaultValue("UTC") String zone,
            @DefaultValue(",") String csvDelimiter,
            @DefaultValue("false") boolean csvBom,
            @DefaultValue("") String dailyDir,
            @DefaultValue({"destinations", "revenue-by-day", "missed", "repaired", "unrated", "cdrs"}) List<String> daily,
            @DefaultValue({"xlsx", "csv"}) List<String> dailyFormats) {

        public Reports {
            try {
                java.time.ZoneId.of(zone);
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException("tollgate.reports.zone: '" + zone + "' is not a time zone");
            }
            if (csvDelimiter.length() != 1) {
                throw new IllegalArgumentException("tollgate.reports.csv-delimiter must be one character, not '"
                        + csvDelimiter + "'");
            }
            for (String d : daily) {
                // fails fast on an unknown name
                if (org.tollgate.reports.ReportName.parse(d).perAccount()) {
                    throw new IllegalArgumentException("tollgate.reports.daily: a " + d.trim() + " is per account, not daily");
                }
            }
            dailyFormats.forEach(org.tollgate.reports.ReportFormat::parse);
        }
    }

    /**
     * The admin port: the bearer token every {@code /api} and actuator endpoint but health wants
     * besides the stored tokens ({@code tollgate token create}), the addresses that may read
     * {@code /actuator/prometheus} without one, and where the server leaves the local CLI its URL and
     * token ({@code cliFile}, readable by the server's user only; empty: nowhere, the CLI then works on the
     * database directly).
     */
    public record Api(
            @DefaultValue("") String token,
            @DefaultValue List<String> metricsAllowed,
            @DefaultValue("data/api-cli") String cliFile) {

        public Api {
            for (String a : metricsAllowed) {
                try {
                    org.tollgate.api.net.Cidr.parse(a);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("tollgate.api.metrics-allowed: " + e.getMessage());
                }
            }
        }

        public List<org.tollgate.api.net.Cidr> metricsNetworks() {
            return metricsAllowed.stream().map(org.tollgate.api.net.Cidr::parse).toList();
        }

        // a record prints every component; the token must not reach a log that way
        @Override
        public String toString() {
            return "Api[token=" + (token.isEmpty() ? "" : "(set)") + ", metricsAllowed=" + metricsAllowed
                    + ", cliFile=" + cliFile + "]";
        }
    }
}
