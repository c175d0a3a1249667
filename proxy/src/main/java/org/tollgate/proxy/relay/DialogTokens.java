package org.tollgate.proxy.relay;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proxy's mark on the dialogs it authorized: a keyed HMAC of (Call-ID, From tag of the
 * initial request) carried in a parameter of its Record-Route URI. Both ends of the dialog send
 * it back in their Route, so an in-dialog request can be checked without any state (after a
 * restart, on another instance sharing the key, for SUBSCRIBE/NOTIFY and REFER dialogs the
 * proxy never tracks): its Call-ID and one of its two tags must match the token.
 */
public final class DialogTokens {

    /** The Record-Route URI parameter holding the token. */
    public static final String PARAM = "tgd";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    // a Mac is not thread-safe and costly to make: one per thread, initialised once
    private final ThreadLocal<Mac> macs;

    public DialogTokens(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("dialog token key too short");
        }
        SecretKeySpec spec = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(spec);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        macs.get(); // a key or provider problem shows at start, not on the first call
    }

    /** The token of a dialog whose initial request had this Call-ID and From tag. */
    public String token(String callId, String fromTag) {
        Mac m = macs.get();
        m.update(callId.getBytes(StandardCharsets.UTF_8));
        m.update((byte) '\n');
        m.update((fromTag == null ? "" : fromTag).getBytes(StandardCharsets.UTF_8));
        byte[] full = m.doFinal();
        byte[] out = new byte[12];
        System.arraycopy(full, 0, out, 0, out.length);
        return B64.encodeToString(out);
    }

    /** True when {@code token} was issued for this Call-ID and either tag (a request may come from either side). */
    public boolean valid(String token, String callId, String tagA, String tagB) {
        if (token == null || callId == null || token.length() != 16) {
            return false;
        }
        byte[] given = token.getBytes(StandardCharsets.US_ASCII);
        return tagA != null && MessageDigest.isEqual(given, token(callId, tagA).getBytes(StandardCharsets.US_ASCII))
                || tagB != null && MessageDigest.isEqual(given, token(callId, tagB).getBytes(StandardCharsets.US_ASCII));
    }
}
