package org.tollgate.proxy.aaa;

import java.util.Locale;
import java.util.Optional;

/**
 * A prepaid authorization's Access-Reject, told apart from a wrong password by its Reply-Message
 * (what Tollgate's AAA server, and CGRateS-style servers, say), and the SIP answer for it: 402
 * when the money is short, 403 for an account that does not exist, 404 when the destination has
 * no price. A refusal is not a failed authentication: it never counts towards a ban.
 */
public record PrepaidRefusal(int sipCode, String reasonPhrase, String why) {

    /** The refusal a Reply-Message names, or empty when it is not one (a plain authentication failure). */
    public static Optional<PrepaidRefusal> of(String replyMessage) {
        if (replyMessage == null) {
            return Optional.empty();
        }
        String m = replyMessage.trim().toLowerCase(Locale.ROOT);
        if (m.startsWith("insufficient credit") || m.startsWith("credit limit")) {
            return Optional.of(new PrepaidRefusal(402, "Payment Required", replyMessage.trim()));
        }
        if (m.startsWith("unknown account")) {
            return Optional.of(new PrepaidRefusal(403, "Forbidden - unknown account", replyMessage.trim()));
        }
        if (m.startsWith("no rate for the destination")) {
            return Optional.of(new PrepaidRefusal(404, "Not Found - no rate for the destination", replyMessage.trim()));
        }
        return Optional.empty();
    }

    /** True for the Reply-Message of a server that could not decide (its database down): an outage, not a refusal. */
    public static boolean unavailable(String replyMessage) {
        return replyMessage != null && replyMessage.trim().equalsIgnoreCase("temporarily unavailable");
    }
}
