package org.tollgate.proxy;

import java.util.ListIterator;

import javax.sip.header.Header;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.tollgate.proxy.sip.Headers;

/** RFC 4028 session timers as the proxy applies them to the INVITEs it forwards and their 2xx. */
final class SessionTimers {

    private final ProxySettings settings;
    private final Replies replies;

    SessionTimers(ProxySettings settings, Replies replies) {
        this.settings = settings;
        this.replies = replies;
    }

    /** An offer below the proxy's Min-SE (to be answered 422), or 0 when it is acceptable. */
    long tooSmall(Request invite) {
        long offered = seconds(invite, "Session-Expires");
        return offered > 0 && offered < settings.minSe().toSeconds() ? settings.minSe().toSeconds() : 0;
    }

    /** Inserts Session-Expires and Min-SE into an INVITE that has none; returns the interval inserted (0 = none). */
    long insert(Request fwd) {
        if (settings.sessionExpires().isZero() || fwd.getHeader("Session-Expires") != null) {
            return 0;
        }
        long se = settings.sessionExpires().toSeconds();
        replies.addHeader(fwd, "Session-Expires", Long.toString(se));
        if (fwd.getHeader("Min-SE") == null) {
            replies.addHeader(fwd, "Min-SE", Long.toString(settings.minSe().toSeconds()));
        }
        return se;
    }

    /** Asks again with the interval a 422 demanded: Session-Expires and Min-SE both set to it. */
    void raise(Request fwd, long seconds) {
        fwd.removeHeader("Session-Expires");
        replies.addHeader(fwd, "Session-Expires", Long.toString(seconds));
        fwd.removeHeader("Min-SE");
        replies.addHeader(fwd, "Min-SE", Long.toString(seconds));
    }

    /**
     * A 2xx without Session-Expires to an INVITE that offered or was given one: the callee has no
     * timer, so the caller refreshes (RFC 4028 §8.2) if it supports timers.
     */
    void decorateAnswer(Request invite, long inserted, Response r) {
        if (r.getHeader("Session-Expires") != null) {
            return;
        }
        long offered = seconds(invite, "Session-Expires");
        long interval = offered > 0 ? offered : inserted;
        if (interval > 0 && supportsTimer(invite)) {
            replies.addHeader(r, "Session-Expires", interval + ";refresher=uac");
            replies.addHeader(r, "Require", "timer");
        }
    }

    private static boolean supportsTimer(Request r) {
        ListIterator<Header> it = r.getHeaders("Supported");
        while (it.hasNext()) {
            String v = it.next().toString();
            if (v.toLowerCase().contains("timer")) {
                return true;
            }
        }
        return false;
    }

    /** The leading number of a header such as Session-Expires or Min-SE ("1800;refresher=uac"), or 0. */
    static long seconds(Message m, String name) {
        String v = Headers.value(m, name);
        if (v == null) {
            return 0;
        }
        int semi = v.indexOf(';');
        try {
            return Long.parseLong((semi < 0 ? v : v.substring(0, semi)).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
