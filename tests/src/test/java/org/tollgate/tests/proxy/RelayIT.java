package org.tollgate.tests.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tollgate.tests.support.RawSip;
import org.tollgate.tests.support.Sipp;
import org.tollgate.tests.support.TollgateInstance;

/**
 * The proxy is no open relay, for every method, in and out of dialog: an untrusted source may
 * reach another domain or the PSTN only as a local user who authenticated; an in-dialog request
 * needs the proxy's Route with the token the proxy put in its Record-Route (or a dialog the proxy
 * tracks; a re-INVITE always needs the tracked dialog). Driven with hand-written SIP over UDP: a
 * "foreign" socket stands for any host outside the proxy's domains and records what reaches it.
 */
class RelayIT {

    static final String DOMAIN = "tollgate.test";
    static final String TRUSTED = "127.0.0.2";
    static final Duration ANSWER = Duration.ofSeconds(3);
    static final List<String> METHODS = List.of("INVITE", "MESSAGE", "SUBSCRIBE", "NOTIFY", "INFO", "PUBLISH",
            "OPTIONS", "REFER", "UPDATE", "BYE", "PRACK");
    static final List<String> NON_INVITE = METHODS.subList(1, METHODS.size());

    static TollgateInstance tollgate;
    static int sip;
    static RawSip phone101;

    RawSip foreign;
    RawSip client;

    @BeforeAll
    static void start() {
        tollgate = new TollgateInstance(
                "tollgate.roles=aaa,proxy,api",
                "tollgate.proxy.domains=" + DOMAIN,
                "tollgate.proxy.radius.secret=testing123",
                "tollgate.proxy.trusted=" + TRUSTED,
                "tollgate.proxy.pstn-routes[0].pattern=00[1-9][0-9]+",
                "tollgate.proxy.pstn-routes[0].gateways[0]=127.0.0.1:" + Sipp.freeUdpPort());
        sip = tollgate.sipPort();
        assertThat(tollgate.cli("user", "add", "--name", "101", "--realm", DOMAIN, "--password", "secret101",
                "--group", "voip", "--group", "pstn")).isZero();
        // in no group: may reach local users only
        assertThat(tollgate.cli("user", "add", "--name", "102", "--realm", DOMAIN, "--password", "secret102")).isZero();
        assertThat(tollgate.cli("user", "add", "--name", "103", "--realm", DOMAIN, "--password", "secret103",
                "--group", "voip", "--group", "pstn", "--group", "suspended")).isZero();
        phone101 = new RawSip();
        Sipp.Result reg = Sipp.scenario("register.xml").remote("127.0.0.1", sip).localIp("127.0.0.1").service("101")
                .calls(1).auth("101", "secret101").set("domain", DOMAIN)
                .set("contact", "sip:101@" + phone101.hostPort()).set("expires", "300")
                .timeoutSeconds(20).timeoutError(true).run(Duration.ofSeconds(30));
        assertThat(reg.succeeded()).as(reg.describe()).isTrue();
    }

    @AfterAll
    static void stop() {
        if (phone101 != null) {
            phone101.close();
        }
        if (tollgate != null) {
            tollgate.close();
        }
    }

    @BeforeEach
    void sockets() {
        foreign = new RawSip();
        client = new RawSip();
        phone101.drain(Duration.ZERO);
    }

    @AfterEach
    void close() {
        foreign.close();
        client.close();
    }

    // ---- requests ----

    /** An out-of-dialog or in-dialog request from {@code client}; {@code toTag} null for out of dialog. */
    static String request(RawSip from, String method, String ruri, String fromUri, String fromTag, String toUri,
                          String toTag, String callId, int cseq, String... extra) {
        StringBuilder b = new StringBuilder();
        b.append(method).append(' ').append(ruri).append(" SIP/2.0\r\n");
        b.append(from.via()).append("\r\n");
        for (String e : extra) {
            b.append(e).append("\r\n");
        }
        b.append("From: <").append(fromUri).append(">;tag=").append(fromTag).append("\r\n");
        b.append("To: <").append(toUri).append('>').append(toTag == null ? "" : ";tag=" + toTag).append("\r\n");
        b.append("Call-ID: ").append(callId).append("\r\n");
        b.append("CSeq: ").append(cseq).append(' ').append(method).append("\r\n");
        b.append("Max-Forwards: 70\r\n");
        b.append("Contact: <sip:peer@").append(from.hostPort()).append(">\r\n");
        if (method.equals("SUBSCRIBE") || method.equals("NOTIFY") || method.equals("PUBLISH")) {
            b.append("Event: presence\r\n");
        }
        if (method.equals("NOTIFY")) {
            b.append("Subscription-State: active;expires=60\r\n");
        }
        if (method.equals("REFER")) {
            b.append("Refer-To: <sip:carol@example.org>\r\n");
        }
        b.append("Content-Length: 0\r\n\r\n");
        return b.toString();
    }

