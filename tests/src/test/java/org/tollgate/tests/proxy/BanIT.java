package org.tollgate.tests.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.tollgate.proxy.SipProxyServer;
import org.tollgate.tests.support.RawSip;
import org.tollgate.tests.support.Sipp;
import org.tollgate.tests.support.TollgateInstance;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * Floods and brute force get banned, as pike + ipban + fail2ban would: a SIPp flood from one
 * loopback address is banned while 127.0.0.1 keeps registering and calling; wrong passwords ban
 * their source and lock the user; a trusted gateway flooding is never banned; each ban is one
 * fail2ban-matchable line; {@code tollgate bans} lists and lifts them and the proxy serves the
 * address again.
 */
class BanIT {

    static final String DOMAIN = "tollgate.test";
    static final String TRUSTED = "127.0.0.5";
    /** README's fail2ban failregex, with fail2ban's {@code <HOST>} as a group. */
    static final Pattern FAIL2BAN = Pattern.compile("tollgate ban: source=(?<host>\\S+) user=\\S+ reason=\\S+");
    static final Duration ANSWER = Duration.ofSeconds(3);

    static TollgateInstance tollgate;
    static int sip;
    static ListAppender<ILoggingEvent> banLines;

    @BeforeAll
    static void start() {
        tollgate = new TollgateInstance(
                "tollgate.roles=aaa,proxy,api",
                "tollgate.proxy.domains=" + DOMAIN,
                "tollgate.proxy.radius.secret=testing123",
                "tollgate.proxy.trusted=" + TRUSTED,
                "tollgate.proxy.ban.flood-requests=60",
                "tollgate.proxy.ban.flood-window=1s",
                "tollgate.proxy.ban.time=5m",
                "tollgate.proxy.ban.auth-failures=5",
                "tollgate.proxy.ban.user-failures=3",
                "tollgate.proxy.ban.user-lock-time=5m");
        sip = tollgate.sipPort();
        for (String u : List.of("201", "202", "203", "204", "205")) {
            assertThat(tollgate.cli("user", "add", "--name", u, "--realm", DOMAIN, "--password", "secret" + u,
                    "--group", "voip")).isZero();
        }
        banLines = new ListAppender<>();
        banLines.start();
    }

    /**
     * A CLI command in this JVM starts a Spring context of its own, which resets the JVM's logging
     * (appenders and levels): the ban lines are watched again before each test, and read before
     * the test runs a command.
     */
    @BeforeEach
    void watchBanLines() {
        Logger bans = (Logger) LoggerFactory.getLogger("tollgate.ban");
        bans.setLevel(ch.qos.logback.classic.Level.INFO);
        bans.detachAppender(banLines);
        banLines.start(); // a reset also stops the appenders it detaches
        bans.addAppender(banLines);
    }

    @AfterAll
    static void stop() {
        if (banLines != null) {
            ((Logger) LoggerFactory.getLogger("tollgate.ban")).detachAppender(banLines);
        }
        if (tollgate != null) {
            tollgate.close();
        }
    }

