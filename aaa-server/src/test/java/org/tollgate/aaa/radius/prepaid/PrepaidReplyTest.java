package org.tollgate.aaa.radius.prepaid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tollgate.aaa.radius.auth.AccessDecision;
import org.tollgate.aaa.radius.auth.AccessPolicy;
import org.tollgate.aaa.radius.auth.AttributeItem;
import org.tollgate.api.Money;
import org.tollgate.api.prepaid.Grant;

class PrepaidReplyTest {

    private static final Grant GRANTED = new Grant(Grant.Result.GRANTED, 100, Money.of("1.0000", "EUR"),
            Money.of("0.0000", "EUR"), true, null);

    @Test
    void aGrantIsASessionTimeoutAndASipAvpForKamailio() {
        AccessDecision d = PrepaidReply.accept(AccessDecision.accept(List.of(AttributeItem.of("Reply-Message", "=", "hi")),
                "authenticated"), GRANTED, false);
        assertThat(d.accept()).isTrue();
        assertThat(d.reply()).containsExactly(AttributeItem.of("Reply-Message", "=", "hi"),
                AttributeItem.of("Session-Timeout", ":=", "100"), AttributeItem.of("SIP-AVP", "+=", "session_timeout#100"));
    }

    @Test
    void aShorterSessionTimeoutOfTheUsersStaysAndMoreToComeAsksToBeAskedAgain() {
        Grant notLast = new Grant(Grant.Result.GRANTED, 300, Money.of("3", "EUR"), Money.of("7", "EUR"), false, null);
        AccessDecision d = PrepaidReply.accept(AccessDecision.accept(List.of(AttributeItem.of("Session-Timeout", "=", "60")),
                "authenticated"), notLast, false);
        assertThat(d.reply()).contains(AttributeItem.of("Session-Timeout", ":=", "60"),
                AttributeItem.of("Termination-Action", ":=", "RADIUS-Request"));
    }

    @Test
    void ciscoGetsCreditTimeAmountAndReturnCode() {
        AccessDecision d = PrepaidReply.accept(null, GRANTED, true);
        assertThat(d.reply()).contains(AttributeItem.of("Session-Timeout", ":=", "100"),
                AttributeItem.of("h323-credit-time", ":=", "h323-credit-time=100"),
                AttributeItem.of("h323-credit-amount", ":=", "h323-credit-amount=1.00"),
                AttributeItem.of("h323-currency", ":=", "h323-currency=EUR"),
                AttributeItem.of("h323-billing-model", ":=", "h323-billing-model=1"),
                AttributeItem.of("h323-return-code", ":=", "h323-return-code=0"));
        assertThat(d.reply()).noneMatch(i -> i.attribute().equals("SIP-AVP"));
    }

    @Test
    void refusalsSayWhyAndCarryCiscosReturnCodes() {
        Grant broke = new Grant(Grant.Result.INSUFFICIENT_CREDIT, 0, null, Money.of("0", "EUR"), true,
                "insufficient credit: 0 EUR available, the first increment costs 0.0100");
        AccessDecision d = PrepaidReply.reject(broke, "1003", true);
        assertThat(d.accept()).isFalse();
        assertThat(d.reply()).contains(AttributeItem.of("Reply-Message", "=", broke.reason()),
                AttributeItem.of("h323-return-code", ":=", "h323-return-code=4"));
        Grant short_ = new Grant(Grant.Result.INSUFFICIENT_CREDIT, 0, null, Money.of("0.005", "EUR"), true, "insufficient credit");
        assertThat(PrepaidReply.returnCode(short_)).isEqualTo(12);
        assertThat(PrepaidReply.message(Grant.refused(Grant.Result.UNKNOWN_ACCOUNT, "no account named x"), "x"))
                .isEqualTo("unknown account x");
        assertThat(PrepaidReply.returnCode(Grant.refused(Grant.Result.UNKNOWN_ACCOUNT, "?"))).isEqualTo(1);
        assertThat(PrepaidReply.message(Grant.refused(Grant.Result.NO_RATE, "no rate in plan p for 33"), "x"))
                .isEqualTo("no rate for the destination: no rate in plan p for 33");
        assertThat(PrepaidReply.returnCode(Grant.refused(Grant.Result.NO_RATE, "?"))).isEqualTo(9);
        AccessDecision down = PrepaidReply.reject(Grant.refused(Grant.Result.UNAVAILABLE, "no answer within 1000 ms"),
                "x", false);
        assertThat(down.reason()).isEqualTo(AccessPolicy.UNAVAILABLE);
        assertThat(down.reply()).containsExactly(AttributeItem.of("Reply-Message", "=", "temporarily unavailable"));
    }

    @Test
    void aRefusedAuthenticationTellsCiscoWhich() {
        assertThat(PrepaidReply.refusedAuthentication(AccessDecision.reject("bad password"), true).reply())
                .containsExactly(AttributeItem.of("h323-return-code", ":=", "h323-return-code=2"));
        assertThat(PrepaidReply.returnCode(AccessDecision.reject("no such user"))).isEqualTo(1);
        assertThat(PrepaidReply.returnCode(AccessDecision.reject("suspended"))).isEqualTo(7);
        assertThat(PrepaidReply.returnCode(AccessDecision.rejectSaying(AccessPolicy.UNAVAILABLE))).isEqualTo(8);
        assertThat(PrepaidReply.refusedAuthentication(AccessDecision.reject("bad password"), false).reply()).isEmpty();
    }

    @Test
    void aPostpaidAccountIsAcceptedWithoutALimit() {
        AccessDecision d = PrepaidReply.accept(null, Grant.refused(Grant.Result.POSTPAID, "postpaid"), true);
        assertThat(d.accept()).isTrue();
        assertThat(d.reply()).noneMatch(i -> i.attribute().equals("Session-Timeout"));
        assertThat(d.reply()).contains(AttributeItem.of("h323-billing-model", ":=", "h323-billing-model=0"),
                AttributeItem.of("h323-return-code", ":=", "h323-return-code=0"));
    }
}