    static String callId() {
        return UUID.randomUUID() + "@relay";
    }

    /** Sends an out-of-dialog request and returns the status line of its final answer. */
    String outOfDialog(String method, String ruri, String fromUri, String... extra) {
        String cid = callId();
        client.send(request(client, method, ruri, fromUri, "f" + System.nanoTime(), ruri, null, cid, 1, extra), sip);
        return RawSip.statusLine(client.finalResponse(cid, ANSWER));
    }

    String foreignUri(String user) {
        return "sip:" + user + "@" + foreign.hostPort();
    }

    String proxyRoute(String params) {
        return "Route: <sip:127.0.0.1:" + sip + ";lr" + params + ">";
    }

    // ---- out of dialog ----

    @Test
    void anonymousRequestsToAnotherDomainOrThePstnAreRefusedForEveryMethod() {
        Map<String, String> toForeign = new LinkedHashMap<>();
        Map<String, String> toPstn = new LinkedHashMap<>();
        Map<String, String> preloaded = new LinkedHashMap<>();
        for (String m : METHODS) {
            toForeign.put(m, outOfDialog(m, foreignUri("bob"), "sip:mallory@example.net"));
            toPstn.put(m, outOfDialog(m, "sip:0049301110001@" + DOMAIN, "sip:mallory@example.net"));
            // a local Request-URI with a Route to elsewhere would go elsewhere
            preloaded.put(m, outOfDialog(m, "sip:101@" + DOMAIN, "sip:mallory@example.net",
                    "Route: <sip:" + foreign.hostPort() + ";lr>"));
        }
        assertThat(toForeign).allSatisfy((m, s) -> assertThat(s).as(m).isEqualTo("403 Relaying denied"));
        assertThat(toPstn).allSatisfy((m, s) -> assertThat(s).as(m).isEqualTo("403 Relaying denied"));
        assertThat(preloaded).allSatisfy((m, s) -> assertThat(s).as(m).isEqualTo("403 Relaying denied"));
        // an ACK is never answered: it must not get through either
        client.send(request(client, "ACK", foreignUri("bob"), "sip:mallory@example.net", "f1", foreignUri("bob"),
                null, callId(), 1), sip);
        assertThat(foreign.drain(Duration.ofMillis(500))).as("what reached the other domain").isEmpty();
        assertThat(phone101.drain(Duration.ZERO)).isEmpty();
    }

    @Test
    void aLocalUserMustAuthenticateToReachAnotherDomainThenIsRelayed() {
        for (String m : NON_INVITE) {
            String cid = callId();
            String ruri = foreignUri("bob");
            String from = "sip:101@" + DOMAIN;
            client.send(request(client, m, ruri, from, "t" + m, ruri, null, cid, 1), sip);
            String challenge = client.finalResponse(cid, ANSWER);
            assertThat(RawSip.statusLine(challenge)).as(m).startsWith("407");
            assertThat(foreign.drain(Duration.ofMillis(200))).as(m + " before authenticating").isEmpty();

            client.send(request(client, m, ruri, from, "t" + m, ruri, null, cid, 2,
                    RawSip.digest(challenge, "101", "secret101", m, ruri)), sip);
            String relayed = foreign.receive(ANSWER);
            assertThat(RawSip.method(relayed)).as(m + " relayed after authenticating").isEqualTo(m);
            assertThat(RawSip.header(relayed, "Proxy-Authorization")).as("credentials consumed").isNull();
            foreign.send(RawSip.response(relayed, 200, "OK", "b" + m), sip);
            assertThat(RawSip.statusLine(client.finalResponse(cid, ANSWER))).as(m).isEqualTo("200 OK");
        }
        // the wrong password relays nothing
        String cid = callId();
        String ruri = foreignUri("bob");
        client.send(request(client, "MESSAGE", ruri, "sip:101@" + DOMAIN, "w1", ruri, null, cid, 1), sip);
        String challenge = client.finalResponse(cid, ANSWER);
        client.send(request(client, "MESSAGE", ruri, "sip:101@" + DOMAIN, "w1", ruri, null, cid, 2,
                RawSip.digest(challenge, "101", "wrong", "MESSAGE", ruri)), sip);
        assertThat(RawSip.statusLine(client.finalResponse(cid, ANSWER))).startsWith("403");
        assertThat(foreign.drain(Duration.ofMillis(300))).isEmpty();
    }

