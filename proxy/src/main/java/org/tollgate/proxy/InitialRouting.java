package org.tollgate.proxy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import javax.sip.ServerTransaction;
import javax.sip.address.URI;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.proxy.aaa.CallAuthorization;
import org.tollgate.proxy.aaa.PrepaidRefusal;
import org.tollgate.proxy.aaa.SubscriberAuthority;
import org.tollgate.proxy.acct.CallLeg;
import org.tollgate.proxy.auth.DigestAuthenticator;
import org.tollgate.proxy.auth.DigestAuthenticator.Outcome;
import org.tollgate.proxy.dialog.PrepaidCall;
import org.tollgate.proxy.limits.CallLimits;
import org.tollgate.proxy.location.Registrar;
import org.tollgate.proxy.media.MediaRelay;
import org.tollgate.proxy.routing.Router;
import org.tollgate.proxy.routing.Router.Decision;
import org.tollgate.proxy.sip.Headers;
import org.tollgate.proxy.sip.Nat;
import org.tollgate.proxy.sip.Source;

/**
 * Requests that open something (no To tag), the Kamailio tutorial's route block: suspended users,
 * the registrar, OPTIONS to the proxy, digest authentication of local callers, no relaying for
 * anyone else, group checks for other domains and PSTN, session-timer floor, then the route.
 */
final class InitialRouting {

    private static final Logger log = LoggerFactory.getLogger(InitialRouting.class);

    private final Forwarding fw;
    private final SubscriberAuthority authority;
    private final DigestAuthenticator digest;
    private final Router router;
    private final Registrar registrar;
    private final Trusted trusted;
    private final CallLifecycle calls;
    private final CallLimits limits;

    InitialRouting(Forwarding fw, SubscriberAuthority authority, DigestAuthenticator digest, Router router,
                   Registrar registrar, Trusted trusted, CallLifecycle calls, CallLimits limits) {
        this.fw = fw;
        this.authority = authority;
        this.digest = digest;
        this.router = router;
        this.registrar = registrar;
        this.trusted = trusted;
        this.calls = calls;
        this.limits = limits;
    }

    void route(ServerTransaction st, Request req, Source src) {
        // no explicit 100 Trying: the RI's server transaction sends it when nothing else went out
        // within 200 ms (RFC 3261 §17.2.1), which spares a message on every promptly answered call
        fw.routes().strip(req);
        URI fromUri = Headers.from(req).getAddress().getURI();
        boolean localCaller = router.isOurs(fromUri) && Headers.user(fromUri) != null;
        // every request of a suspended user is refused, whatever its method; gateways and peers are
        // not subscribers: only untrusted local callers are checked
        CompletionStage<Boolean> suspended = localCaller && !trusted.contains(src.ip())
                ? authority.isMember(Headers.aor(fromUri), "suspended")
                : CompletableFuture.completedFuture(false);
        suspended.whenComplete((isSuspended, err) -> {
            try {
                if (err != null) {
                    reply(st, req, Response.SERVER_INTERNAL_ERROR, "AAA Unavailable");
                } else if (isSuspended) {
                    reply(st, req, Response.FORBIDDEN, "Forbidden - suspended");
                } else {
                    initial(st, req, src, localCaller);
                }
            } catch (Exception e) {
                log.warn("{} failed: {}", req.getMethod(), e.toString(), e);
                reply(st, req, Response.SERVER_INTERNAL_ERROR, null);
            }
        });
    }

