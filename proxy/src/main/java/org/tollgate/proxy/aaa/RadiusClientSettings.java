package org.tollgate.proxy.aaa;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the proxy talks RADIUS: servers in order (first is primary, the next ones are failover),
 * retransmission, the NAS identity put in every packet, and where undeliverable accounting waits.
 * Null durations, spool directory and zero sizes take the defaults.
 */
public record RadiusClientSettings(
        List<Server> authServers,
        List<Server> acctServers,
        Duration timeout,
        int triesPerServer,
        InetAddress nasIpAddress,
        int nasPort,
        Path spoolDir,
        Duration groupCacheTtl,
        int maxInFlight,
        int queueCapacity) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_TRIES = 3;
    public static final Path DEFAULT_SPOOL_DIR = Path.of("data/proxy-spool");
    public static final Duration DEFAULT_GROUP_CACHE_TTL = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_IN_FLIGHT = 512;
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

    /** One RADIUS server. {@link #toString} leaves the secret out. */
    public record Server(String host, int port, String secret) {

        public Server {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("RADIUS server host is empty");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("RADIUS server " + host + ": port " + port + " is not in 1-65535");
            }
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("RADIUS server " + host + ":" + port + " has no shared secret");
            }
        }

        /** {@code host:port}, {@code [v6-address]:port}. */
        public static Server parse(String hostPort, String secret) {
            Objects.requireNonNull(hostPort, "RADIUS server address");
            String s = hostPort.trim();
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1 || (s.indexOf(':') != colon && !s.startsWith("["))) {
                throw new IllegalArgumentException("RADIUS server '" + hostPort + "' is not host:port ([addr]:port for IPv6)");
            }
            String host = s.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("RADIUS server '" + hostPort + "': port is not a number");
            }
            return new Server(host, port, secret);
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public RadiusClientSettings {
        authServers = checkServers("auth", authServers);
        acctServers = checkServers("acct", acctServers);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("RADIUS timeout per try must be more than 0 and at most 30s, not " + timeout);
        }
        triesPerServer = triesPerServer == 0 ? DEFAULT_TRIES : triesPerServer;
        if (triesPerServer < 1 || triesPerServer > 10) {
            throw new IllegalArgumentException("RADIUS tries per server must be 1-10, not " + triesPerServer);
        }
        if (nasIpAddress == null) {
            throw new IllegalArgumentException("NAS-IP-Address is required (the address the AAA server knows the proxy by)");
        }
        if (nasPort < 0) {
            throw new IllegalArgumentException("NAS-Port must not be negative, not " + nasPort);
        }
        spoolDir = spoolDir == null ? DEFAULT_SPOOL_DIR : spoolDir;
        groupCacheTtl = groupCacheTtl == null ? DEFAULT_GROUP_CACHE_TTL : groupCacheTtl;
        if (groupCacheTtl.isNegative()) {
            throw new IllegalArgumentException("group cache TTL must not be negative, not " + groupCacheTtl);
        }
        maxInFlight = maxInFlight == 0 ? DEFAULT_MAX_IN_FLIGHT : maxInFlight;
        if (maxInFlight < 1 || maxInFlight > 65_536) {
            throw new IllegalArgumentException("max in-flight accounting requests must be 1-65536, not " + maxInFlight);
        }
        queueCapacity = queueCapacity == 0 ? DEFAULT_QUEUE_CAPACITY : queueCapacity;
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("accounting queue capacity must be at least 1, not " + queueCapacity);
        }
    }

    /** Settings with every default: 1s × 3 tries, data/proxy-spool, 30s group cache, 512 in flight. */
    public static RadiusClientSettings of(List<Server> authServers, List<Server> acctServers,
                                          InetAddress nasIpAddress, int nasPort) {
        return new RadiusClientSettings(authServers, acctServers, null, 0, nasIpAddress, nasPort, null, null, 0, 0);
    }

    public RadiusClientSettings withRetries(Duration timeoutPerTry, int tries) {
        return new RadiusClientSettings(authServers, acctServers, timeoutPerTry, tries, nasIpAddress, nasPort,
                spoolDir, groupCacheTtl, maxInFlight, queueCapacity);
    }

    public RadiusClientSettings withSpoolDir(Path dir) {
        return new RadiusClientSettings(authServers, acctServers, timeout, triesPerServer, nasIpAddress, nasPort,
                dir, groupCacheTtl, maxInFlight, queueCapacity);
    }

    public RadiusClientSettings withGroupCacheTtl(Duration ttl) {
        return new RadiusClientSettings(authServers, acctServers, timeout, triesPerServer, nasIpAddress, nasPort,
                spoolDir, ttl, maxInFlight, queueCapacity);
    }

    public RadiusClientSettings withLimits(int maxInFlightRequests, int queueSize) {
        return new RadiusClientSettings(authServers, acctServers, timeout, triesPerServer, nasIpAddress, nasPort,
                spoolDir, groupCacheTtl, maxInFlightRequests, queueSize);
    }

    /** NAS-IP-Address (4) for IPv4, NAS-IPv6-Address (95) otherwise. */
    boolean nasIsIpv4() {
        return nasIpAddress instanceof Inet4Address;
    }

    private static List<Server> checkServers(String kind, List<Server> servers) {
        if (servers == null || servers.isEmpty()) {
            throw new IllegalArgumentException("no RADIUS " + kind + " server configured (need at least one host:port and secret)");
        }
        if (servers.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("RADIUS " + kind + " server list has an empty entry");
        }
        if (servers.stream().distinct().count() != servers.size()) {
            throw new IllegalArgumentException("RADIUS " + kind + " servers " + servers + " list a server twice");
        }
        return List.copyOf(servers);
    }
}
