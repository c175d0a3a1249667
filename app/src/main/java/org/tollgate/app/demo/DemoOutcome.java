package org.tollgate.app.demo;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Each call placed next to the CDR and price the batch made of it. The demo checks them: a
 * call whose CDR says something else than what happened on the wire fails the demo.
 */
final class DemoOutcome {

    private DemoOutcome() {
    }

    static void check(JdbcTemplate jdbc, List<DemoCalls.Placed> placed, PrintStream out) {
        List<String> problems = new ArrayList<>();
        out.printf("  %-26s %-15s %-10s %4s %-16s %6s %s%n", "CALLER", "NUMBER", "CDR", "CODE", "TERMINATE-CAUSE",
                "BILL-S", "PRICE");
        for (DemoCalls.Placed p : placed) {
            List<Map<String, Object>> rows = jdbc.queryForList("""
                    SELECT c.disposition, c.sip_code, c.terminate_cause, p.billed_seconds, p.rating_status, p.cost,
                           p.currency, p.unrated_reason
                      FROM cdr c LEFT JOIN cdr_price p USING (cdr_key)
                     WHERE c.call_id = ?""", p.callId());
            if (rows.size() != 1) {
                problems.add(p.caller() + " -> " + p.number() + ": " + rows.size() + " CDRs, expected 1");
                continue;
            }
            Map<String, Object> r = rows.get(0);
            Integer cause = r.get("terminate_cause") == null ? null : ((Number) r.get("terminate_cause")).intValue();
            out.printf("  %-26s %-15s %-10s %4s %-16s %6s %s%n", p.caller(), p.number(), r.get("disposition"),
                    r.get("sip_code"), cause(cause), r.get("billed_seconds") == null ? "" : r.get("billed_seconds"),
                    price(r));
            if (!p.disposition().equals(r.get("disposition"))) {
                problems.add(p.caller() + " -> " + p.number() + ": CDR " + r.get("disposition") + ", expected "
                        + p.disposition());
            }
            if (!Objects.equals(p.terminateCause(), cause)) {
                problems.add(p.caller() + " -> " + p.number() + ": terminate cause " + cause(cause) + ", expected "
                        + cause(p.terminateCause()));
            }
            if (!"RATED".equals(r.get("rating_status"))) {
                problems.add(p.caller() + " -> " + p.number() + ": not priced (" + r.get("rating_status") + " "
                        + r.get("unrated_reason") + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new DemoFailure("the CDRs do not match the calls: " + String.join("; ", problems));
        }
        out.println("  every call has the CDR it should and a price");
    }

    private static String price(Map<String, Object> r) {
        if (!"RATED".equals(r.get("rating_status"))) {
            return String.valueOf(r.get("rating_status"));
        }
        return ((BigDecimal) r.get("cost")).setScale(4, java.math.RoundingMode.HALF_UP).toPlainString() + " "
                + r.get("currency");
    }

    /** Acct-Terminate-Cause (RFC 2866 §5.10) as the demo shows it: none for a call ended by a BYE. */
    static String cause(Integer code) {
        if (code == null) {
            return "-";
        }
        switch (code) {
            case 1:
                return "User-Request";
            case 4:
                return "Idle-Timeout";
            case 5:
                return "Session-Timeout";
            default:
                return "#" + code;
        }
    }
}