    private void initial(ServerTransaction st, Request req, Source src, boolean localCaller) throws Exception {
        String method = req.getMethod();
        URI ruri = req.getRequestURI();
        if (method.equals(Request.REGISTER)) {
            if (!router.isOurs(Headers.to(req).getAddress().getURI())) {
                reply(st, req, Response.FORBIDDEN, "Forbidden - not our domain");
            } else {
                registrar.register(st, req, src);
            }
            return;
        }
        if (method.equals(Request.OPTIONS) && router.isOurs(ruri) && Headers.user(ruri) == null) {
            fw.replies().send(st, req, Response.OK, null, fw.replies()::allow);
            return;
        }
        boolean untrusted = !trusted.contains(src.ip());
        // a Route left after ours names the next hop: the request goes there, whatever the Request-URI says
        boolean local = router.isLocalUser(ruri) && req.getHeader(RouteHeader.NAME) == null;
        if (untrusted && localCaller && (method.equals(Request.INVITE) || !local)) {
            // routed once it authenticated: the challenged attempt costs no location look-up
            authenticateThenRoute(st, req, src);
            return;
        }
        if (untrusted && !local) {
            // Kamailio's "not relaying": neither from a subscriber who proved it nor to one of ours
            fw.metrics().refused("relaying");
            reply(st, req, Response.FORBIDDEN, "Relaying denied");
            return;
        }
        String user = Headers.aor(Headers.from(req).getAddress().getURI());
        Decision route = router.route(ruri, fw.sip().addresses());
        if (!untrusted && method.equals(Request.INVITE) && fw.settings().prepaid().trustedCallers()) {
            authorizeThenRoute(st, req, src, user, route);
            return;
        }
        // as the tutorial's radius_is_user_in("From", ...): any untrusted caller needs the group
        checkGroupsAndRoute(st, req, src, user, untrusted, route, 0, null);
    }

    /**
     * A trusted caller's INVITE with {@code prepaid.trusted-callers}: authorized without credentials
     * (From's user is the account). No answer from any server is the failure handling's: refused,
     * or with CONTINUE let through up to {@code failure-max-duration} and settled afterwards.
     */
    private void authorizeThenRoute(ServerTransaction st, Request req, Source src, String user, Decision route) {
        CallAuthorization call = callOf(req);
        authority.authorizeCall(user, call).whenComplete((v, err) -> {
            try {
                if (err != null || v.undecided()) {
                    if (fw.settings().prepaid().failureHandling() == ProxySettings.FailureHandling.CONTINUE) {
                        long cap = fw.settings().prepaid().failureMaxDuration().toSeconds();
                        PrepaidCall capped = new PrepaidCall(user, null, call, cap, false);
                        capped.last(null, PrepaidCall.Limit.AAA_UNAVAILABLE_CAPPED);
                        checkGroupsAndRoute(st, req, src, user, false, route, 0, capped);
                    } else {
                        fw.metrics().refused("prepaid_unavailable");
                        reply(st, req, Response.SERVER_INTERNAL_ERROR, "AAA Unavailable");
                        calls.refused(calls.leg(req, src, user), Response.SERVER_INTERNAL_ERROR, "AAA Unavailable");
                    }
                } else if (!v.accepted()) {
                    refusePrepaid(st, req, src, user, PrepaidRefusal.of(v.replyMessage())
                            .orElse(new PrepaidRefusal(Response.FORBIDDEN, "Forbidden", v.replyMessage())));
                } else {
                    long seconds = v.prepaidSeconds();
                    checkGroupsAndRoute(st, req, src, user, false, route, seconds < 0 ? v.sessionTimeout() : 0,
                            seconds < 0 ? null : new PrepaidCall(user, null, call, seconds, v.renewable()));
                }
            } catch (Exception e) {
                log.warn("routing after authorization failed: {}", e.toString(), e);
                reply(st, req, Response.SERVER_INTERNAL_ERROR, null);
            }
        });
    }

    /** A prepaid refusal: 402/403/404 and a Failed record; nothing is forwarded. */
    private void refusePrepaid(ServerTransaction st, Request req, Source src, String user, PrepaidRefusal r) {
        fw.metrics().refused("prepaid");
        reply(st, req, r.sipCode(), r.reasonPhrase());
        calls.refused(calls.leg(req, src, user), r.sipCode(), r.reasonPhrase());
    }