    /** A request from local user {@code user}, answered with its password when challenged: the final status line. */
    String authenticated(String user, String method, String ruri) {
        String cid = callId();
        String from = "sip:" + user + "@" + DOMAIN;
        client.send(request(client, method, ruri, from, "u" + method, ruri, null, cid, 1), sip);
        String first = client.finalResponse(cid, ANSWER);
        if (RawSip.status(first) != 407) {
            return RawSip.statusLine(first);
        }
        client.send(request(client, method, ruri, from, "u" + method, ruri, null, cid, 2,
                RawSip.digest(first, user, "secret" + user, method, ruri)), sip);
        return RawSip.statusLine(client.finalResponse(cid, ANSWER));
    }

    @Test
    void theGroupChecksApplyToEveryMethodThatLeavesTheDomain() {
        Map<String, String> toForeign = new LinkedHashMap<>();
        Map<String, String> toPstn = new LinkedHashMap<>();
        Map<String, String> preloaded = new LinkedHashMap<>();
        for (String m : METHODS) {
            toForeign.put(m, authenticated("102", m, foreignUri("bob")));
            toPstn.put(m, authenticated("102", m, "sip:0049301110001@" + DOMAIN));
        }
        // a Route after ours sends a request for a local user elsewhere: it leaves the domain too
        String cid = callId();
        String ruri = "sip:101@" + DOMAIN;
        String route = "Route: <sip:" + foreign.hostPort() + ";lr>";
        client.send(request(client, "MESSAGE", ruri, "sip:102@" + DOMAIN, "r1", ruri, null, cid, 1, route), sip);
        String challenge = client.finalResponse(cid, ANSWER);
        client.send(request(client, "MESSAGE", ruri, "sip:102@" + DOMAIN, "r1", ruri, null, cid, 2, route,
                RawSip.digest(challenge, "102", "secret102", "MESSAGE", ruri)), sip);
        preloaded.put("MESSAGE", RawSip.statusLine(client.finalResponse(cid, ANSWER)));

        assertThat(toForeign).allSatisfy((m, st) -> assertThat(st).as(m).isEqualTo("403 Forbidden VoIP"));
        assertThat(toPstn).allSatisfy((m, st) -> assertThat(st).as(m).isEqualTo("403 Forbidden PSTN"));
        assertThat(preloaded).allSatisfy((m, st) -> assertThat(st).as(m).isEqualTo("403 Forbidden VoIP"));
        assertThat(foreign.drain(Duration.ofMillis(300))).as("what reached the other domain").isEmpty();
        // and within the domain a user in no group is served
        String local = callId();
        client.send(request(client, "MESSAGE", ruri, "sip:102@" + DOMAIN, "l1", ruri, null, local, 1), sip);
        String got = phone101.receive(ANSWER);
        assertThat(RawSip.method(got)).isEqualTo("MESSAGE");
        phone101.send(RawSip.response(got, 200, "OK", "p102"), sip);
        assertThat(RawSip.statusLine(client.finalResponse(local, ANSWER))).isEqualTo("200 OK");
    }

    @Test
    void aSuspendedUserIsRefusedWhateverTheMethod() {
        Map<String, String> toLocal = new LinkedHashMap<>();
        Map<String, String> toForeign = new LinkedHashMap<>();
        for (String m : METHODS) {
            toLocal.put(m, authenticated("103", m, "sip:101@" + DOMAIN));
            toForeign.put(m, authenticated("103", m, foreignUri("bob")));
        }
        toLocal.put("REGISTER", authenticated("103", "REGISTER", "sip:" + DOMAIN));
        assertThat(toLocal).allSatisfy((m, st) -> assertThat(st).as(m).isEqualTo("403 Forbidden - suspended"));
        assertThat(toForeign).allSatisfy((m, st) -> assertThat(st).as(m).isEqualTo("403 Forbidden - suspended"));
        assertThat(phone101.drain(Duration.ofMillis(300))).as("what reached 101").isEmpty();
        assertThat(foreign.drain(Duration.ZERO)).isEmpty();
    }

