package org.tollgate.proxy.dialog;

import java.time.Instant;
import java.util.List;

import org.tollgate.proxy.acct.CallLeg;

/** Dialogs for tests. */
final class Dialogs {

    private Dialogs() {
    }

    static CallLeg leg(String callId, String fromTag) {
        return new CallLeg(callId, "sip:alice@example.com", fromTag, "sip:bob@example.com", "1",
                "alice@example.com", "192.0.2.10", 5060, List.of(), List.of(), null);
    }

    static Dialog dialog(String callId, String fromTag, String calleeTag, Instant answeredAt, Instant expiresAt) {
        return dialog(callId, fromTag, calleeTag, answeredAt, expiresAt, null);
    }

    static Dialog dialog(String callId, String fromTag, String calleeTag, Instant answeredAt, Instant expiresAt,
                         Instant deadline) {
        return new Dialog(leg(callId, fromTag), calleeTag, "<sip:alice@example.com>;tag=" + fromTag,
                "<sip:bob@example.com>;tag=" + calleeTag, "sip:alice@192.0.2.10:5060", "sip:bob@198.51.100.7:5060",
                List.of("<sip:192.0.2.1;lr>"), "sip:bob@198.51.100.7:5060", answeredAt, 1, 0, answeredAt, 0, expiresAt,
                deadline);
    }
}
