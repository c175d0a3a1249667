package org.tollgate.aaa.radius.support;

import java.time.Instant;
import java.util.List;

import org.tollgate.api.AccountingEvent;
import org.tollgate.api.AccountingStatus;

/** Builds accounting events for tests. */
public final class Events {

    private Events() {
    }

    /** Each test NAS accounts from its own address. */
    static String address(String nas) {
        return "10.0.0." + (Math.floorMod(nas.hashCode(), 200) + 1);
    }

    /** The UUID a readable test key stands for. */
    public static String key(String name) {
        return java.util.UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    public static AccountingEvent sip(String recordKey, AccountingStatus status, String callId, String fromTag,
                                      String toTag, Instant at, String nas) {
        return new AccountingEvent(key(recordKey), key(callId + "/" + (fromTag.compareTo(toTag) < 0
                ? fromTag + "/" + toTag : toTag + "/" + fromTag)), at, at, nas, address(nas), status, status.code(),
                callId, "u-" + callId, "alice@example.com", "sip:alice@example.com", "sip:bob@example.com",
                status == AccountingStatus.STOP ? "BYE" : "INVITE", 200, fromTag, toTag, "1", null, "127.0.0.1",
                5060, null, null, 0, List.of(new AccountingEvent.Attribute("Acct-Session-Id", callId),
                new AccountingEvent.Attribute("SIP-AVP", "a"), new AccountingEvent.Attribute("SIP-AVP", "b")));
    }

    public static AccountingEvent nasState(String recordKey, AccountingStatus status, Instant at, String nas) {
        return new AccountingEvent(key(recordKey), null, at, at, nas, address(nas), status, status.code(), null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, 0, List.of());
    }
}
