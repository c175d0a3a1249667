package org.tollgate.proxy.aaa;

/**
 * What makes an Access-Request a prepaid authorization (Kamailio's {@code auth_extra}): the call
 * (Acct-Session-Id, the SIP Call-ID), where it goes (Called-Station-Id) and, for a
 * re-authorization, the seconds it has used since it was answered (Acct-Session-Time, above 0).
 * {@code allServers}: a request no server answers is failed over to the next one (otherwise only
 * the server in use is asked, RFC 4006's TERMINATE).
 */
public record CallAuthorization(String callId, String calledStationId, long usedSeconds, boolean allServers) {

    public CallAuthorization {
        if (callId == null || callId.isEmpty() || calledStationId == null || calledStationId.isEmpty()) {
            throw new IllegalArgumentException("a call authorization needs the call id and the called station");
        }
        if (usedSeconds < 0) {
            throw new IllegalArgumentException("used seconds cannot be negative");
        }
    }

    /** The re-authorization of this call after {@code seconds} used. */
    public CallAuthorization used(long seconds, boolean failover) {
        return new CallAuthorization(callId, calledStationId, Math.max(1, seconds), failover);
    }
}