    @Test
    void anyoneReachesALocalUser() {
        for (String m : NON_INVITE) {
            String cid = callId();
            String ruri = "sip:101@" + DOMAIN;
            client.send(request(client, m, ruri, "sip:alice@example.net", "a" + m, ruri, null, cid, 1), sip);
            String got = phone101.receive(ANSWER);
            assertThat(RawSip.method(got)).as(m).isEqualTo(m);
            phone101.send(RawSip.response(got, 200, "OK", "p" + m), sip);
            assertThat(RawSip.statusLine(client.finalResponse(cid, ANSWER))).as(m).isEqualTo("200 OK");
        }
    }

    @Test
    void aTrustedSourceIsRelayedAsBefore() {
        try (RawSip gateway = new RawSip(TRUSTED)) {
            String cid = callId();
            String ruri = foreignUri("bob");
            gateway.send(request(gateway, "SUBSCRIBE", ruri, "sip:gw@example.net", "g1", ruri, null, cid, 1), sip);
            String relayed = foreign.receive(ANSWER);
            assertThat(RawSip.method(relayed)).isEqualTo("SUBSCRIBE");
            foreign.send(RawSip.response(relayed, 200, "OK", "b1"), sip);
            assertThat(RawSip.statusLine(gateway.finalResponse(cid, ANSWER))).isEqualTo("200 OK");
            // in dialog too, without any token
            String cid2 = callId();
            gateway.send(request(gateway, "INFO", ruri, "sip:gw@example.net", "g2", ruri, "x2", cid2, 2,
                    proxyRoute("")), sip);
            String info = foreign.receive(ANSWER);
            assertThat(RawSip.method(info)).isEqualTo("INFO");
            foreign.send(RawSip.response(info, 200, "OK", null), sip);
            assertThat(RawSip.statusLine(gateway.finalResponse(cid2, ANSWER))).isEqualTo("200 OK");
        }
    }

    // ---- in dialog ----

    @Test
    void inDialogRequestsWithoutTheProxysTokenAreRefusedForEveryMethod() {
        String legitToken = subscriptionThroughTheProxy().token;
        Map<String, String> noToken = new LinkedHashMap<>();
        Map<String, String> forged = new LinkedHashMap<>();
        Map<String, String> otherCall = new LinkedHashMap<>();
        Map<String, String> noRoute = new LinkedHashMap<>();
        for (String m : METHODS) {
            noToken.put(m, inDialog(m, callId(), proxyRoute("")));
            forged.put(m, inDialog(m, callId(), proxyRoute(";tgd=AAAAAAAAAAAAAAAAAAAAAA")));
            // a real token, of another dialog
            otherCall.put(m, inDialog(m, callId(), proxyRoute(";tgd=" + legitToken)));
            noRoute.put(m, inDialog(m, callId()));
        }
        assertThat(noToken).allSatisfy((m, s) -> assertThat(s).as(m).startsWith("481 "));
        assertThat(forged).allSatisfy((m, s) -> assertThat(s).as(m).startsWith("481 "));
        assertThat(otherCall).allSatisfy((m, s) -> assertThat(s).as(m).startsWith("481 "));
        assertThat(noRoute).allSatisfy((m, s) -> assertThat(s).as(m).startsWith("481 "));
        client.send(request(client, "ACK", foreignUri("bob"), "sip:mallory@example.net", "f1", foreignUri("bob"),
                "made-up", callId(), 1, proxyRoute("")), sip);
        assertThat(foreign.drain(Duration.ofMillis(500))).as("what reached the other domain").isEmpty();
    }

    String inDialog(String method, String cid, String... route) {
        String ruri = foreignUri("bob");
        client.send(request(client, method, ruri, "sip:mallory@example.net", "f" + System.nanoTime(), ruri,
                "made-up", cid, 2, route), sip);
        return RawSip.statusLine(client.finalResponse(cid, ANSWER));
    }

    /** A subscription set up through the proxy: the watcher (client, another domain) and 101's phone. */
    record Subscription(String callId, String watcherTag, String phoneTag, String route, String token) { }

