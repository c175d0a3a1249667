package org.tollgate.proxy.auth;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless digest nonces: the issue time and an HMAC of it under a key made at start-up, so
 * any nonce this proxy issued can be checked without storing it, and an old one is stale.
 */
public final class Nonces {

    public enum Check { VALID, STALE, INVALID }

    private static final HexFormat HEX = HexFormat.of();

    private final SecretKeySpec key;
    private final Clock clock;
    private final Duration lifetime;

    public Nonces(Clock clock, Duration lifetime) {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public String issue() {
        long now = clock.millis();
        return Long.toHexString(now) + HEX.formatHex(mac(now));
    }

    public Check check(String nonce) {
        if (nonce == null || nonce.length() < 33 || nonce.length() > 60) {
            return Check.INVALID;
        }
        String ts = nonce.substring(0, nonce.length() - 32);
        long issued;
        byte[] given;
        try {
            issued = Long.parseLong(ts, 16);
            given = HEX.parseHex(nonce.substring(nonce.length() - 32));
        } catch (IllegalArgumentException e) {
            return Check.INVALID;
        }
        if (!MessageDigest.isEqual(given, mac(issued))) {
            return Check.INVALID;
        }
        long age = clock.millis() - issued;
        return age < -5_000 || age > lifetime.toMillis() ? Check.STALE : Check.VALID;
    }

    private byte[] mac(long time) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            byte[] full = m.doFinal(ByteBuffer.allocate(8).putLong(time).array());
            byte[] out = new byte[16];
            System.arraycopy(full, 0, out, 0, 16);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
