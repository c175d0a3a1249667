package org.tollgate.aaa.radius.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Password derivations. PAP hashes use FreeRADIUS's SSHA2-256 layout,
 * {@code {SSHA256}base64(sha256(password || salt) || salt)}: fast enough for tens of
 * thousands of authentications a second, salted so equal passwords do not look equal.
 */
public final class Passwords {

    private static final String SSHA256 = "{SSHA256}";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {
    }

    public static String papHash(String password) {
        byte[] salt = new byte[8];
        RANDOM.nextBytes(salt);
        byte[] digest = sha256(password.getBytes(StandardCharsets.UTF_8), salt);
        return SSHA256 + Base64.getEncoder().encodeToString(
                ByteBuffer.allocate(digest.length + salt.length).put(digest).put(salt).array());
    }

    public static boolean papMatches(String stored, String password) {
        if (stored == null || !stored.startsWith(SSHA256)) {
            return false;
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(stored.substring(SSHA256.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (raw.length <= 32) {
            return false;
        }
        byte[] salt = Arrays.copyOfRange(raw, 32, raw.length);
        byte[] expected = Arrays.copyOf(raw, 32);
        return MessageDigest.isEqual(expected, sha256(password.getBytes(StandardCharsets.UTF_8), salt));
    }

    /** HA1 of RFC 2617: MD5(username:realm:password), lower-case hex. */
    public static String ha1(String username, String realm, String password) {
        return md5Hex(username + ":" + realm + ":" + password);
    }

    public static String md5Hex(String s) {
        return org.tollgate.aaa.radius.Md5.hex(s);
    }


    private static byte[] sha256(byte[] password, byte[] salt) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(password);
            md.update(salt);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
