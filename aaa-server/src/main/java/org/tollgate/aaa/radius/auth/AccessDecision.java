package org.tollgate.aaa.radius.auth;

import java.util.List;

/** Accept or reject, the reply items to send, and why (for metrics and debug logs; never a secret). */
public record AccessDecision(boolean accept, List<AttributeItem> reply, String reason) {

    public AccessDecision {
        reply = List.copyOf(reply);
    }

    public static AccessDecision accept(List<AttributeItem> reply, String reason) {
        return new AccessDecision(true, reply, reason);
    }

    public static AccessDecision reject(String reason) {
        return new AccessDecision(false, List.of(), reason);
    }

    /** A reject whose reason the NAS is told, in a Reply-Message. */
    public static AccessDecision rejectSaying(String reason) {
        return new AccessDecision(false, List.of(AttributeItem.of("Reply-Message", "=", reason)), reason);
    }
}
