package org.tollgate.tests.diameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdiameter.api.PeerState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollgate.api.Money;
import org.tollgate.rating.CachedRatingService;
import org.tollgate.api.rating.Usage;
import org.tollgate.diameter.DiameterServer;
import org.tollgate.prepaid.account.PrepaidAccountIndex;
import org.tollgate.prepaid.account.PrepaidAccounts;
import org.tollgate.prepaid.ledger.EntryKind;
import org.tollgate.prepaid.ledger.JdbcLedger;
import org.tollgate.tests.support.FreeDiameter;
import org.tollgate.tests.support.Radclient;
import org.tollgate.tests.support.RatesFile;
import org.tollgate.tests.support.TollgateInstance;

/**
 * Credit-Control (RFC 4006) from a real client, freeDiameterd with tg_client, answered by the
 * prepaid engine: grants from the balance and the plan, Final-Unit-Indication on the last one, a
 * debit equal to the postpaid price, retransmissions debited once, Tcc, the CCR-Event actions,
 * the result codes, and one account's money shared safely by many sessions and by RADIUS.
 */
class CreditControlIT {

    static final String TOLLGATE = "tollgate.test";
    static final String PEER = "cc.fd.test";
    static final String GERMANY = "4930123456";
    static final String PROXY_SECRET = "proxy-secret";

    static TollgateInstance tollgate;
    static FreeDiameter peer;
    static int sessions;

