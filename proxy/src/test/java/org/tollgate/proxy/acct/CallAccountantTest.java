package org.tollgate.proxy.acct;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sip.message.Request;

import org.junit.jupiter.api.Test;
import org.tollgate.proxy.ProxySettings;
import org.tollgate.proxy.aaa.AccountingRecord;
import org.tollgate.proxy.aaa.AccountingRecord.Attribute;
import org.tollgate.proxy.aaa.CallAccounting;
import org.tollgate.proxy.sip.Source;
import org.tollgate.proxy.testutil.MutableClock;
import org.tollgate.proxy.testutil.Sip;

class CallAccountantTest {

    /** Keeps what would be sent. */
    static final class Captured implements CallAccounting {
        final List<AccountingRecord> records = new ArrayList<>();

        @Override
        public void send(AccountingRecord record) {
            records.add(record);
        }

        @Override
        public void close() {
        }

        AccountingRecord only() {
            assertThat(records).hasSize(1);
            return records.get(0);
        }
    }

    static final String CALL_ID = "a84b4c76e66710@pc33.example.com";
    static final String CALLER_TAG = "1928301774";
    static final String CALLEE_TAG = "a6c85cf";
    static final String TRANSLATED = "sip:bob@198.51.100.7:5080";
    static final Source CALLER = new Source("192.0.2.10", 5062, "udp");
    static final Source CALLEE = new Source("198.51.100.7", 5080, "udp");

    static final Request INVITE = Sip.request("""
            INVITE sip:bob@example.com SIP/2.0
            Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK776asdhds
            Max-Forwards: 70
            To: "Bob" <sip:bob@example.com;user=phone>
            From: "Alice" <sip:alice@example.com:5062;transport=udp>;tag=1928301774
            Call-ID: a84b4c76e66710@pc33.example.com
            CSeq: 314159 INVITE
            Contact: <sip:alice@192.0.2.10:5062>
            User-Agent: Softphone/1.0
            X-Account: 17
            X-Account: 42
            Content-Length: 0
            """);

    static final Request CALLEE_BYE = Sip.request("""
            BYE sip:alice@192.0.2.10:5062 SIP/2.0
            Via: SIP/2.0/UDP 198.51.100.7:5080;branch=z9hG4bKnashds7
            Max-Forwards: 70
            From: <sip:bob@example.com>;tag=a6c85cf
            To: "Alice" <sip:alice@example.com:5062>;tag=1928301774
            Call-ID: a84b4c76e66710@pc33.example.com
            CSeq: 7 BYE
            User-Agent: Deskphone/2.0
            Content-Length: 0
            """);

    static final Request CANCEL = Sip.request("""
            CANCEL sip:bob@example.com SIP/2.0
            Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK776asdhds
            Max-Forwards: 70
            To: "Bob" <sip:bob@example.com;user=phone>
            From: "Alice" <sip:alice@example.com:5062;transport=udp>;tag=1928301774
            Call-ID: a84b4c76e66710@pc33.example.com
            CSeq: 314159 CANCEL
            Content-Length: 0
            """);

    static final Request UPDATE = Sip.request("""
            UPDATE sip:bob@198.51.100.7:5080 SIP/2.0
            Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK7a8b9c
            Max-Forwards: 70
            From: "Alice" <sip:alice@example.com:5062>;tag=1928301774
            To: "Bob" <sip:bob@example.com>;tag=a6c85cf
            Call-ID: a84b4c76e66710@pc33.example.com
            CSeq: 314160 UPDATE
            Content-Length: 0
            """);

    static final Request MESSAGE = Sip.request("""
            MESSAGE sip:carol@example.com SIP/2.0
            Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKm1
            Max-Forwards: 70
            From: <sip:alice@example.com>;tag=m-tag
            To: <sip:carol@example.com>
            Call-ID: msg-1@pc33.example.com
            CSeq: 3 MESSAGE
            Content-Length: 0
            """);

    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    private final Captured sink = new Captured();

    private CallAccountant accountant(boolean earlyMedia, boolean cancels, boolean failedTx,
                                      List<String> extra, List<String> multiLeg) {
        return new CallAccountant(sink, new ProxySettings.Accounting(earlyMedia, cancels, failedTx, extra, multiLeg), clock);
    }

    private CallAccountant plain() {
        return accountant(false, false, false, List.of(), List.of());
    }

    private static Attribute a(String name, String value) {
        return new Attribute(name, value);
    }

    private static List<Attribute> common(String method, int code, String toTag) {
        List<Attribute> l = new ArrayList<>(List.of(
                a("Service-Type", "Sip-Session"),
                a("Sip-Method", method),
                a("Sip-Response-Code", Integer.toString(code)),
                a("Acct-Session-Id", CALL_ID),
                a("Sip-From-Tag", CALLER_TAG)));
        if (toTag != null) {
            l.add(a("Sip-To-Tag", toTag));
        }
        return l;
    }

