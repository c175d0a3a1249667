package org.tollgate.app.demo;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.api.Money;
import org.tollgate.prepaid.account.PrepaidAccountIndex;
import org.tollgate.prepaid.account.PrepaidAccounts;
import org.tollgate.prepaid.ledger.EntryKind;
import org.tollgate.prepaid.ledger.JdbcLedger;
import org.tollgate.prepaid.voucher.JdbcVouchers;
import org.tollgate.prepaid.voucher.VoucherBatch;

/**
 * The demo's prepaid caller: an account with money for about four seconds to France, whose call
 * the proxy cuts when the money runs out (grants of 2 s, each asked for again over RADIUS), whose
 * next call is refused 402 Payment Required, and who redeems a voucher and calls again.
 */
final class DemoPrepaid {

    static final String PARIS_CUT = "0033140205061";
    static final String PARIS_REFUSED = "0033140205062";
    static final String PARIS_AFTER_VOUCHER = "0033140205063";
    static final String OPENING = "0.0060";
    static final String VOUCHER = "0.0500";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final DemoPlatform platform;
    private final PrintStream out;

    DemoPrepaid(DemoPlatform platform, PrintStream out) {
        this.platform = platform;
        this.out = out;
    }

    /** The prepaid account, on the demo's plan, with its opening top-up. */
    void provision(String account) {
        platform.bean(PrepaidAccounts.class).create(account, DemoProvisioning.PLAN, ZoneOffset.UTC, "EUR",
                BigDecimal.ZERO, BigDecimal.ZERO);
        platform.bean(JdbcLedger.class).post(account, EntryKind.TOPUP, Money.of(OPENING, "EUR"), "opening", null);
        PrepaidAccountIndex index = platform.bean(PrepaidAccountIndex.class);
        Waits.until(() -> index.isPrepaid(account), WAIT, "the prepaid account known to the AAA server");
        out.printf("  account      %s, PREPAID on %s, topped up %s EUR (4 s to France at 0.0900/min)%n", account,
                DemoProvisioning.PLAN, OPENING);
    }

    /** The three calls; returns them as placed. */
    List<DemoCalls.Placed> place(SipPhone phone, DemoGateway gateway) throws Exception {
        List<DemoCalls.Placed> placed = new ArrayList<>();
        PhoneCall cut = phone.call(PARIS_CUT);
        answered(cut, 200);
        int bye = Waits.get(cut.ended, WAIT.plusSeconds(10), "the proxy's BYE when " + phone.aor() + "'s money ran out");
        Waits.get(gateway.bye(cut.callId), WAIT, "the proxy's BYE reaching the gateway");
        out.printf("  %s -> %s: answered; money for 4 s, granted 2 s at a time; the proxy sent BYE to both sides "
                + "when it ran out (%d)%n", phone.aor(), PARIS_CUT, bye);
        placed.add(new DemoCalls.Placed(phone.aor(), PARIS_CUT, cut.callId, "ANSWERED", 5));

        PhoneCall refused = phone.call(PARIS_REFUSED);
        answered(refused, 402);
        out.printf("  %s -> %s: 402 Payment Required (nothing forwarded)%n", phone.aor(), PARIS_REFUSED);
        placed.add(new DemoCalls.Placed(phone.aor(), PARIS_REFUSED, refused.callId, "FAILED", null));

        JdbcVouchers vouchers = platform.bean(JdbcVouchers.class);
        Instant now = Instant.now();
        VoucherBatch batch = vouchers.create(1, Money.of(VOUCHER, "EUR"), now.plus(Duration.ofDays(30)), now, "demo");
        VoucherBatch.Issued voucher = batch.vouchers().get(0);
        vouchers.redeem(voucher.code(), phone.aor(), now);
        out.printf("  %s redeems voucher %s (%s EUR), as ./tollgate voucher redeem does%n", phone.aor(), voucher.serial(),
                VOUCHER);

        PhoneCall again = phone.call(PARIS_AFTER_VOUCHER);
        answered(again, 200);
        Waits.sleep(Duration.ofSeconds(3));
        phone.hangUp(again);
        Waits.get(again.ended, WAIT, "BYE of " + phone.aor());
        Waits.get(gateway.bye(again.callId), WAIT, "the BYE reaching the gateway");
        out.printf("  %s -> %s: answered, talked 3 s, hung up (BYE, 200)%n", phone.aor(), PARIS_AFTER_VOUCHER);
        placed.add(new DemoCalls.Placed(phone.aor(), PARIS_AFTER_VOUCHER, again.callId, "ANSWERED", null));
        return placed;
    }

    /** The account's ledger, each call's debit checked against its CDR's price. */
    void ledger(JdbcTemplate jdbc, String account) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT l.kind, l.amount, l.balance_after, l.reference, p.cost
                  FROM prepaid_ledger l JOIN account a ON a.id = l.account_id
                  LEFT JOIN cdr c ON l.kind = 'CALL' AND c.call_id = l.reference
                  LEFT JOIN cdr_price p USING (cdr_key)
                 WHERE a.name = ? ORDER BY l.id""", account);
        out.printf("  Ledger of %s (prepaid)%n  %-8s %10s %10s  %s%n", account, "KIND", "AMOUNT", "BALANCE", "CDR PRICE");
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            BigDecimal amount = (BigDecimal) r.get("amount");
            BigDecimal cost = (BigDecimal) r.get("cost");
            out.printf("  %-8s %10s %10s  %s%n", r.get("kind"), plain(amount), plain((BigDecimal) r.get("balance_after")),
                    cost == null ? "" : plain(cost));
            if ("CALL".equals(r.get("kind")) && (cost == null || cost.compareTo(amount.negate()) != 0)) {
                problems.add("debit " + plain(amount) + " of call " + r.get("reference") + " is not its CDR's price " + cost);
            }
        }
        if (rows.stream().filter(r -> "CALL".equals(r.get("kind"))).count() != 2) {
            problems.add("expected 2 call debits");
        }
        if (!problems.isEmpty()) {
            throw new DemoFailure(String.join("; ", problems));
        }
        out.println("  every debit is its CDR's price; the balance never went below zero");
    }

    private static String plain(BigDecimal v) {
        return v.setScale(4, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    private static void answered(PhoneCall c, int code) {
        int got = Waits.get(c.answer, WAIT, "the answer to the call to " + c.number);
        if (got != code) {
            throw new DemoFailure("the call to " + c.number + " was answered " + got + ", expected " + code);
        }
    }
}