    Subscription subscriptionThroughTheProxy() {
        String cid = callId();
        String ruri = "sip:101@" + DOMAIN;
        client.send(request(client, "SUBSCRIBE", ruri, "sip:watcher@example.net", "w1", ruri, null, cid, 1), sip);
        String sub = phone101.receive(ANSWER);
        assertThat(RawSip.method(sub)).isEqualTo("SUBSCRIBE");
        String rr = RawSip.header(sub, "Record-Route");
        assertThat(rr).contains(";tgd=");
        phone101.send(RawSip.response(sub, 200, "OK", "p1", "Contact: <sip:101@" + phone101.hostPort() + ">",
                "Expires: 60"), sip);
        String ok = client.finalResponse(cid, ANSWER);
        assertThat(RawSip.statusLine(ok)).isEqualTo("200 OK");
        assertThat(RawSip.header(ok, "Record-Route")).isEqualTo(rr);
        String token = rr.substring(rr.indexOf(";tgd=") + 5).replaceAll("[;>].*", "");
        return new Subscription(cid, "w1", "p1", "Route: " + rr, token);
    }

    @Test
    void aSubscriptionSetUpThroughTheProxyKeepsWorkingInBothDirections() {
        Subscription s = subscriptionThroughTheProxy();
        // the notifier (101) notifies the watcher, in another domain: its token is that of the SUBSCRIBE
        String watcher = "sip:peer@" + client.hostPort();
        phone101.send(request(phone101, "NOTIFY", watcher, "sip:101@" + DOMAIN, s.phoneTag(),
                "sip:watcher@example.net", s.watcherTag(), s.callId(), 1, s.route()), sip);
        String notify = client.receive(ANSWER);
        assertThat(RawSip.method(notify)).isEqualTo("NOTIFY");
        client.send(RawSip.response(notify, 200, "OK", null), sip);
        assertThat(RawSip.statusLine(phone101.finalResponse(s.callId(), ANSWER))).isEqualTo("200 OK");

        // and the watcher sends any in-dialog request to 101
        int cseq = 2;
        for (String m : NON_INVITE) {
            client.send(request(client, m, "sip:101@" + phone101.hostPort(), "sip:watcher@example.net",
                    s.watcherTag(), "sip:101@" + DOMAIN, s.phoneTag(), s.callId(), cseq++, s.route()), sip);
            String got = phone101.receive(ANSWER);
            assertThat(RawSip.method(got)).as(m).isEqualTo(m);
            phone101.send(RawSip.response(got, 200, "OK", null), sip);
            assertThat(RawSip.statusLine(client.finalResponse(s.callId(), ANSWER))).as(m).isEqualTo("200 OK");
        }
        // a re-INVITE needs a call the proxy tracks, token or not (toll fraud)
        client.send(request(client, "INVITE", "sip:101@" + phone101.hostPort(), "sip:watcher@example.net",
                s.watcherTag(), "sip:101@" + DOMAIN, s.phoneTag(), s.callId(), cseq, s.route()), sip);
        assertThat(RawSip.statusLine(client.finalResponse(s.callId(), ANSWER))).startsWith("481 ");
    }

    @Test
    void aValidTokenTakesAnAnonymousPartyToLocalUsersOnly() {
        // anyone gets a token: subscribe to a local phone, read the Record-Route of its 200
        Subscription s = subscriptionThroughTheProxy();
        Map<String, String> elsewhere = new LinkedHashMap<>();
        Map<String, String> routedElsewhere = new LinkedHashMap<>();
        Map<String, String> asTheNotifier = new LinkedHashMap<>();
        int cseq = 10;
        for (String m : NON_INVITE) {
            client.send(request(client, m, foreignUri("victim"), "sip:watcher@example.net", s.watcherTag(),
                    "sip:101@" + DOMAIN, s.phoneTag(), s.callId(), cseq++, s.route()), sip);
            elsewhere.put(m, RawSip.statusLine(client.finalResponse(s.callId(), ANSWER)));
            // a local Request-URI, and a Route after the proxy's that points elsewhere
            client.send(request(client, m, "sip:101@" + phone101.hostPort(), "sip:watcher@example.net", s.watcherTag(),
                    "sip:101@" + DOMAIN, s.phoneTag(), s.callId(), cseq++, s.route(),
                    "Route: <sip:" + foreign.hostPort() + ";lr>"), sip);
            routedElsewhere.put(m, RawSip.statusLine(client.finalResponse(s.callId(), ANSWER)));
            // the phone's tag is no secret to the watcher: posing as the phone does not help
            client.send(request(client, m, foreignUri("victim"), "sip:101@" + DOMAIN, s.phoneTag(),
                    "sip:watcher@example.net", s.watcherTag(), s.callId(), cseq++, s.route()), sip);
            asTheNotifier.put(m, RawSip.statusLine(client.finalResponse(s.callId(), ANSWER)));
        }
        assertThat(elsewhere).allSatisfy((m, st) -> assertThat(st).as(m).isEqualTo("403 Relaying denied"));
        assertThat(routedElsewhere).allSatisfy((m, st) -> assertThat(st).as(m).isEqualTo("403 Relaying denied"));
        assertThat(asTheNotifier).allSatisfy((m, st) -> assertThat(st).as(m).isEqualTo("403 Relaying denied"));
        client.send(request(client, "ACK", foreignUri("victim"), "sip:watcher@example.net", s.watcherTag(),
                "sip:101@" + DOMAIN, s.phoneTag(), s.callId(), cseq, s.route()), sip);
        assertThat(foreign.drain(Duration.ofMillis(500))).as("what reached the other domain").isEmpty();
        assertThat(phone101.drain(Duration.ZERO)).isEmpty();
    }

