package org.tollgate.proxy.aaa;

import java.util.List;

/**
 * The RADIUS server's answer to a digest check. {@code sipAvps} are the SIP-AVP (225) values
 * of an Access-Accept in order, e.g. {@code "#2:192.168.2.10"} or {@code "rpid:101"}.
 * {@code unavailable} means no server answered (the proxy answers 500, not 403).
 * {@code sessionTimeout}: the Accept's Session-Timeout in seconds, the longest the user's call may
 * last (0: none given); {@code renewable}: the Accept said Termination-Action = RADIUS-Request (RFC 2865
 * §5.29), so the proxy asks again before the Session-Timeout runs out instead of ending the call.
 */
public record DigestVerdict(boolean accepted, boolean unavailable, List<String> sipAvps, String replyMessage,
                            long sessionTimeout, boolean renewable) {

    /** Kamailio's AVP with the seconds of a prepaid grant ({@code SIP-AVP = "session_timeout#N"}). */
    public static final String PREPAID_AVP = "session_timeout#";

    public DigestVerdict {
        sipAvps = List.copyOf(sipAvps);
    }

    public static DigestVerdict noServer() {
        return new DigestVerdict(false, true, List.of(), null, 0, false);
    }

    /**
     * True when nothing was decided: no server answered, or the server answered that it could not
     * decide (a Reject saying "temporarily unavailable", its database down) — an outage, not a refusal.
     */
    public boolean undecided() {
        return unavailable || (!accepted && PrepaidRefusal.unavailable(replyMessage));
    }

    /**
     * The seconds of a prepaid grant: the Session-Timeout of an Accept that is renewable or carries
     * the {@code session_timeout} AVP (else that AVP's value); -1 when the Accept grants no prepaid time.
     */
    public long prepaidSeconds() {
        long avp = -1;
        for (String a : sipAvps) {
            if (a.startsWith(PREPAID_AVP)) {
                try {
                    avp = Long.parseLong(a.substring(PREPAID_AVP.length()).trim());
                } catch (NumberFormatException e) {
                    avp = -1;
                }
            }
        }
        if (!accepted || (!renewable && avp < 0)) {
            return -1;
        }
        return sessionTimeout > 0 ? sessionTimeout : Math.max(0, avp);
    }
}
