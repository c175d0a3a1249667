package org.tollgate.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

import org.tollgate.proxy.sip.Headers;

/** Initial INVITEs without a final answer yet, found again by their CANCEL (same Call-ID and top Via branch). */
final class PendingInvites {

    private final Map<String, ProxiedRequest> pending = new ConcurrentHashMap<>();

    void track(ProxiedRequest pr) {
        if (pr.kind == ProxiedRequest.Kind.INITIAL_INVITE) {
            pending.put(key(pr.original), pr);
        }
    }

    /** The INVITE got its final answer: a CANCEL comes too late for it. */
    void forget(ProxiedRequest pr) {
        if (pr.kind == ProxiedRequest.Kind.INITIAL_INVITE) {
            pending.remove(key(pr.original), pr);
        }
    }

    /** The INVITE a CANCEL cancels, or null. */
    ProxiedRequest cancelled(Request cancel) {
        return pending.get(key(cancel));
    }

    private static String key(Request r) {
        ViaHeader via = (ViaHeader) r.getHeader(ViaHeader.NAME);
        return Headers.callId(r) + '\n' + (via == null ? "" : via.getBranch());
    }
}
