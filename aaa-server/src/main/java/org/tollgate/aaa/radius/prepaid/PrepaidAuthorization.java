package org.tollgate.aaa.radius.prepaid;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.tollgate.aaa.radius.auth.AccessDecision;
import org.tollgate.aaa.radius.auth.AccessPolicy;
import org.tollgate.aaa.radius.auth.AccessRequestView;
import org.tollgate.aaa.radius.auth.DigestCredentials;
import org.tollgate.aaa.radius.client.NasClient;
import org.tollgate.aaa.radius.server.RadiusMetrics;
import org.tollgate.api.prepaid.CallKey;
import org.tollgate.api.prepaid.CallReport;
import org.tollgate.api.prepaid.CallRequest;
import org.tollgate.api.prepaid.Grant;
import org.tollgate.api.prepaid.PrepaidAccountNames;
import org.tollgate.api.prepaid.PrepaidService;

/**
 * Access-Requests that ask "may this call go ahead, and for how long?": a call id (see {@link
 * CallIds}), a Called-Station-Id and a User-Name — the account, as the CDRs' billing party is —
 * (with SIP Digest: of an INVITE — Kamailio's {@code auth_extra} goes with every request it
 * authenticates, REGISTER and BYE too), and either
 * <ul>
 * <li>credentials (PAP, CHAP, Digest) of a user whose account is prepaid: authenticated as any
 *     request, then authorized; a postpaid account is answered as before, at no extra cost; or</li>
 * <li>no credentials, from a NAS client allowed to ask for authorization alone ({@code nas add
 *     --prepaid-authorize}): authorized for any account (postpaid ones are accepted without a
 *     limit, unknown ones refused). From another client, a prepaid account is refused.</li>
 * </ul>
 * An Acct-Session-Time above 0 makes it a re-authorization: the seconds used so far are reported
 * and a new grant comes back. Its sequence is derived from the seconds used, so a request sent
 * again — by the NAS's own retries or after a lost answer — gets the same answer and never a
 * second reservation.
 */
public final class PrepaidAuthorization {

    private static final int ACCT_SESSION_TIME = 46;

    /**
     * A recognized prepaid authorization: whose, which call, to where, with what proof, and
     * whether the engine is asked ({@code prepaid}: false for a Cisco gateway's request for an
     * account that is not prepaid, answered with its h323-* VSAs, and no limit, from memory).
     */
    public record Request(CallKey call, String destination, long usedSeconds, boolean credentials, boolean cisco,
                          boolean prepaid) { }

    private final PrepaidService prepaid;
    private final PrepaidAccountNames accounts;
    private final RadiusMetrics metrics;
    private final Clock clock;

    public PrepaidAuthorization(PrepaidService prepaid, PrepaidAccountNames accounts, RadiusMetrics metrics, Clock clock) {
        this.prepaid = prepaid;
        this.accounts = accounts;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The prepaid authorization this request asks for, or empty when it is decided as any other. */
    public Optional<Request> recognize(AccessRequestView view, NasClient nas) {
        String user = view.userName().orElse("");
        if (user.isEmpty()) {
            return Optional.empty();
        }
        String destination = view.value("Called-Station-Id").map(String::trim).orElse("");
        if (destination.isEmpty()) {
            return Optional.empty();
        }
        List<String> confIds = view.vendorText(CallIds.CISCO, CallIds.H323_CONF_ID);
        List<String> avPairs = view.vendorText(CallIds.CISCO, CallIds.CISCO_AVPAIR);
        Optional<String> callId = CallIds.callId(confIds, avPairs, view.value("Acct-Session-Id").orElse(null));
        if (callId.isEmpty()) {
            return Optional.empty();
        }
        Optional<DigestCredentials> digest = view.digest();
        if (digest.isPresent() && !"INVITE".equalsIgnoreCase(digest.get().method())) {
            // auth_extra goes with every radius_*_authorize: a REGISTER, a BYE is no call to authorize
            return Optional.empty();
        }
        boolean credentials = view.hasCredentials();
        boolean cisco = nas.cisco() || CallIds.ciscoCall(confIds, avPairs);
        boolean prepaid = true;
        if (!nas.prepaidAuthorize() || credentials) {
            // asked by a NAS that authenticates its callers: only a prepaid account makes it one
            prepaid = accounts.isPrepaid(user);
            if (!prepaid && !(cisco && credentials)) {
                return Optional.empty();
            }
        }
        long used = view.value("Acct-Session-Time").map(PrepaidAuthorization::seconds).orElse(0L);
        return Optional.of(new Request(new CallKey(user, callId.get()), destination, used, credentials, cisco, prepaid));
    }

    /**
     * The decision: the authentication first when the request has credentials, then the prepaid
     * engine, whose answer comes within its commit timeout (UNAVAILABLE when the database does
     * not answer): no RADIUS thread waits for it.
     */
    public CompletableFuture<AccessDecision> decide(Request r, AccessRequestView view, NasClient nas, AccessPolicy policy) {
        AccessDecision authenticated = null;
        if (r.credentials()) {
            authenticated = policy.decide(view);
            if (!authenticated.accept()) {
                metrics.prepaid("authorize", "unauthenticated");
                return CompletableFuture.completedFuture(PrepaidReply.refusedAuthentication(authenticated, r.cisco()));
            }
        } else if (!nas.prepaidAuthorize()) {
            metrics.prepaid("authorize", "no_credentials");
            return CompletableFuture.completedFuture(PrepaidReply.reject(Grant.refused(Grant.Result.UNKNOWN_CALL,
                    "NAS " + nas.name() + " may not authorize without credentials"), r.call().account(), r.cisco()));
        }
        if (!r.prepaid()) {
            // a Cisco debit-card request for an account that is not prepaid: authenticated, no limit
            return CompletableFuture.completedFuture(PrepaidReply.accept(authenticated,
                    Grant.refused(Grant.Result.POSTPAID, "not prepaid"), true));
        }
        AccessDecision auth = authenticated;
        Instant now = clock.instant();
        String step = r.usedSeconds() > 0 ? "reauthorize" : "authorize";
        CompletableFuture<Grant> grant = r.usedSeconds() > 0
                ? prepaid.reauthorize(new CallReport(r.call(), sequence(r.usedSeconds()), r.usedSeconds(), null, now, 0))
                : prepaid.authorize(new CallRequest(r.call(), r.destination(), now, 0));
        return grant.handle((g, failure) -> {
            Grant answer = g != null ? g
                    : Grant.refused(Grant.Result.UNAVAILABLE, "prepaid engine failed: " + failure);
            metrics.prepaid(step, answer.result().name().toLowerCase());
            return answer.granted() || answer.result() == Grant.Result.POSTPAID
                    ? PrepaidReply.accept(auth, answer, r.cisco())
                    : PrepaidReply.reject(answer, r.call().account(), r.cisco());
        });
    }

    /**
     * The report's sequence number, from the seconds used: the same report sent again has the
     * same number (the engine answers it as before), a later one a higher number.
     */
    static int sequence(long usedSeconds) {
        return usedSeconds >= Integer.MAX_VALUE - 1 ? Integer.MAX_VALUE : (int) Math.max(1, usedSeconds + 1);
    }

    private static long seconds(String text) {
        try {
            return Math.max(0, Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