    @BeforeAll
    static void start() throws Exception {
        int port = FreeDiameter.freeTcpPort();
        tollgate = new TollgateInstance("tollgate.roles=aaa,diameter,api", "tollgate.diameter.identity=" + TOLLGATE,
                "tollgate.diameter.realm=" + TOLLGATE, "tollgate.diameter.bind-address=127.0.0.1",
                "tollgate.diameter.port=" + port, "tollgate.diameter.cc-validity-time=3s");
        cli("diameter-peer", "add", "--name", "fd", "--origin-host", PEER, "--realm", "fd.test", "--address", "127.0.0.1");
        cli("nas", "add", "--name", "proxy", "--address", "127.0.0.2", "--secret", PROXY_SECRET, "--prepaid-authorize");
        // 0.60 EUR a minute billed by the second
        cli("plan", "add", "--name", "retail", "--currency", "EUR");
        cli("rates", "import", RatesFile.of("49,Germany,*,0,0.60,1,1,0,0,,\r\n"), "--plan", "retail");
        for (String a : List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi")) {
            prepaid(a, "1.00");
        }
        prepaid("broke", null);
        cli("account", "add", "--name", "postpaid", "--plan", "retail");
        PrepaidAccountIndex index = tollgate.bean(PrepaidAccountIndex.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> index.isPrepaid("heidi"));
        peer = new FreeDiameter(PEER, TOLLGATE, port);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                tollgate.bean(DiameterServer.class).peerStates()).containsEntry(PEER, PeerState.OKAY));
    }

    @AfterAll
    static void stop() {
        if (peer != null) {
            peer.close();
        }
        if (tollgate != null) {
            tollgate.close();
        }
    }

    static void cli(String... args) {
        assertThat(tollgate.cli(args)).as(String.join(" ", args)).isZero();
    }

    static void prepaid(String account, String topup) {
        tollgate.bean(PrepaidAccounts.class).create(account, "retail", ZoneOffset.UTC, "EUR", BigDecimal.ZERO,
                BigDecimal.ZERO);
        if (topup != null) {
            tollgate.bean(JdbcLedger.class).post(account, EntryKind.TOPUP, Money.of(topup, "EUR"), "first", null);
        }
    }

    static String session() {
        return PEER + ";cc;" + (++sessions);
    }

    static FreeDiameter.Answer ccr(String session, String type, int number, String more) {
        return peer.request("ccr session=" + session + " type=" + type + " number=" + number + " realm=" + TOLLGATE
                + " " + more);
    }

    static BigDecimal balance(String account) {
        return tollgate.jdbc().queryForObject("SELECT p.balance FROM prepaid_account p JOIN account a ON a.id = "
                + "p.account_id WHERE a.name = ?", BigDecimal.class, account);
    }

    static BigDecimal held(String account) {
        return tollgate.jdbc().queryForObject("SELECT p.reserved FROM prepaid_account p JOIN account a ON a.id = "
                + "p.account_id WHERE a.name = ?", BigDecimal.class, account);
    }

    static List<BigDecimal> callDebits(String account) {
        return tollgate.jdbc().queryForList("SELECT l.amount FROM prepaid_ledger l JOIN account a ON a.id = "
                + "l.account_id WHERE a.name = ? AND l.kind = 'CALL' ORDER BY l.id", BigDecimal.class, account);
    }

    @Test
    void initialUpdateTerminateGrantAndDebitThePostpaidPriceOnce() {
        String s = session();
        FreeDiameter.Answer i = ccr(s, "I", 0, "user=sip:alice dest=" + GERMANY + " requested=60");
        assertThat(i.resultCode()).isEqualTo(2001);
        assertThat(i.granted()).isEqualTo(60);
        assertThat(i.validity()).isEqualTo(3);
        assertThat(i.finalUnitAction()).isNull();

        // 60 s used; 1.00 EUR buys 100 s: the last 40 s are the last grant
        FreeDiameter.Answer u = ccr(s, "U", 1, "used=60 requested=60 e2e=7001");
        assertThat(u.resultCode()).isEqualTo(2001);
        assertThat(u.granted()).isEqualTo(40);
        assertThat(u.finalUnitAction()).isEqualTo(0); // TERMINATE
        // the same CCR-U again with the T flag: the same answer, the 60 s not counted twice
        FreeDiameter.Answer again = ccr(s, "U", 1, "used=60 requested=60 e2e=7001 retransmit=1");
        assertThat(again.resultCode()).isEqualTo(2001);
        assertThat(again.granted()).isEqualTo(40);

        FreeDiameter.Answer t = ccr(s, "T", 2, "used=30");
        assertThat(t.resultCode()).isEqualTo(2001);
        BigDecimal postpaid = tollgate.bean(CachedRatingService.class)
                .price(new Usage("alice", GERMANY, Instant.now(), 90)).cost();
        assertThat(callDebits("alice")).singleElement().satisfies(d ->
                assertThat(d).isEqualByComparingTo(postpaid.negate()));
        assertThat(postpaid).isEqualByComparingTo("0.90");
        assertThat(t.cost()).isEqualTo("9:-1");
        // a retransmitted CCR-T: answered, not debited again
        assertThat(ccr(s, "T", 2, "used=30 retransmit=1").resultCode()).isEqualTo(2001);
        assertThat(callDebits("alice")).hasSize(1);
        assertThat(balance("alice")).isEqualByComparingTo("0.10");
        assertThat(held("alice")).isEqualByComparingTo("0");
    }

    @Test
    void aCallUnderCreditControlAndAccountedByAcrIsDebitedOnceWhenItsCdrIsSettled() {
        String s = session();
        String acr = " session=" + s + " realm=" + TOLLGATE + " user=grace callid=both-1@fd fromtag=f1 totag=t1"
                + " dest=" + GERMANY + " code=200";
        long t0 = Instant.now().minusSeconds(600).getEpochSecond();
        assertThat(ccr(s, "I", 0, "user=grace dest=" + GERMANY + " requested=60 callid=both-1@fd").resultCode())
                .isEqualTo(2001);
        assertThat(peer.request("acr type=2 number=0 method=INVITE ts=" + t0 + acr).resultCode()).isEqualTo(2001);
        assertThat(ccr(s, "T", 1, "used=45 callid=both-1@fd").resultCode()).isEqualTo(2001);
        assertThat(peer.request("acr type=4 number=1 method=BYE time=45 ts=" + (t0 + 45) + acr).resultCode())
                .isEqualTo(2001);
        assertThat(callDebits("grace")).singleElement().satisfies(d -> assertThat(d).isEqualByComparingTo("-0.45"));
        // the nightly run pairs the ACRs into a CDR, prices it and settles it: the ledger has its debit already
        assertThat(tollgate.cli("-Dtollgate.cdr.settle=0s", "batch", "run")).isZero();
        assertThat(tollgate.jdbc().queryForObject("SELECT count(*) FROM cdr WHERE call_id = 'both-1@fd'", Integer.class))
                .isEqualTo(1);
        assertThat(callDebits("grace")).hasSize(1);
        assertThat(balance("grace")).isEqualByComparingTo("0.55");
    }

    @Test
    void eachRefusalHasItsResultCode() {
        assertThat(ccr(session(), "I", 0, "user=nobody dest=" + GERMANY).resultCode()).isEqualTo(5030);
        assertThat(ccr(session(), "I", 0, "user=bob dest=3312345678").resultCode()).isEqualTo(5031);
        assertThat(ccr(session(), "I", 0, "user=broke dest=" + GERMANY).resultCode()).isEqualTo(4012);
        assertThat(ccr(session(), "I", 0, "user=postpaid dest=" + GERMANY).resultCode()).isEqualTo(4011);
        assertThat(ccr(session(), "U", 1, "used=10").resultCode()).isEqualTo(5002);
        // whose call? a CCR-Initial without Subscription-Id or User-Name
        assertThat(ccr(session(), "I", 0, "dest=" + GERMANY).resultCode()).isEqualTo(5005);
        assertThat(ccr(session(), "I", 0, "user=bob dest=" + GERMANY + " unknown=1").resultCode()).isEqualTo(5001);
    }

    @Test
    void aSessionSilentPastTccIsReleasedAndFlaggedAndItsLateTerminateDebitedOnce() {
        String s = session();
        FreeDiameter.Answer i = ccr(s, "I", 0, "user=carol dest=" + GERMANY + " requested=60");
        assertThat(i.granted()).isEqualTo(60);
        assertThat(held("carol")).isPositive();
        // Validity-Time 3 s: Tcc 6 s
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(held("carol")).isEqualByComparingTo("0");
            assertThat(tollgate.jdbc().queryForObject("SELECT state FROM prepaid_reservation WHERE call_id = ?",
                    String.class, s)).isEqualTo("EXPIRED");
        });
        assertThat(ccr(s, "T", 1, "used=50").resultCode()).isEqualTo(2001);
        assertThat(ccr(s, "T", 1, "used=50 retransmit=1").resultCode()).isEqualTo(2001);
        assertThat(callDebits("carol")).singleElement().satisfies(d -> assertThat(d).isEqualByComparingTo("-0.50"));
        assertThat(tollgate.jdbc().queryForMap("SELECT state, expired_at FROM prepaid_reservation WHERE call_id = ?", s))
                .containsEntry("state", "COMMITTED").extractingByKey("expired_at").isNotNull();
    }

    @Test
    void directDebitingRefundCheckBalanceAndPriceEnquiry() {
        String debit = session();
        FreeDiameter.Answer d = ccr(debit, "E", 0, "user=dave dest=" + GERMANY + " action=0 requested=30");
        assertThat(d.resultCode()).isEqualTo(2001);
        assertThat(d.granted()).isEqualTo(30);
        assertThat(d.cost()).isEqualTo("3:-1");
        assertThat(ccr(debit, "E", 0, "user=dave dest=" + GERMANY + " action=0 requested=30 retransmit=1")
                .resultCode()).isEqualTo(2001);
        assertThat(callDebits("dave")).singleElement().satisfies(x -> assertThat(x).isEqualByComparingTo("-0.30"));

        String refund = session();
        FreeDiameter.Answer r = ccr(refund, "E", 0, "user=dave dest=" + GERMANY + " action=1 requested=60");
        assertThat(r.resultCode()).isEqualTo(2001);
        assertThat(r.cost()).isEqualTo("6:-1");
        assertThat(ccr(refund, "E", 0, "user=dave dest=" + GERMANY + " action=1 requested=60").resultCode())
                .isEqualTo(2001);
        assertThat(balance("dave")).isEqualByComparingTo("1.30");

        assertThat(ccr(session(), "E", 0, "user=dave dest=" + GERMANY + " action=2 requested=60").resultCode())
                .isEqualTo(2001);
        FreeDiameter.Answer price = ccr(session(), "E", 0, "user=dave dest=" + GERMANY + " action=3 requested=120");
        assertThat(price.resultCode()).isEqualTo(2001);
        assertThat(price.cost()).isEqualTo("12:-1");
        assertThat(ccr(session(), "E", 0, "user=dave dest=3312345678 action=3 requested=60").resultCode())
                .isEqualTo(5031);
        assertThat(balance("dave")).isEqualByComparingTo("1.30");
    }

    @Test
    void fiftyConcurrentSessionsOnOneAccountNeverOverdraw() {
        // erin: 1.00 EUR = 100 s; 50 sessions ask 60 s each at once
        List<String> ids = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (int n = 0; n < 50; n++) {
            String s = session();
            String tag = peer.tag();
            ids.add(s);
            tags.add(tag);
            peer.send("ccr session=" + s + " type=I number=0 realm=" + TOLLGATE + " user=erin dest=" + GERMANY
                    + " requested=60 tag=" + tag);
        }
        long granted = 0;
        List<Long> grants = new ArrayList<>();
        for (String tag : tags) {
            FreeDiameter.Answer a = peer.await(tag, Duration.ofSeconds(30));
            assertThat(a.resultCode()).isIn(2001L, 4012L);
            grants.add(a.resultCode() == 2001 ? a.granted() : 0L);
            granted += a.resultCode() == 2001 ? a.granted() : 0;
        }
        assertThat(granted).isLessThanOrEqualTo(100);
        // every session uses all it was granted
        List<String> ends = new ArrayList<>();
        for (int n = 0; n < ids.size(); n++) {
            if (grants.get(n) > 0) {
                String tag = peer.tag();
                ends.add(tag);
                peer.send("ccr session=" + ids.get(n) + " type=T number=1 realm=" + TOLLGATE + " used=" + grants.get(n)
                        + " tag=" + tag);
            }
        }
        for (String tag : ends) {
            assertThat(peer.await(tag, Duration.ofSeconds(30)).resultCode()).isEqualTo(2001);
        }
        assertThat(balance("erin")).isGreaterThanOrEqualTo(BigDecimal.ZERO);
        assertThat(held("erin")).isEqualByComparingTo("0");
        assertThat(callDebits("erin").stream().map(BigDecimal::negate).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(new BigDecimal(granted).multiply(new BigDecimal("0.01")));
    }

    @Test
    void radiusAndDiameterRacingOnOneAccountNeverOverdraw() throws Exception {
        // frank: 1.00 EUR = 100 s; 10 RADIUS authorizations and 10 CCR-Initials at once, 30 s each wanted
        ExecutorService pool = Executors.newFixedThreadPool(10);
        Radclient radclient = new Radclient();
        List<Future<Radclient.Result>> radius = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            String id = "race-r-" + n;
            radius.add(pool.submit(() -> radclient.send(tollgate.authPort(), "auth", PROXY_SECRET,
                    "User-Name = \"frank\", Called-Station-Id = \"" + GERMANY + "\", Acct-Session-Id = \"" + id
                            + "\", Message-Authenticator = 0x00", "127.0.0.2")));
        }
        List<String> tags = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            String s = session();
            String tag = peer.tag();
            ids.add(s);
            tags.add(tag);
            peer.send("ccr session=" + s + " type=I number=0 realm=" + TOLLGATE + " user=frank dest=" + GERMANY
                    + " requested=300 tag=" + tag);
        }
        long granted = 0;
        for (int n = 0; n < 10; n++) {
            Radclient.Result r = radius.get(n).get();
            if (r.accepted()) {
                long seconds = Long.parseLong(r.output().replaceAll("(?s).*Session-Timeout = (\\d+).*", "$1"));
                granted += seconds;
                assertThat(radclient.send(tollgate.acctPort(), "acct", PROXY_SECRET, "Acct-Status-Type = Stop, "
                        + "User-Name = \"frank\", Called-Station-Id = \"" + GERMANY + "\", Acct-Session-Id = \"race-r-"
                        + n + "\", Acct-Session-Time = " + seconds, "127.0.0.2").accountingAnswered()).isTrue();
            }
        }
        for (int n = 0; n < 10; n++) {
            FreeDiameter.Answer a = peer.await(tags.get(n), Duration.ofSeconds(30));
            if (a.resultCode() == 2001) {
                granted += a.granted();
                assertThat(ccr(ids.get(n), "T", 1, "used=" + a.granted()).resultCode()).isEqualTo(2001);
            }
        }
        pool.shutdown();
        long total = granted;
        assertThat(total).isPositive().isLessThanOrEqualTo(100);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(held("frank")).isEqualByComparingTo("0");
            assertThat(balance("frank")).isEqualByComparingTo(
                    new BigDecimal("1.00").subtract(new BigDecimal(total).multiply(new BigDecimal("0.01"))));
        });
        assertThat(balance("frank")).isGreaterThanOrEqualTo(BigDecimal.ZERO);
    }
}