    @Test
    void legKeepsTheInvitesCallerCalleeAndSource() {
        CallLeg leg = plain().leg(INVITE, CALLER, "alice@example.com");
        assertThat(leg.callId()).isEqualTo(CALL_ID);
        assertThat(leg.fromUri()).isEqualTo("sip:alice@example.com:5062");
        assertThat(leg.fromTag()).isEqualTo(CALLER_TAG);
        assertThat(leg.toUri()).isEqualTo("sip:bob@example.com");
        assertThat(leg.cseq()).isEqualTo("314159");
        assertThat(leg.userName()).isEqualTo("alice@example.com");
        assertThat(leg.srcIp()).isEqualTo("192.0.2.10");
        assertThat(leg.srcPort()).isEqualTo(5062);
        assertThat(leg.extra()).isEmpty();
        assertThat(leg.legs()).isEmpty();
    }

    @Test
    void startHasTheAccAttributesInOrder() {
        CallAccountant acct = plain();
        CallLeg leg = acct.leg(INVITE, CALLER, "alice@example.com");
        acct.start(leg, CALLEE_TAG, 200, TRANSLATED, 1800);

        AccountingRecord r = sink.only();
        assertThat(r.statusType()).isEqualTo("Start");
        assertThat(r.eventTime()).isEqualTo(clock.instant());
        List<Attribute> want = common("INVITE", 200, CALLEE_TAG);
        want.addAll(List.of(
                a("Sip-Cseq", "314159"),
                a("User-Name", "alice@example.com"),
                a("Calling-Station-Id", "sip:alice@example.com:5062"),
                a("Called-Station-Id", "sip:bob@example.com"),
                a("Sip-Translated-Request-URI", TRANSLATED),
                a("Sip-Src-IP", "192.0.2.10"),
                a("Sip-Src-Port", "5062"),
                a("Acct-Interim-Interval", "1800"),
                a("Tollgate-Setup-Time", "2024-05-01T10:00:00Z")));
        assertThat(r.attributes()).containsExactlyElementsOf(want);
    }

    @Test
    void startWithoutSessionTimerHasNoInterimInterval() {
        CallAccountant acct = plain();
        acct.start(acct.leg(INVITE, CALLER, null), CALLEE_TAG, 200, null, 0);
        AccountingRecord r = sink.only();
        assertThat(r.attributes()).extracting(Attribute::name)
                .doesNotContain("Acct-Interim-Interval", "User-Name", "Sip-Translated-Request-URI")
                .endsWith("Sip-Src-IP", "Sip-Src-Port", "Tollgate-Setup-Time");
    }

    @Test
    void calleeByeStopKeepsTheInvitesDirection() {
        CallAccountant acct = plain();
        CallLeg leg = acct.leg(INVITE, CALLER, "alice@example.com");
        clock.advance(java.time.Duration.ofSeconds(65));
        acct.stop(leg, CALLEE_TAG, CALLEE_BYE, CALLEE, 200, "sip:alice@192.0.2.10:5062", null, 65);

        AccountingRecord r = sink.only();
        assertThat(r.statusType()).isEqualTo("Stop");
        assertThat(r.eventTime()).isEqualTo(Instant.parse("2024-05-01T10:01:05Z"));
        List<Attribute> want = common("BYE", 200, CALLEE_TAG);
        want.addAll(List.of(
                a("Sip-Cseq", "7"),
                a("User-Name", "alice@example.com"),
                a("Calling-Station-Id", "sip:alice@example.com:5062"),
                a("Called-Station-Id", "sip:bob@example.com"),
                a("Sip-Translated-Request-URI", "sip:alice@192.0.2.10:5062"),
                a("Sip-Src-IP", "198.51.100.7"),
                a("Sip-Src-Port", "5080"),
                a("Acct-Session-Time", "65")));
        assertThat(r.attributes()).containsExactlyElementsOf(want);
        // the BYE's own From tag is the callee's: it must not become Sip-From-Tag
        assertThat(r.get("Sip-From-Tag")).isEqualTo(CALLER_TAG);
        assertThat(r.get("Sip-To-Tag")).isEqualTo(CALLEE_TAG);
    }

    @Test
    void proxyEndedStopHasCauseAndSessionTimeAndTheInvitesSource() {
        CallAccountant acct = plain();
        CallLeg leg = acct.leg(INVITE, CALLER, "alice@example.com");
        acct.stop(leg, CALLEE_TAG, null, null, 200, TRANSLATED, "Session-Timeout", 1800);

        AccountingRecord r = sink.only();
        assertThat(r.statusType()).isEqualTo("Stop");
        assertThat(r.get("Sip-Method")).isEqualTo("BYE");
        assertThat(r.get("Sip-Cseq")).isEqualTo("314159");
        assertThat(r.get("Sip-Src-IP")).isEqualTo("192.0.2.10");
        assertThat(r.get("Sip-Src-Port")).isEqualTo("5062");
        assertThat(r.attributes()).endsWith(a("Acct-Session-Time", "1800"), a("Acct-Terminate-Cause", "Session-Timeout"));
    }