    /** The call's prepaid authorization: its Call-ID and To URI, as its accounting names them. */
    private static CallAuthorization callOf(Request req) {
        return new CallAuthorization(Headers.callId(req), Headers.plain(Headers.to(req).getAddress().getURI()), 0, true);
    }

    /** A local user's request is relayed only once it proved to be From (407 challenge, as radius_proxy_authorize). */
    private void authenticateThenRoute(ServerTransaction st, Request req, Source src) {
        String realm = fw.settings().realm();
        // an INVITE's Access-Request also asks for its prepaid authorization (answered as any other for postpaid users)
        CallAuthorization call = req.getMethod().equals(Request.INVITE) ? callOf(req) : null;
        digest.authenticate(req, realm, true, src.ip(), call).whenComplete((o, err) -> {
            try {
                if (err != null || o.kind() == Outcome.Kind.UNAVAILABLE) {
                    reply(st, req, Response.SERVER_INTERNAL_ERROR, "AAA Unavailable");
                } else if (o.kind() == Outcome.Kind.CHALLENGE) {
                    fw.replies().send(st, req, Response.PROXY_AUTHENTICATION_REQUIRED, null,
                            r -> digest.challenge(r, realm, o.stale()));
                } else if (o.kind() == Outcome.Kind.FORBIDDEN) {
                    reply(st, req, Response.FORBIDDEN, "Forbidden");
                } else if (o.kind() == Outcome.Kind.REFUSED) {
                    refusePrepaid(st, req, src, o.user(), o.refusal());
                } else if (!o.user().equalsIgnoreCase(router.aor(Headers.from(req).getAddress().getURI()))) {
                    reply(st, req, Response.FORBIDDEN, "Forbidden - From is not you");
                } else {
                    req.removeHeader("Proxy-Authorization");
                    long prepaidSeconds = call == null ? -1 : o.verdict().prepaidSeconds();
                    PrepaidCall prepaid = prepaidSeconds < 0 ? null
                            : new PrepaidCall(o.user(), o.check(), call, prepaidSeconds, o.verdict().renewable());
                    // a prepaid grant's Session-Timeout is the grant, not the longest the call may last
                    checkGroupsAndRoute(st, req, src, o.user(), true,
                            router.route(req.getRequestURI(), fw.sip().addresses()),
                            prepaid == null ? o.sessionTimeout() : 0, prepaid);
                }
            } catch (Exception e) {
                log.warn("{} after auth failed: {}", req.getMethod(), e.toString(), e);
                reply(st, req, Response.SERVER_INTERNAL_ERROR, null);
            }
        });
    }

    /**
     * {@code sessionTimeout}: the caller's Access-Accept's, in seconds (0: none, or not authenticated);
     * {@code prepaid}: the call's prepaid grant, or null.
     */
    private void checkGroupsAndRoute(ServerTransaction st, Request req, Source src, String user, boolean checkGroups,
                                     Decision d, long sessionTimeout, PrepaidCall prepaid) {
        String group = null;
        String refusal = null;
        // as the tutorial's radius_is_user_in for whatever it relays: every method that leaves the domain
        if (checkGroups && d instanceof Decision.Pstn) {
            group = "pstn";
            refusal = "Forbidden PSTN";
        } else if (checkGroups && !(d instanceof Decision.Local && req.getHeader(RouteHeader.NAME) == null)) {
            group = "voip";
            refusal = "Forbidden VoIP";
        }
        if (group == null) {
            forward(st, req, src, user, d, sessionTimeout, prepaid);
            return;
        }
        String why = refusal;
        authority.isMember(user, group).whenComplete((ok, err) -> {
            try {
                if (err != null) {
                    refuse(st, req, src, user, prepaid, Response.SERVER_INTERNAL_ERROR, "AAA Unavailable");
                } else if (!ok) {
                    refuse(st, req, src, user, prepaid, Response.FORBIDDEN, why);
                } else {
                    forward(st, req, src, user, d, sessionTimeout, prepaid);
                }
            } catch (Exception e) {
                log.warn("routing failed: {}", e.toString(), e);
                reply(st, req, Response.SERVER_INTERNAL_ERROR, null);
            }
        });
    }

