package org.tollgate.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.tollgate.proxy.ban.BanPolicy;
import org.tollgate.proxy.routing.PstnRoute;

/**
 * Everything the proxy is configured with. Validated here so start-up fails fast.
 *
 * @param address          address the SIP sockets bind to and put in Via and Record-Route
 * @param port             SIP port for UDP and TCP
 * @param transports       "udp", "tcp" or both
 * @param domains          SIP domains served; the first is the digest realm
 * @param maxMessageSize   larger requests are answered 513
 * @param sessionExpires   Session-Expires inserted when the caller offered none (0 = never insert)
 * @param minSe            smallest session interval accepted (smaller is answered 422)
 * @param dialogTimeout    lifetime of a dialog without session timers
 * @param maxCallDuration  longest call when the caller's Access-Accept gives no Session-Timeout (0 = no limit)
 * @param branchTimeout    a branch without any response in this time fails over (408)
 * @param noAnswerTimeout  a ringing call is cancelled after this (fr_inv_timer)
 * @param trusted          sources whose INVITEs are not challenged (gateways, peers)
 * @param pstnRoutes       number patterns and their gateways, tried in order
 * @param accounting       the acc switches, extra attributes and multi-leg info
 * @param sipThreads       threads processing SIP messages
 * @param ban              when sources are banned and users locked
 * @param prepaid          prepaid call control: re-authorization, failure handling, trusted callers
 * @param natPingInterval  how often a phone registered from behind NAT is sent an OPTIONS keepalive (0 = never)
 */
