package org.tollgate.aaa.radius.prepaid;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.tollgate.aaa.radius.auth.AccessDecision;
import org.tollgate.aaa.radius.auth.AccessPolicy;
import org.tollgate.aaa.radius.auth.AttributeItem;
import org.tollgate.api.Money;
import org.tollgate.api.prepaid.Grant;

/**
 * The answer to a prepaid authorization, in attributes both kinds of NAS read:
 * <ul>
 * <li>every NAS: Session-Timeout = the seconds granted (RFC 2865 §5.27), and Termination-Action =
 *     RADIUS-Request when more may be granted later (§5.29: ask again instead of hanging up);
 *     a refusal is an Access-Reject whose Reply-Message says why;</li>
 * <li>SIP proxies (Kamailio's auth_radius loads only SIP-AVP replies into AVPs unless
 *     {@code radius_avps_mode} is 1): {@code SIP-AVP = "session_timeout#N"}, the AVP
 *     {@code $avp(session_timeout)} with integer value N;</li>
 * <li>Cisco voice gateways (debit-card scripts): h323-credit-time, h323-credit-amount,
 *     h323-currency, h323-billing-model (1 debit, 0 credit) and h323-return-code, with the
 *     return codes of Cisco's RADIUS VSA Voice Implementation Guide ("Return Codes for Debit Card
 *     Applications"): 0 success, 1 invalid account, 2 invalid password, 4 zero balance, 7 user
 *     denied, 8 service not available, 9 called number blocked, 12 insufficient balance.</li>
 * </ul>
 */
final class PrepaidReply {

    /** Kamailio AVP carrying the granted seconds. */
    static final String SIP_AVP_NAME = "session_timeout";

    private PrepaidReply() {
    }

    /** The Cisco return code of a prepaid answer. */
    static int returnCode(Grant g) {
        return switch (g.result()) {
            case GRANTED, POSTPAID -> 0;
            case UNKNOWN_ACCOUNT -> 1;
            case INSUFFICIENT_CREDIT -> g.available() == null || g.available().signum() <= 0 ? 4 : 12;
            case NO_RATE -> 9;
            case UNKNOWN_CALL -> 7;
            case UNAVAILABLE -> 8;
        };
    }

    /** The Cisco return code of an authentication refused before prepaid was asked. */
    static int returnCode(AccessDecision refused) {
        String why = refused.reason() == null ? "" : refused.reason();
        if (why.equals(AccessPolicy.UNAVAILABLE)) {
            return 8;
        }
        if (why.startsWith("no such user")) {
            return 1;
        }
        if (why.equals("suspended") || why.startsWith("Auth-Type Reject")) {
            return 7;
        }
        return 2;
    }

    /** What the NAS is told of a refusal (Reply-Message). */
    static String message(Grant g, String account) {
        String why = g.reason() == null ? "" : g.reason();
        return switch (g.result()) {
            case UNKNOWN_ACCOUNT -> "unknown account " + account;
            case NO_RATE -> "no rate for the destination" + (why.isEmpty() ? "" : ": " + why);
            case INSUFFICIENT_CREDIT -> why.startsWith("insufficient credit") ? why
                    : "insufficient credit" + (why.isEmpty() ? "" : ": " + why);
            case UNAVAILABLE -> AccessPolicy.UNAVAILABLE;
            default -> why.isEmpty() ? g.result().name().toLowerCase() : why;
        };
    }

    /**
     * The accept: the authentication's own reply items (when it had any) with the prepaid items
     * after them; a Session-Timeout of the user's that is shorter than the grant stays.
     */
    static AccessDecision accept(AccessDecision authenticated, Grant g, boolean cisco) {
        List<AttributeItem> reply = new ArrayList<>(authenticated == null ? List.of() : authenticated.reply());
        if (g.result() == Grant.Result.GRANTED) {
            long seconds = g.seconds();
            for (AttributeItem i : reply) {
                if (i.attribute().equalsIgnoreCase("Session-Timeout")) {
                    try {
                        seconds = Math.min(seconds, Long.parseLong(i.value().trim()));
                    } catch (NumberFormatException e) {
                        // not a number: the grant stands
                    }
                }
            }
            reply.add(AttributeItem.of("Session-Timeout", ":=", Long.toString(seconds)));
            if (!g.last()) {
                reply.add(AttributeItem.of("Termination-Action", ":=", "RADIUS-Request"));
            }
            if (cisco) {
                reply.add(h323("h323-credit-time", Long.toString(seconds)));
                Money credit = credit(g);
                if (credit != null) {
                    reply.add(h323("h323-credit-amount", plain(credit.amount())));
                    reply.add(h323("h323-currency", credit.currency().getCurrencyCode()));
                }
                reply.add(h323("h323-billing-model", "1"));
            } else {
                reply.add(AttributeItem.of("SIP-AVP", "+=", SIP_AVP_NAME + "#" + seconds));
            }
        } else if (cisco) {
            reply.add(h323("h323-billing-model", "0")); // postpaid: credit, no limit from us
        }
        if (cisco) {
            reply.add(h323("h323-return-code", "0"));
        }
        return AccessDecision.accept(reply, g.result() == Grant.Result.GRANTED
                ? "prepaid: " + g.seconds() + " s granted" : "postpaid");
    }

    /** The reject for a prepaid refusal. */
    static AccessDecision reject(Grant g, String account, boolean cisco) {
        String message = message(g, account);
        List<AttributeItem> reply = new ArrayList<>(List.of(AttributeItem.of("Reply-Message", "=", message)));
        if (cisco) {
            if (g.available() != null) {
                reply.add(h323("h323-credit-amount", plain(g.available().amount())));
                reply.add(h323("h323-currency", g.available().currency().getCurrencyCode()));
            }
            reply.add(h323("h323-return-code", Integer.toString(returnCode(g))));
        }
        return new AccessDecision(false, reply, g.result() == Grant.Result.UNAVAILABLE ? AccessPolicy.UNAVAILABLE
                : "prepaid: " + message);
    }

    /** A refused authentication, told to a Cisco gateway with its return code too. */
    static AccessDecision refusedAuthentication(AccessDecision refused, boolean cisco) {
        if (!cisco) {
            return refused;
        }
        List<AttributeItem> reply = new ArrayList<>(refused.reply());
        reply.add(h323("h323-return-code", Integer.toString(returnCode(refused))));
        return new AccessDecision(false, reply, refused.reason());
    }

    /** What the caller has for calls, this call's hold included (what a debit-card prompt announces). */
    private static Money credit(Grant g) {
        if (g.available() == null) {
            return null;
        }
        return g.reserved() == null ? g.available() : g.available().plus(g.reserved());
    }

    private static AttributeItem h323(String name, String value) {
        return AttributeItem.of(name, ":=", name + "=" + value);
    }

    private static String plain(BigDecimal v) {
        return v.stripTrailingZeros().scale() < 2 ? v.setScale(2, java.math.RoundingMode.UNNECESSARY).toPlainString()
                : v.stripTrailingZeros().toPlainString();
    }
}
