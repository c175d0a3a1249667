package org.tollgate.aaa.radius.prepaid;

import java.util.List;
import java.util.Optional;

/**
 * Which call a RADIUS request is about, named the way NASes with a prepaid backend name it, in the
 * same order for Access-Requests and accounting so both find the same reservation:
 * <ol>
 * <li>Cisco's {@code h323-conf-id} (vendor 9, 24), or {@code "h323-conf-id=…"} in a Cisco-AVPair:
 *     a Cisco gateway's call across its legs (its Acct-Session-Id differs per leg);</li>
 * <li>Acct-Session-Id (the SIP Call-ID from Kamailio's acc, from auth_radius's
 *     {@code auth_extra "Acct-Session-Id=$ci"}, from Tollgate's proxy);</li>
 * <li>{@code "call-id=…"} in a Cisco-AVPair, which Kamailio's auth_radius adds by itself when its
 *     dictionary knows Cisco-AVPair.</li>
 * </ol>
 * The h323-* VSAs carry {@code name=value} text (Cisco's RADIUS VSA Voice Implementation Guide);
 * a bare value is taken as it is.
 */
final class CallIds {

    static final int CISCO = 9;
    static final int CISCO_AVPAIR = 1;
    static final int H323_CONF_ID = 24;
    static final int H323_CALL_ORIGIN = 26;

    private CallIds() {
    }

    /** The call's id from what the request carries; empty when it names no call. */
    static Optional<String> callId(List<String> confIds, List<String> avPairs, String acctSessionId) {
        for (String c : confIds) {
            String v = valueOf("h323-conf-id", c);
            if (!v.isEmpty()) {
                return Optional.of(v);
            }
        }
        String fromPair = pair(avPairs, "h323-conf-id");
        if (fromPair != null) {
            return Optional.of(fromPair);
        }
        if (acctSessionId != null && !acctSessionId.isBlank()) {
            return Optional.of(acctSessionId.trim());
        }
        return Optional.ofNullable(pair(avPairs, "call-id"));
    }

    /** True when the request names its call the Cisco way (h323-conf-id): it is answered with the h323-* VSAs. */
    static boolean ciscoCall(List<String> confIds, List<String> avPairs) {
        return !confIds.isEmpty() || pair(avPairs, "h323-conf-id") != null;
    }

    /** {@code value} without a leading {@code name=} (compared ignoring case), trimmed. */
    static String valueOf(String name, String value) {
        String v = value.trim();
        if (v.regionMatches(true, 0, name + "=", 0, name.length() + 1)) {
            v = v.substring(name.length() + 1).trim();
        }
        return v;
    }

    /** The value of the first non-empty {@code name=value} pair of that name, or null. */
    static String pair(List<String> avPairs, String name) {
        for (String p : avPairs) {
            String t = p.trim();
            if (t.regionMatches(true, 0, name + "=", 0, name.length() + 1)) {
                String v = t.substring(name.length() + 1).trim();
                if (!v.isEmpty()) {
                    return v;
                }
            }
        }
        return null;
    }
}