    @Test
    void negativeSessionTimeIsReportedAsZero() {
        CallAccountant acct = plain();
        acct.stop(acct.leg(INVITE, CALLER, null), CALLEE_TAG, null, null, 200, null, null, -3);
        assertThat(sink.only().get("Acct-Session-Time")).isEqualTo("0");
        assertThat(sink.only().get("Acct-Terminate-Cause")).isNull();
    }

    @Test
    void failedCarriesTheCode() {
        CallAccountant acct = plain();
        CallLeg leg = acct.leg(INVITE, CALLER, "alice@example.com");
        acct.failed(leg, CALLEE_TAG, 486, "Busy Here", TRANSLATED);
        acct.failed(leg, null, 404, "Not Found", null);

        assertThat(sink.records).hasSize(2);
        AccountingRecord busy = sink.records.get(0);
        assertThat(busy.statusType()).isEqualTo("Failed");
        assertThat(busy.get("Sip-Method")).isEqualTo("INVITE");
        assertThat(busy.get("Sip-Response-Code")).isEqualTo("486");
        assertThat(busy.get("Sip-To-Tag")).isEqualTo(CALLEE_TAG);
        assertThat(busy.get("Tollgate-Sip-Reason")).isEqualTo("Busy Here");
        assertThat(busy.get("Tollgate-Setup-Time")).isEqualTo("2024-05-01T10:00:00Z");
        AccountingRecord notFound = sink.records.get(1);
        assertThat(notFound.statusType()).isEqualTo("Failed");
        assertThat(notFound.get("Sip-Response-Code")).isEqualTo("404");
        assertThat(notFound.get("Sip-To-Tag")).isNull();
        assertThat(notFound.attributes()).extracting(Attribute::name).doesNotContain("Acct-Interim-Interval");
    }

    @Test
    void extraAttributesAreEvaluatedOnTheInviteAndOnTheBye() {
        CallAccountant acct = accountant(false, false, false,
                List.of("Sip-Src=$si", "Src-Port=$sp", "UA=$hdr(User-Agent)", "From-User=$fU", "To-Domain=$td",
                        "Req-User=$rU", "Call=$ci", "Account=$hdr(X-Account)", "Missing=$hdr(X-None)", "Agent=$ua"),
                List.of());
        CallLeg leg = acct.leg(INVITE, CALLER, "alice@example.com");
        List<Attribute> onInvite = List.of(
                a("Sip-Src", "192.0.2.10"), a("Src-Port", "5062"), a("UA", "Softphone/1.0"), a("From-User", "alice"),
                a("To-Domain", "example.com"), a("Req-User", "bob"), a("Call", CALL_ID), a("Account", "17,42"),
                a("Agent", "Softphone/1.0"));
        assertThat(leg.extra()).containsExactlyElementsOf(onInvite);

        acct.start(leg, CALLEE_TAG, 200, TRANSLATED, 90);
        assertThat(sink.records.get(0).attributes())
                .endsWith(onInvite.toArray(Attribute[]::new))
                .contains(a("Acct-Interim-Interval", "90"));

        acct.stop(leg, CALLEE_TAG, CALLEE_BYE, CALLEE, 200, null, null, 10);
        assertThat(sink.records.get(1).attributes()).endsWith(
                a("Acct-Session-Time", "10"),
                a("Sip-Src", "198.51.100.7"), a("Src-Port", "5080"), a("UA", "Deskphone/2.0"), a("From-User", "bob"),
                a("To-Domain", "example.com"), a("Req-User", "alice"), a("Call", CALL_ID), a("Agent", "Deskphone/2.0"));
    }

