package org.tollgate.tests.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Raw RADIUS encoding for the load generator: cheap enough that the generator leaves the CPU
 * to the server it measures. Verified against the server under test (and radclient) by the
 * benchmark itself: every request must be answered.
 */
public final class RadiusPackets {

    static final int ACCESS_REQUEST = 1;
    static final int ACCOUNTING_REQUEST = 4;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ByteArrayOutputStream attrs = new ByteArrayOutputStream(256);

    public RadiusPackets string(int type, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        attrs.write(type);
        attrs.write(v.length + 2);
        attrs.writeBytes(v);
        return this;
    }

    public RadiusPackets integer(int type, int value) {
        attrs.write(type);
        attrs.write(6);
        attrs.write(value >>> 24);
        attrs.write(value >>> 16);
        attrs.write(value >>> 8);
        attrs.write(value);
        return this;
    }

    public RadiusPackets octets(int type, byte[] v) {
        attrs.write(type);
        attrs.write(v.length + 2);
        attrs.writeBytes(v);
        return this;
    }

    /** Accounting-Request: authenticator = MD5(code+id+len+16 zero+attrs+secret). */
    public byte[] accounting(int id, byte[] secret) {
        byte[] a = attrs.toByteArray();
        byte[] p = header(ACCOUNTING_REQUEST, id, a);
        MessageDigest md5 = md5();
        md5.update(p);
        md5.update(secret);
        System.arraycopy(md5.digest(), 0, p, 4, 16);
        return p;
    }

    /** Access-Request with a random authenticator and a Message-Authenticator (RFC 3579). */
    public byte[] access(int id, byte[] secret, String password) {
        byte[] auth = new byte[16];
        RANDOM.nextBytes(auth);
        // User-Password: RFC 2865 §5.2
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        int len = Math.max(16, (pw.length + 15) / 16 * 16);
        byte[] enc = new byte[len];
        System.arraycopy(pw, 0, enc, 0, pw.length);
        byte[] prev = auth;
        for (int i = 0; i < len; i += 16) {
            MessageDigest md5 = md5();
            md5.update(secret);
            md5.update(prev);
            byte[] b = md5.digest();
            for (int j = 0; j < 16; j++) {
                enc[i + j] ^= b[j];
            }
            prev = java.util.Arrays.copyOfRange(enc, i, i + 16);
        }
        octets(2, enc);
        return signed(id, secret, auth);
    }

    /** Access-Request without credentials (a prepaid authorization alone), with a Message-Authenticator. */
    public byte[] accessWithoutPassword(int id, byte[] secret) {
        byte[] auth = new byte[16];
        RANDOM.nextBytes(auth);
        return signed(id, secret, auth);
    }

    private byte[] signed(int id, byte[] secret, byte[] auth) {
        octets(80, new byte[16]);
        byte[] a = attrs.toByteArray();
        byte[] p = header(ACCESS_REQUEST, id, a);
        System.arraycopy(auth, 0, p, 4, 16);
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(secret, "HmacMD5"));
            byte[] ma = mac.doFinal(p);
            System.arraycopy(ma, 0, p, p.length - 16, 16);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return p;
    }

    private static byte[] header(int code, int id, byte[] a) {
        byte[] p = new byte[20 + a.length];
        p[0] = (byte) code;
        p[1] = (byte) id;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        System.arraycopy(a, 0, p, 20, a.length);
        return p;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
