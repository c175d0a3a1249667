package org.tollgate.proxy.auth;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.tollgate.proxy.aaa.CallAuthorization;
import org.tollgate.proxy.aaa.DigestCheck;
import org.tollgate.proxy.aaa.DigestVerdict;
import org.tollgate.proxy.aaa.PrepaidRefusal;
import org.tollgate.proxy.aaa.SubscriberAuthority;
import org.tollgate.proxy.sip.Headers;

/**
 * Digest authentication of REGISTER (401/Authorization) and INVITE (407/Proxy-Authorization)
 * with the credentials checked by the RADIUS server, as Kamailio's radius_www_authorize and
 * radius_proxy_authorize do. Nonces are the proxy's own.
 */
public final class DigestAuthenticator {

    /**
     * The outcome: a challenge to send, a refusal (user: who was claimed), a prepaid refusal of an
     * authenticated user ({@code refusal}), or the authenticated user with its server's answer
     * ({@code verdict}: reply AVPs, Session-Timeout, a prepaid grant) and the credentials it
     * proved itself with ({@code check}: a prepaid call's re-authorizations send them again).
     */
    public record Outcome(Kind kind, String user, boolean stale, DigestVerdict verdict, DigestCheck check,
                          PrepaidRefusal refusal) {
        public enum Kind { CHALLENGE, FORBIDDEN, UNAVAILABLE, REFUSED, OK }

        static Outcome challenge(boolean stale) {
            return new Outcome(Kind.CHALLENGE, null, stale, null, null, null);
        }

        static Outcome of(Kind kind, String user) {
            return new Outcome(kind, user, false, null, null, null);
        }

        public List<String> sipAvps() {
            return verdict == null ? List.of() : verdict.sipAvps();
        }

        /** The Accept's Session-Timeout in seconds, 0 = none. */
        public long sessionTimeout() {
            return verdict == null ? 0 : verdict.sessionTimeout();
        }
    }

    /** Who keeps count of failed answers and refuses locked users (the ban table). */
    public interface Failures {
        boolean locked(String user);

        void failed(String sourceIp, String user);

        void succeeded(String user);
    }

    private final SubscriberAuthority authority;
    private final Nonces nonces;
    private final HeaderFactory headers;
    private final Failures failures;

    public DigestAuthenticator(SubscriberAuthority authority, Nonces nonces, HeaderFactory headers, Failures failures) {
        this.authority = authority;
        this.nonces = nonces;
        this.headers = headers;
        this.failures = failures;
    }

    /**
     * Checks the request's credentials for {@code realm}; {@code proxy} selects 407 over 401 headers.
     * A wrong answer from {@code sourceIp} is counted; a locked user is refused without asking RADIUS
     * and without counting.
     */
    public CompletionStage<Outcome> authenticate(Request req, String realm, boolean proxy, String sourceIp) {
        return authenticate(req, realm, proxy, sourceIp, null);
    }

    /** As above; with {@code call}, the same Access-Request asks for the call's prepaid authorization. */
    public CompletionStage<Outcome> authenticate(Request req, String realm, boolean proxy, String sourceIp,
                                                 CallAuthorization call) {
        AuthorizationHeader auth = find(req, realm, proxy);
        if (auth == null) {
            return CompletableFuture.completedFuture(Outcome.challenge(false));
        }
        Nonces.Check n = nonces.check(auth.getNonce());
        if (n != Nonces.Check.VALID) {
            return CompletableFuture.completedFuture(Outcome.challenge(n == Nonces.Check.STALE));
        }
        String user = auth.getUsername();
        if (user == null || user.isEmpty() || auth.getResponse() == null) {
            return CompletableFuture.completedFuture(Outcome.of(Outcome.Kind.FORBIDDEN, null));
        }
        String id = user.contains("@") ? user : user + "@" + realm;
        if (failures.locked(id)) {
            // refused for the lock, whatever the answer: not counted against the source, or anyone
            // could get the user's own phone banned by locking it and waiting for it to re-REGISTER
            return CompletableFuture.completedFuture(Outcome.of(Outcome.Kind.FORBIDDEN, id));
        }
        String uriUser = Headers.user((req.getMethod().equals(Request.REGISTER) ? Headers.to(req) : Headers.from(req))
                .getAddress().getURI());
        DigestCheck check = new DigestCheck(user, realm, auth.getNonce(), param(auth, "uri"), req.getMethod(),
                auth.getResponse(), param(auth, "qop"), param(auth, "cnonce"), param(auth, "nc"),
                auth.getAlgorithm(), uriUser);
        return authority.verifyDigest(check, call).thenApply(v -> outcome(v, check, id, sourceIp))
                .exceptionally(e -> Outcome.of(Outcome.Kind.UNAVAILABLE, null));
    }

    private Outcome outcome(DigestVerdict v, DigestCheck check, String id, String sourceIp) {
        if (v.undecided()) {
            return Outcome.of(Outcome.Kind.UNAVAILABLE, null);
        }
        if (!v.accepted()) {
            var refusal = PrepaidRefusal.of(v.replyMessage());
            if (refusal.isPresent()) {
                // the password was right (the server asks prepaid only then): not a failure to count
                return new Outcome(Outcome.Kind.REFUSED, id, false, v, check, refusal.get());
            }
            failures.failed(sourceIp, id);
            return Outcome.of(Outcome.Kind.FORBIDDEN, id);
        }
        failures.succeeded(id);
        return new Outcome(Outcome.Kind.OK, id, false, v, check, null);
    }

    /** Adds a fresh challenge to a 401 or 407. */
    public void challenge(Response r, String realm, boolean stale) {
        try {
            WWWAuthenticateHeader h = r.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED
                    ? headers.createProxyAuthenticateHeader("Digest")
                    : headers.createWWWAuthenticateHeader("Digest");
            h.setRealm(realm);
            h.setNonce(nonces.issue());
            h.setAlgorithm("MD5");
            h.setQop("auth");
            if (stale) {
                h.setStale(true);
            }
            r.addHeader(h);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AuthorizationHeader find(Request req, String realm, boolean proxy) {
        var it = req.getHeaders(proxy ? ProxyAuthorizationHeader.NAME : AuthorizationHeader.NAME);
        while (it.hasNext()) {
            AuthorizationHeader h = (AuthorizationHeader) it.next();
            if (realm.equalsIgnoreCase(h.getRealm())) {
                return h;
            }
        }
        return null;
    }

    private static String param(AuthorizationHeader h, String name) {
        String v = h.getParameter(name);
        if (v != null && v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        return v;
    }
}
