package org.tollgate.proxy.aaa;

import java.util.List;

/**
 * The RADIUS server's answer to a digest check. {@code sipAvps} are the SIP-AVP (225) values
 * of an Access-Accept in order, e.g. {@code "#2:192.168.2.10"} or {@code "rpid:101"}.
 * {@code unavailable} means no server answered (the proxy answers 500, not 403).
 * {@code sessionTimeout}: the Accept's Session-Timeout in seconds, the longest the user's call may
 * last (0: none given).
 */
public record DigestVerdict(boolean accepted, boolean unavailable, List<String> sipAvps, String replyMessage,
                            long sessionTimeout) {

    public DigestVerdict {
        sipAvps = List.copyOf(sipAvps);
    }

    public static DigestVerdict noServer() {
        return new DigestVerdict(false, true, List.of(), null, 0);
    }
}