    @Test
    void multiLegInfoListsEveryLegInOrder() {
        CallAccountant acct = accountant(false, false, false, List.of("Call=$ci"),
                List.of("Sip-Leg-Src=$src", "Sip-Leg-Dst=$dst"));
        CallLeg leg = acct.leg(INVITE, CALLER, "alice@example.com")
                .forwarded("sip:bob@example.com", "sip:carol@example.com")
                .forwarded("sip:bob@example.com", "sip:dave@example.net:5070");
        assertThat(leg.legs()).containsExactly(
                new CallLeg.Hop("sip:alice@example.com:5062", "sip:bob@example.com"),
                new CallLeg.Hop("sip:bob@example.com", "sip:carol@example.com"),
                new CallLeg.Hop("sip:carol@example.com", "sip:dave@example.net:5070"));

        acct.start(leg, CALLEE_TAG, 200, "sip:dave@203.0.113.4", 0);
        assertThat(sink.only().attributes()).endsWith(
                a("Call", CALL_ID),
                a("Sip-Leg-Src", "sip:alice@example.com:5062"), a("Sip-Leg-Dst", "sip:bob@example.com"),
                a("Sip-Leg-Src", "sip:bob@example.com"), a("Sip-Leg-Dst", "sip:carol@example.com"),
                a("Sip-Leg-Src", "sip:carol@example.com"), a("Sip-Leg-Dst", "sip:dave@example.net:5070"));
    }

    @Test
    void unforwardedCallHasNoMultiLegAttributes() {
        CallAccountant acct = accountant(false, false, false, List.of(), List.of("Sip-Leg-Src=$src", "Sip-Leg-Dst=$dst"));
        acct.start(acct.leg(INVITE, CALLER, null), CALLEE_TAG, 200, null, 0);
        assertThat(sink.only().attributes()).extracting(Attribute::name).doesNotContain("Sip-Leg-Src", "Sip-Leg-Dst");
    }

    @Test
    void earlyMediaOnlyWithItsSwitch() {
        CallAccountant off = plain();
        off.earlyMedia(off.leg(INVITE, CALLER, null), CALLEE_TAG, 183, TRANSLATED);
        assertThat(sink.records).isEmpty();

        CallAccountant on = accountant(true, false, false, List.of(), List.of());
        on.earlyMedia(on.leg(INVITE, CALLER, null), CALLEE_TAG, 183, TRANSLATED);
        AccountingRecord r = sink.only();
        assertThat(r.statusType()).isEqualTo("Start");
        assertThat(r.get("Sip-Method")).isEqualTo("INVITE");
        assertThat(r.get("Sip-Response-Code")).isEqualTo("183");
        assertThat(r.get("Sip-To-Tag")).isEqualTo(CALLEE_TAG);
    }

    @Test
    void cancelOnlyWithItsSwitch() {
        CallAccountant off = plain();
        off.cancel(off.leg(INVITE, CALLER, null), CANCEL, CALLER, 200);
        assertThat(sink.records).isEmpty();

        CallAccountant on = accountant(false, true, false, List.of(), List.of());
        on.cancel(on.leg(INVITE, CALLER, "alice@example.com"), CANCEL, CALLER, 200);
        AccountingRecord r = sink.only();
        assertThat(r.statusType()).isEqualTo("Stop");
        assertThat(r.get("Sip-Method")).isEqualTo("CANCEL");
        assertThat(r.get("Sip-Response-Code")).isEqualTo("200");
        assertThat(r.get("Sip-Cseq")).isEqualTo("314159");
        assertThat(r.get("Sip-To-Tag")).isNull();
        assertThat(r.get("Sip-Translated-Request-URI")).isNull();
    }

    @Test
    void failedTransactionOnlyWithItsSwitch() {
        plain().failedTransaction(MESSAGE, CALLER, 404, null, null);
        assertThat(sink.records).isEmpty();

        accountant(false, false, true, List.of(), List.of())
                .failedTransaction(MESSAGE, CALLER, 404, "alice@example.com", null);
        AccountingRecord r = sink.only();
        assertThat(r.statusType()).isEqualTo("Failed");
        assertThat(r.get("Sip-Method")).isEqualTo("Message");
        assertThat(r.get("Acct-Session-Id")).isEqualTo("msg-1@pc33.example.com");
        assertThat(r.get("Sip-From-Tag")).isEqualTo("m-tag");
        assertThat(r.get("Sip-To-Tag")).isNull();
        assertThat(r.get("Sip-Cseq")).isEqualTo("3");
        assertThat(r.get("Called-Station-Id")).isEqualTo("sip:carol@example.com");
    }

    @Test
    void interimOnARefresh() {
        CallAccountant acct = plain();
        CallLeg leg = acct.leg(INVITE, CALLER, "alice@example.com");
        acct.interim(leg, CALLEE_TAG, UPDATE, CALLER, 200, TRANSLATED, 900);
        AccountingRecord r = sink.only();
        assertThat(r.statusType()).isEqualTo("Interim-Update");
        assertThat(r.get("Sip-Method")).isEqualTo("Update");
        assertThat(r.get("Sip-Cseq")).isEqualTo("314160");
        assertThat(r.get("Sip-From-Tag")).isEqualTo(CALLER_TAG);
        assertThat(r.get("Sip-To-Tag")).isEqualTo(CALLEE_TAG);
        assertThat(r.attributes()).endsWith(a("Acct-Interim-Interval", "900"));
    }
}