    static List<String> banLinesFor(String source) {
        return banLines.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("tollgate ban: source=" + source + " ")).toList();
    }

    static boolean banned(String address) {
        return tollgate.bean(SipProxyServer.class).bans().banned(address);
    }

    /** An OPTIONS to the proxy from {@code ip}: the status, or -1 when nothing came back (dropped). */
    static int options(String ip) {
        try (RawSip s = new RawSip(ip)) {
            String cid = UUID.randomUUID() + "@ban";
            s.send("OPTIONS sip:127.0.0.1:" + sip + " SIP/2.0\r\n" + s.via() + "\r\nFrom: <sip:probe@example.net>;tag=1\r\n"
                    + "To: <sip:127.0.0.1:" + sip + ">\r\nCall-ID: " + cid + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
                    + "Content-Length: 0\r\n\r\n", sip);
            return RawSip.status(s.finalResponse(cid, Duration.ofMillis(1500)));
        }
    }

    static void register(String user, String password, int contactPort) {
        Sipp.Result reg = Sipp.scenario("register.xml").remote("127.0.0.1", sip).localIp("127.0.0.1").service(user)
                .calls(1).auth(user, password).set("domain", DOMAIN)
                .set("contact", "sip:" + user + "@127.0.0.1:" + contactPort).set("expires", "300")
                .timeoutSeconds(20).timeoutError(true).run(Duration.ofSeconds(30));
        assertThat(reg.succeeded()).as(reg.describe()).isTrue();
    }

    @Test
    void aFloodingAddressIsBannedWhileAnotherKeepsRegisteringAndCallingThenLiftedByTheCli() {
        String flooder = "127.0.0.2";
        assertThat(options(flooder)).isEqualTo(200);
        // 300 calls at 150/s, each an INVITE refused 403 and its ACK: far above 60 messages a second
        try (Sipp.Running flood = Sipp.scenario("uac-refused.xml").remote("127.0.0.1", sip).localIp(flooder)
                .service("0049301110001").set("domain", "example.net").calls(300).rate(150)
                .timeoutSeconds(15).timeoutError(false).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> banned(flooder));

            // meanwhile 127.0.0.1 registers and calls, authenticated, as usual
            int calleePort = Sipp.freeUdpPort();
            register("202", "secret202", calleePort);
            try (Sipp.Running callee = Sipp.scenario("uas.xml").localIp("127.0.0.1").localPort(calleePort).calls(1)
                    .timeoutSeconds(30).timeoutError(true).start()) {
                Sipp.Result call = Sipp.scenario("uac-auth.xml").remote("127.0.0.1", sip).localIp("127.0.0.1")
                        .service("202").set("domain", DOMAIN).set("caller", "201").auth("201", "secret201").calls(1)
                        .timeoutSeconds(20).timeoutError(true).run(Duration.ofSeconds(30));
                assertThat(call.succeeded()).as(call.describe()).isTrue();
                assertThat(callee.await(Duration.ofSeconds(20)).succeeded()).isTrue();
            }
            Sipp.Result flooded = flood.await(Duration.ofSeconds(30));
            assertThat(flooded.failedCalls()).as("calls of the banned flooder that got no answer").isPositive();
        }
        assertThat(options(flooder)).as("a banned source is dropped").isEqualTo(-1);
        assertThat(options("127.0.0.1")).isEqualTo(200);

        List<String> lines = banLinesFor(flooder);
        assertThat(lines).as("one line per ban").hasSize(1);
        assertThat(lines.get(0)).contains("reason=flood");
        java.util.regex.Matcher fail2ban = FAIL2BAN.matcher(lines.get(0));
        assertThat(fail2ban.find()).isTrue();
        assertThat(fail2ban.group("host")).isEqualTo(flooder);

        // written behind about once a second, listed by the CLI (a process of its own in real life)
        await().atMost(Duration.ofSeconds(5)).until(() -> tollgate.cliCaptured("bans", "list").out().contains(flooder));
        TollgateInstance.CliRun listed = tollgate.cliCaptured("bans", "list");
        assertThat(listed.rc()).isZero();
        assertThat(listed.out()).containsPattern("source\\s+" + Pattern.quote(flooder) + "\\s+" + Pattern.quote(flooder)
                + "\\s+flood").contains("1 ban(s)");

        TollgateInstance.CliRun lifted = tollgate.cliCaptured("bans", "lift", flooder);
        assertThat(lifted.rc()).as(lifted.err()).isZero();
        assertThat(lifted.out()).contains("lifted 1 ban(s) of " + flooder);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).until(() -> !banned(flooder));
        assertThat(options(flooder)).as("served again after the lift").isEqualTo(200);
        assertThat(tollgate.cliCaptured("bans", "lift", flooder).rc()).as("nothing left to lift").isEqualTo(1);
    }

    /** A REGISTER for {@code user} answered with {@code password}; returns the final status. */
    static int registerWith(RawSip s, String user, String password) {
        String cid = UUID.randomUUID() + "@ban";
        String ruri = "sip:" + DOMAIN;
        String base = "REGISTER " + ruri + " SIP/2.0\r\n%s\r\nFrom: <sip:" + user + "@" + DOMAIN + ">;tag=r1\r\n"
                + "To: <sip:" + user + "@" + DOMAIN + ">\r\nCall-ID: " + cid + "\r\nCSeq: %d REGISTER\r\n"
                + "Contact: <sip:" + user + "@" + s.hostPort() + ">\r\nExpires: 60\r\nMax-Forwards: 70\r\n%s"
                + "Content-Length: 0\r\n\r\n";
        s.send(String.format(base, s.via(), 1, ""), sip);
        String challenge = s.finalResponse(cid, ANSWER);
        if (RawSip.status(challenge) != 401) {
            return RawSip.status(challenge);
        }
        s.send(String.format(base, s.via(), 2, RawSip.digest(challenge, user, password, "REGISTER", ruri) + "\r\n"), sip);
        return RawSip.status(s.finalResponse(cid, ANSWER));
    }

    @Test
    void wrongPasswordsBanTheSourceAndLockTheUserUntilLifted() {
        String guesser = "127.0.0.3";
        try (RawSip s = new RawSip(guesser)) {
            for (int i = 0; i < 3; i++) {
                assertThat(registerWith(s, "203", "guess" + i)).as("guess " + i).isEqualTo(403);
            }
            // the third wrong answer locked 203: even its password is refused now, from anywhere
            try (RawSip owner = new RawSip("127.0.0.1")) {
                assertThat(registerWith(owner, "203", "secret203")).as("203 while locked").isEqualTo(403);
            }
            // refused for the lock, not counted: guessing on at 203 gets the guesser no closer to a ban
            assertThat(registerWith(s, "203", "guess3")).isEqualTo(403);
            assertThat(banned(guesser)).isFalse();
            assertThat(registerWith(s, "205", "guess4")).isEqualTo(403);
            assertThat(registerWith(s, "205", "guess5")).isEqualTo(403);
            // the fifth wrong answer from this source banned it: nothing is answered any more
            assertThat(banned(guesser)).isTrue();
            assertThat(registerWith(s, "203", "secret203")).isEqualTo(-1);
        }
        assertThat(banLinesFor(guesser)).hasSize(2)
                .anySatisfy(l -> assertThat(l).contains("user=203@" + DOMAIN, "reason=auth-failures", "kind=user"))
                .anySatisfy(l -> assertThat(l).contains("reason=auth-failures", "kind=source"))
                .allSatisfy(l -> assertThat(FAIL2BAN.matcher(l).find()).isTrue());

        await().atMost(Duration.ofSeconds(5)).until(() -> tollgate.cliCaptured("bans", "list").out().contains("203@"));
        TollgateInstance.CliRun lifted = tollgate.cliCaptured("bans", "lift", "--user", "203");
        assertThat(lifted.rc()).as(lifted.err()).isZero();
        // the proxies learn of the lift within about a second
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> !tollgate.bean(SipProxyServer.class).bans().locked("203@" + DOMAIN));
        try (RawSip owner = new RawSip("127.0.0.1")) {
            assertThat(registerWith(owner, "203", "secret203")).as("203 after the lift").isEqualTo(200);
        }
        assertThat(tollgate.cliCaptured("bans", "lift", guesser).rc()).isZero();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).until(() -> options(guesser) == 200);
    }

    @Test
    void aLockedUsersOwnPhoneIsNotBannedForTryingWhileLocked() {
        String phone = "127.0.0.6";
        try (RawSip guesser = new RawSip("127.0.0.7"); RawSip owner = new RawSip(phone)) {
            for (int i = 0; i < 3; i++) {
                assertThat(registerWith(guesser, "204", "guess" + i)).isEqualTo(403);
            }
            // the phone re-registers with its password more often than auth-failures: refused, never banned
            for (int i = 0; i < 7; i++) {
                assertThat(registerWith(owner, "204", "secret204")).as("re-REGISTER " + i + " while locked")
                        .isEqualTo(403);
            }
            assertThat(banned(phone)).isFalse();
            assertThat(banLinesFor(phone)).isEmpty();
            assertThat(options(phone)).isEqualTo(200);
        }
    }

    @Test
    void aTrustedGatewayFloodingIsNeverBanned() {
        Sipp.Result r = Sipp.scenario("uac-404.xml").remote("127.0.0.1", sip).localIp(TRUSTED).service("299")
                .set("domain", DOMAIN).calls(300).rate(150).timeoutSeconds(20).timeoutError(true)
                .run(Duration.ofSeconds(30));
        assertThat(r.succeeded()).as(r.describe()).isTrue();
        assertThat(banned(TRUSTED)).isFalse();
        assertThat(banLinesFor(TRUSTED)).isEmpty();
        assertThat(options(TRUSTED)).isEqualTo(200);
    }
}
