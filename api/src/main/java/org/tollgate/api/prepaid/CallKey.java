package org.tollgate.api.prepaid;

import java.util.Objects;

/**
 * One prepaid call: the account that pays and the call's identifier as the network gives it
 * (RADIUS Acct-Session-Id or h323-conf-id, the SIP Call-ID, a Diameter Session-Id).
 */
public record CallKey(String account, String callId) {

    public CallKey {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(callId, "callId");
        if (account.isEmpty() || callId.isEmpty()) {
            throw new IllegalArgumentException("a prepaid call needs an account and a call id");
        }
    }

    @Override
    public String toString() {
        return account + "/" + callId;
    }
}
