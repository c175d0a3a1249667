package org.tollgate.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The keys of {@link AccountingEvent}, the same for every protocol, so the CDR engine pairs the
 * records of one call whichever way they came (RADIUS, Diameter, both).
 */
public final class AccountingKeys {

    private AccountingKeys() {
    }

    /**
     * A SIP call leg is its Call-ID plus the unordered tag pair, so the BYE's direction does not
     * matter; any other session is its unique session id. As a UUID-shaped MD5.
     */
    public static String sessionKey(String callId, String fromTag, String toTag, String unique) {
        if (callId != null && (fromTag != null || toTag != null)) {
            String a = fromTag == null ? "" : fromTag;
            String b = toTag == null ? "" : toTag;
            String lo = a.compareTo(b) <= 0 ? a : b;
            String hi = a.compareTo(b) <= 0 ? b : a;
            return uuid(md5("sip\u0000" + callId + "\u0000" + lo + "\u0000" + hi));
        }
        return callId == null ? null : uuid(md5("acct\u0000" + unique));
    }

    /** 16 bytes written as a UUID (8-4-4-4-12 hex digits). */
    public static String uuid(byte[] sixteen) {
        String h = HexFormat.of().formatHex(sixteen);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20);
    }

    public static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }

    private static byte[] md5(String s) {
        return md5().digest(s.getBytes(StandardCharsets.UTF_8));
    }
}