    @Test
    void aCallToALocalPhoneIsNoLicenceToRelayEither() {
        // an anonymous caller whose Contact names the host it wants to reach
        String cid = callId();
        String ruri = "sip:101@" + DOMAIN;
        client.send(request(client, "INVITE", ruri, "sip:mallory@example.net", "m1", ruri, null, cid, 1)
                .replace("Contact: <sip:peer@" + client.hostPort() + ">", "Contact: <sip:victim@" + foreign.hostPort() + ">"),
                sip);
        String invite = phone101.receive(ANSWER);
        assertThat(RawSip.method(invite)).isEqualTo("INVITE");
        phone101.send(RawSip.response(invite, 200, "OK", "p1", "Contact: <sip:101@" + phone101.hostPort() + ">"), sip);
        String ok = client.finalResponse(cid, ANSWER);
        assertThat(RawSip.statusLine(ok)).isEqualTo("200 OK");
        String route = "Route: " + RawSip.header(ok, "Record-Route");
        client.send(request(client, "ACK", "sip:101@" + phone101.hostPort(), "sip:mallory@example.net", "m1", ruri,
                "p1", cid, 1, route), sip);
        assertThat(RawSip.method(phone101.receive(ANSWER))).isEqualTo("ACK");

        Map<String, String> refused = new LinkedHashMap<>();
        int cseq = 2;
        for (String m : List.of("MESSAGE", "INFO", "NOTIFY", "REFER")) {
            // as the caller, to anywhere but the callee
            client.send(request(client, m, foreignUri("victim"), "sip:mallory@example.net", "m1", ruri, "p1", cid,
                    cseq++, route), sip);
            refused.put(m + " as caller", RawSip.statusLine(client.finalResponse(cid, ANSWER)));
            // posing as the callee, to the caller's contact (which the caller wrote)
            client.send(request(client, m, "sip:victim@" + foreign.hostPort(), ruri, "p1", "sip:mallory@example.net",
                    "m1", cid, cseq++, route), sip);
            refused.put(m + " as callee", RawSip.statusLine(client.finalResponse(cid, ANSWER)));
        }
        assertThat(refused).allSatisfy((m, st) -> assertThat(st).as(m).isEqualTo("403 Relaying denied"));
        assertThat(foreign.drain(Duration.ofMillis(500))).as("what reached the other host").isEmpty();

        // the call itself goes on: the caller hangs up through the proxy
        client.send(request(client, "BYE", "sip:101@" + phone101.hostPort(), "sip:mallory@example.net", "m1", ruri,
                "p1", cid, cseq, route), sip);
        String bye = phone101.receive(ANSWER);
        assertThat(RawSip.method(bye)).isEqualTo("BYE");
        phone101.send(RawSip.response(bye, 200, "OK", null), sip);
        assertThat(RawSip.statusLine(client.finalResponse(cid, ANSWER))).isEqualTo("200 OK");
    }

