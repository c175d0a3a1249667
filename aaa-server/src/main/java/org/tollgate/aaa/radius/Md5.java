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

    /** The thread's digest, reset. Use it to completion before asking again. */
    public static MessageDigest digest() {
        MessageDigest md = DIGEST.get();
        md.reset();
        return md;
    }
}