    /** A refusal after the call was granted prepaid money: the Failed record releases it at once. */
    private void refuse(ServerTransaction st, Request req, Source src, String user, PrepaidCall prepaid, int code,
                        String reason) {
        reply(st, req, code, reason);
        if (prepaid != null) {
            calls.refused(calls.leg(req, src, user), code, reason);
        }
    }

    private void forward(ServerTransaction st, Request req, Source src, String user, Decision d, long sessionTimeout,
                         PrepaidCall prepaid) {
        boolean invite = req.getMethod().equals(Request.INVITE);
        if (invite) {
            long minSe = fw.sessionTimers().tooSmall(req);
            if (minSe > 0) {
                fw.replies().send(st, req, 422, "Session Interval Too Small",
                        r -> fw.replies().addHeader(r, "Min-SE", Long.toString(minSe)));
                if (prepaid != null) {
                    calls.refused(calls.leg(req, src, user), 422, "Session Interval Too Small");
                }
                return;
            }
        }
        CallLeg leg = invite ? calls.leg(req, src, user) : null;
        if (d instanceof Decision.Local l && l.contacts().isEmpty()) {
            reply(st, req, Response.NOT_FOUND, "Not Found");
            if (invite) {
                calls.refused(leg, Response.NOT_FOUND, "Not Found");
            }
            return;
        }
        boolean relayed = false;
        boolean behindNat = Nat.behind(req, src) || d instanceof Decision.Local l && !l.behindNat().isEmpty();
        if (invite && fw.media().wanted(d instanceof Decision.Pstn p ? p.media() : null, behindNat)) {
            // before any branch: every branch gets the relay's SDP
            MediaRelay.Offered o = fw.media().offer(req);
            if (o == MediaRelay.Offered.UNAVAILABLE && fw.media().refusesUnavailable()) {
                fw.metrics().refused("media_relay");
                reply(st, req, Response.SERVICE_UNAVAILABLE, "Media Relay Unavailable");
                calls.refused(leg, Response.SERVICE_UNAVAILABLE, "Media Relay Unavailable");
                return;
            }
            relayed = o == MediaRelay.Offered.RELAYED;
        }
        if (invite && !limits.admit(leg.userName())) {
            // counted from the INVITE: calls still ringing count, so a burst cannot get past the limit
            fw.metrics().refused("call_limit");
            reply(st, req, Response.BUSY_HERE, "Busy Here - call limit reached");
            calls.refused(leg, Response.BUSY_HERE, "Busy Here - call limit reached");
            return;
        }
        // the longest the call may last once answered: the caller's Session-Timeout, else the proxy's default
        long maxSeconds = sessionTimeout > 0 ? sessionTimeout : fw.settings().maxCallDuration().toSeconds();
        ProxiedRequest pr = invite ? ProxiedRequest.call(fw, calls, st, req, src, leg, maxSeconds, prepaid)
                : ProxiedRequest.initial(fw, calls, st, req, src, !req.getMethod().equals(Request.REGISTER));
        if (relayed) {
            pr.relayed();
        }
        fw.pending().track(pr);
        if (d instanceof Decision.Local l) {
            pr.reachAt(l.behindNat());
            pr.start(l.contacts(), List.of());
        } else if (d instanceof Decision.Pstn p) {
            pr.start(List.of(), p.gateways());
        } else {
            pr.start(List.of(((Decision.Foreign) d).target()), List.of());
        }
    }

    private void reply(ServerTransaction st, Request req, int code, String reason) {
        fw.replies().send(st, req, code, reason, null);
    }
}