    @Test
    void aLocalUsersCallThroughAnotherRecordRoutingProxyIsHungUpFromEitherSide() {
        // 101 calls from an address it never registered from; the other domain's proxy record-routes
        String cid = callId();
        String ruri = "sip:bob@example.org";
        String bobContact = "sip:bob@127.0.0.1:9";
        String from = "sip:101@" + DOMAIN;
        String target = foreignUri("bob");
        client.send(request(client, "INVITE", target, from, "c1", ruri, null, cid, 1), sip);
        String challenge = client.finalResponse(cid, ANSWER);
        client.send(request(client, "INVITE", target, from, "c1", ruri, null, cid, 2,
                RawSip.digest(challenge, "101", "secret101", "INVITE", target)), sip);
        String invite = foreign.receive(ANSWER);
        assertThat(RawSip.method(invite)).isEqualTo("INVITE");
        String otherProxy = "Record-Route: <sip:" + foreign.hostPort() + ";lr>";
        foreign.send(RawSip.response(invite, 200, "OK", "b1", "Contact: <" + bobContact + ">")
                .replaceFirst("Record-Route: ", otherProxy + "\r\nRecord-Route: "), sip);
        String ok = client.finalResponse(cid, ANSWER);
        assertThat(RawSip.statusLine(ok)).isEqualTo("200 OK");
        // the caller's route set: the 2xx's Record-Route reversed
        List<String> recorded = new ArrayList<>();
        for (String h : RawSip.headers(ok, "Record-Route")) {
            recorded.addAll(List.of(h.split("\\s*,\\s*(?=<)")));
        }
        Collections.reverse(recorded);
        String callerRoute = "Route: " + String.join(", ", recorded);
        client.send(request(client, "ACK", bobContact, from, "c1", ruri, "b1", cid, 2, callerRoute), sip);
        assertThat(RawSip.method(foreign.receive(ANSWER))).as("the ACK to the other proxy").isEqualTo("ACK");

        // the other side reaches 101 at the contact of its INVITE, through the proxy's entry of the route
        String ours = "Route: " + recorded.get(0);
        foreign.send(request(foreign, "INFO", "sip:peer@" + client.hostPort(), "sip:bob@example.org", "b1", from, "c1",
                cid, 1, ours), sip);
        String info = client.receive(ANSWER);
        assertThat(RawSip.method(info)).isEqualTo("INFO");
        client.send(RawSip.response(info, 200, "OK", null), sip);
        assertThat(RawSip.statusLine(foreign.finalResponse(cid, ANSWER))).isEqualTo("200 OK");

        // a hang-up from 101 goes to the other proxy, the next hop its side recorded
        client.send(request(client, "BYE", bobContact, from, "c1", ruri, "b1", cid, 3, callerRoute), sip);
        String bye = foreign.receive(ANSWER);
        assertThat(RawSip.method(bye)).isEqualTo("BYE");
        foreign.send(RawSip.response(bye, 200, "OK", null), sip);
        assertThat(RawSip.statusLine(client.finalResponse(cid, ANSWER))).isEqualTo("200 OK");
    }

    @Test
    void theTokenSurvivesARestartOfTheProxy() {
        Subscription s = subscriptionThroughTheProxy();
        String stored = tollgate.jdbc().queryForObject(
                "SELECT encode(key, 'hex') FROM sip_proxy_key WHERE name = 'dialog-token'", String.class);
        assertThat(stored).hasSize(64);
        // another instance on the same database (as after a restart, or a second proxy) honours the token
        try (TollgateInstance second = TollgateInstance.onSharedDatabase(tollgate,
                "tollgate.roles=proxy", "tollgate.proxy.domains=" + DOMAIN,
                "tollgate.proxy.radius.secret=testing123",
                "tollgate.proxy.radius.auth-servers=127.0.0.1:" + tollgate.authPort(),
                "tollgate.proxy.radius.acct-servers=127.0.0.1:" + tollgate.acctPort())) {
            String route = s.route().replace(":" + sip + ";", ":" + second.sipPort() + ";");
            client.send(request(client, "INFO", "sip:101@" + phone101.hostPort(), "sip:watcher@example.net",
                    s.watcherTag(), "sip:101@" + DOMAIN, s.phoneTag(), s.callId(), 5, route), second.sipPort());
            String got = phone101.receive(ANSWER);
            assertThat(RawSip.method(got)).isEqualTo("INFO");
            phone101.send(RawSip.response(got, 200, "OK", null), second.sipPort());
            assertThat(RawSip.statusLine(client.finalResponse(s.callId(), ANSWER))).isEqualTo("200 OK");
        }
    }
}