public record ProxySettings(
        String address,
        int port,
        List<String> transports,
        List<String> domains,
        int maxMessageSize,
        Duration sessionExpires,
        Duration minSe,
        Duration dialogTimeout,
        Duration maxCallDuration,
        Duration branchTimeout,
        Duration noAnswerTimeout,
        Duration nonceLifetime,
        List<String> trusted,
        List<PstnRoute> pstnRoutes,
        Accounting accounting,
        int sipThreads,
        BanPolicy ban,
        Prepaid prepaid,
        Duration natPingInterval) {

    /** RFC 4006's Credit-Control-Failure-Handling, for a re-authorization no server answers. */
    public enum FailureHandling {
        /** only the server in use is asked; the call ends at the end of its grant */
        TERMINATE,
        /** every server is asked in turn; then as TERMINATE */
        RETRY_AND_TERMINATE,
        /** every server is asked in turn; then the call goes on up to {@code failure-max-duration}, settled afterwards */
        CONTINUE
    }

    /**
     * @param reauthorizeBefore  how long before a grant runs out the proxy asks for the next (at most half the grant)
     * @param failureHandling    what a re-authorization no server answers does
     * @param failureMaxDuration with CONTINUE, the longest such a call goes on (from its answer)
     * @param trustedCallers     calls from trusted sources are authorized too (without credentials: the
     *                           proxy's NAS client must be added with {@code --prepaid-authorize})
     */
    public record Prepaid(Duration reauthorizeBefore, FailureHandling failureHandling, Duration failureMaxDuration,
                          boolean trustedCallers) {
        public Prepaid {
            if (reauthorizeBefore.isNegative() || reauthorizeBefore.isZero()) {
                throw new IllegalArgumentException("tollgate.proxy.prepaid.reauthorize-before must be above 0: " + reauthorizeBefore);
            }
            if (failureHandling == null) {
                throw new IllegalArgumentException("tollgate.proxy.prepaid.failure-handling must be terminate, retry-and-terminate or continue");
            }
            if (failureMaxDuration.isNegative()) {
                throw new IllegalArgumentException("tollgate.proxy.prepaid.failure-max-duration must not be negative");
            }
        }

        public static Prepaid defaults() {
            return new Prepaid(Duration.ofSeconds(10), FailureHandling.TERMINATE, Duration.ofMinutes(10), false);
        }
    }

    /** The acc module's switches and extra attributes ({@code Attribute=source}). */
    public record Accounting(boolean earlyMedia, boolean reportCancels, boolean failedTransactions,
                             List<String> extra, List<String> multiLegInfo) {
        public Accounting {
            extra = extra.stream().filter(s -> !s.isBlank()).toList();
            multiLegInfo = multiLegInfo.stream().filter(s -> !s.isBlank()).toList();
            for (String e : extra) {
                ExtraAttribute.parse(e);
            }
            for (String e : multiLegInfo) {
                ExtraAttribute.parseLeg(e);
            }
        }
    }

    /** One {@code Attribute=source} item, sources as in Kamailio's pseudo-variables. */
    public record ExtraAttribute(String attribute, String source) {
        private static final Pattern SOURCE = Pattern.compile(
                "\\$(si|sp|ru|rU|rd|fu|fU|fd|tu|tU|td|ua|ci|hdr\\([A-Za-z0-9-]+\\))");

        /** A multi-leg item: {@code Attribute=$src} or {@code Attribute=$dst} of each leg. */
        public static ExtraAttribute parseLeg(String item) {
            int eq = item.indexOf('=');
            String source = eq < 0 ? "" : item.substring(eq + 1).trim();
            if (eq <= 0 || !(source.equals("$src") || source.equals("$dst"))) {
                throw new IllegalArgumentException("multi-leg item '" + item + "' is not Attribute=$src or Attribute=$dst");
            }
            return new ExtraAttribute(item.substring(0, eq).trim(), source);
        }

        public static ExtraAttribute parse(String item) {
            int eq = item.indexOf('=');
            if (eq <= 0 || eq == item.length() - 1) {
                throw new IllegalArgumentException("extra accounting item '" + item + "' is not Attribute=source");
            }
            String source = item.substring(eq + 1).trim();
            if (!SOURCE.matcher(source).matches()) {
                throw new IllegalArgumentException("extra accounting item '" + item + "': unknown source " + source
                        + " (use $si $sp $ru $rU $rd $fu $fU $fd $tu $tU $td $ua $ci or $hdr(Name))");
            }
            return new ExtraAttribute(item.substring(0, eq).trim(), source);
        }
    }

    public ProxySettings {
        transports = transports.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
        domains = List.copyOf(domains);
        trusted = trusted.stream().filter(s -> !s.isBlank()).toList();
        pstnRoutes = List.copyOf(pstnRoutes);
        if (natPingInterval == null || natPingInterval.isNegative()) {
            throw new IllegalArgumentException("tollgate.proxy.nat-ping-interval must not be negative");
        }
        if (address == null || address.isBlank() || address.equals("0.0.0.0")) {
            throw new IllegalArgumentException("tollgate.proxy.address must be a concrete address (it goes in Via and Record-Route)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("tollgate.proxy.port out of range: " + port);
        }
        if (transports.isEmpty() || !List.of("udp", "tcp").containsAll(transports)) {
            throw new IllegalArgumentException("tollgate.proxy.transports must be udp, tcp or both: " + transports);
        }
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("tollgate.proxy.domains needs at least one SIP domain");
        }
        if (maxMessageSize < 512) {
            throw new IllegalArgumentException("tollgate.proxy.max-message-size below 512: " + maxMessageSize);
        }
        if (minSe.toSeconds() < 1) {
            throw new IllegalArgumentException("tollgate.proxy.min-se must be at least 1 s: " + minSe);
        }
        if (!sessionExpires.isZero() && sessionExpires.compareTo(minSe) < 0) {
            throw new IllegalArgumentException("tollgate.proxy.session-expires " + sessionExpires + " is below min-se " + minSe);
        }
        if (maxCallDuration.isNegative()) {
            throw new IllegalArgumentException("tollgate.proxy.max-call-duration must not be negative: " + maxCallDuration);
        }
        if (ban == null) {
            throw new IllegalArgumentException("the proxy needs its ban policy");
        }
        if (prepaid == null) {
            throw new IllegalArgumentException("the proxy needs its prepaid settings");
        }
        if (sipThreads < 1) {
            throw new IllegalArgumentException("tollgate.proxy.sip-threads must be at least 1");
        }
    }

    public String realm() {
        return domains.get(0);
    }
}
