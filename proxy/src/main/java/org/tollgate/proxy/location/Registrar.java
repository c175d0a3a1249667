package org.tollgate.proxy.location;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.Executor;
import java.util.function.Function;

import javax.sip.ServerTransaction;
import javax.sip.address.AddressFactory;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.UserAgentHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.proxy.auth.DigestAuthenticator;
import org.tollgate.proxy.auth.DigestAuthenticator.Outcome;
import org.tollgate.proxy.sip.Headers;
import org.tollgate.proxy.sip.Source;

/**
 * REGISTER (RFC 3261 §10.3): digest challenge checked through RADIUS, the reply's allowed
 * source addresses ({@code #2:ip} SIP-AVPs, as in the tutorial) enforced, bindings stored in
 * PostgreSQL before the 200 that lists them.
 */
public final class Registrar {

    static final Duration DEFAULT_EXPIRES = Duration.ofHours(1);
    static final Duration MIN_EXPIRES = Duration.ofSeconds(60);
    static final Duration MAX_EXPIRES = Duration.ofDays(1);

    private static final Logger log = LoggerFactory.getLogger(Registrar.class);

    private final Replier replies;
    private final DigestAuthenticator digest;
    private final LocationService location;
    private final Function<URI, String> aorOf;
    private final String realm;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final Executor blocking;
    private final Clock clock;

    /** How the registrar answers (as the proxy answers: the same tags and counters). */
    public interface Replier {
        void reply(ServerTransaction st, Request req, int code, String reason, java.util.function.Consumer<Response> c);
    }

    /** {@code aorOf}: the address-of-record a To URI registers (its domain one of the proxy's). */
    public Registrar(Replier replies, DigestAuthenticator digest, LocationService location, Function<URI, String> aorOf,
                     String realm, HeaderFactory headers, AddressFactory addresses, Executor blocking, Clock clock) {
        this.replies = replies;
        this.digest = digest;
        this.location = location;
        this.aorOf = aorOf;
        this.realm = realm;
        this.headers = headers;
        this.addresses = addresses;
        this.blocking = blocking;
        this.clock = clock;
    }

    public void register(ServerTransaction st, Request req, Source src) {
        digest.authenticate(req, realm, false, src.ip()).whenComplete((o, err) -> {
            if (err != null || o.kind() == Outcome.Kind.UNAVAILABLE) {
                replies.reply(st, req, Response.SERVER_INTERNAL_ERROR, "AAA Unavailable", null);
            } else if (o.kind() == Outcome.Kind.CHALLENGE) {
                replies.reply(st, req, Response.UNAUTHORIZED, null, r -> digest.challenge(r, realm, o.stale()));
            } else if (o.kind() == Outcome.Kind.FORBIDDEN) {
                replies.reply(st, req, Response.FORBIDDEN, "Forbidden", null);
            } else {
                String aor = aorOf.apply(Headers.to(req).getAddress().getURI());
                if (!o.user().equalsIgnoreCase(aor)) {
                    replies.reply(st, req, Response.FORBIDDEN, "Forbidden - To is not you", null);
                } else if (!sourceAllowed(o.sipAvps(), src.ip())) {
                    replies.reply(st, req, Response.FORBIDDEN, "Forbidden IP", null);
                } else {
                    blocking.execute(() -> save(st, req, src, aor));
                }
            }
        });
    }

    /** The tutorial's {@code avp_check("i:2", "eq/$src_ip/ig")}: with #2 AVPs, the source must be one of them. */
    static boolean sourceAllowed(List<String> avps, String ip) {
        boolean restricted = false;
        for (String a : avps) {
            if (a.startsWith("#2:") || a.startsWith("i:2:")) {
                restricted = true;
                if (sameAddress(a.substring(a.indexOf(':', a.startsWith("#") ? 0 : 2) + 1).trim(), ip)) {
                    return true;
                }
            }
        }
        return !restricted;
    }

    /** Compares addresses, not text, so "2001:db8::1" and "2001:db8:0:0:0:0:0:1" are the same. */
    private static boolean sameAddress(String allowed, String ip) {
        if (allowed.equalsIgnoreCase(ip)) {
            return true;
        }
        // only literals: a name here must not trigger a DNS lookup
        if (!allowed.matches("[0-9a-fA-F.:\\[\\]]+") || !ip.matches("[0-9a-fA-F.:\\[\\]]+")) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(allowed).equals(java.net.InetAddress.getByName(ip));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private void save(ServerTransaction st, Request req, Source src, String aor) {
        try {
            Instant now = clock.instant();
            ExpiresHeader eh = (ExpiresHeader) req.getHeader(ExpiresHeader.NAME);
            long defaultExpires = eh != null ? eh.getExpires() : DEFAULT_EXPIRES.toSeconds();
            boolean removeAll = false;
            List<String> remove = new ArrayList<>();
            List<Binding> upsert = new ArrayList<>();
            ListIterator<Header> it = req.getHeaders(ContactHeader.NAME);
            String ua = Headers.value(req, UserAgentHeader.NAME);
            while (it.hasNext()) {
                ContactHeader c = (ContactHeader) it.next();
                if (c.isWildCard()) {
                    if (defaultExpires != 0) {
                        replies.reply(st, req, Response.BAD_REQUEST, "Wildcard Contact needs Expires: 0", null);
                        return;
                    }
                    removeAll = true;
                    continue;
                }
                long expires = c.getExpires() >= 0 ? c.getExpires() : defaultExpires;
                String contact = c.getAddress().getURI().toString();
                if (expires == 0) {
                    remove.add(contact);
                    continue;
                }
                if (expires < MIN_EXPIRES.toSeconds()) {
                    Header minExpires = headers.createMinExpiresHeader((int) MIN_EXPIRES.toSeconds());
                    replies.reply(st, req, Response.INTERVAL_TOO_BRIEF, null, r -> r.addHeader(minExpires));
                    return;
                }
                expires = Math.min(expires, MAX_EXPIRES.toSeconds());
                float q = c.getQValue();
                upsert.add(new Binding(aor, contact, now.plusSeconds(expires), q < 0 ? null : q, Headers.callId(req),
                        Headers.cseq(req).getSeqNumber(), src.transport() + ":" + src.ip() + ":" + src.port(), ua));
            }
            List<Binding> current = (removeAll || !remove.isEmpty() || !upsert.isEmpty())
                    ? location.register(aor, removeAll, remove, upsert)
                    : location.lookup(aor);
            replies.reply(st, req, Response.OK, null, r -> {
                for (Binding b : current) {
                    try {
                        ContactHeader ch = headers.createContactHeader(addresses.createAddress(b.contact()));
                        ch.setExpires((int) Math.max(0, Duration.between(now, b.expiresAt()).toSeconds()));
                        r.addHeader(ch);
                    } catch (Exception e) {
                        log.debug("bad stored contact {}", b.contact());
                    }
                }
                r.addHeader(headers.createDateHeader(java.util.Calendar.getInstance()));
            });
        } catch (Exception e) {
            log.warn("REGISTER for {} failed: {}", aor, e.toString());
            replies.reply(st, req, Response.SERVER_INTERNAL_ERROR, null, null);
        }
    }
}
