package org.tollgate.aaa.radius;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A reset MD5 digest for the calling thread. RADIUS hashes every packet several times;
 * {@code MessageDigest.getInstance} on each of them showed up as a large part of the profile.
 */
public final class Md5 {

    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private Md5() {
    }

    /** MD5 of the UTF-8 text, lower-case hex, as FreeRADIUS's %{md5:…} and RFC 2617 write it. */
    public static String hex(String text) {
        return java.util.HexFormat.of().formatHex(digest().digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The thread's digest, reset. Use it to completion before asking again. */
    public static MessageDigest digest() {
        MessageDigest md = DIGEST.get();
        md.reset();
        return md;
    }
}
