package org.tollgate.aaa.radius.server;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 2866 §3: the Request Authenticator of an Accounting-Request is
 * MD5(Code + Identifier + Length + 16 zero octets + Attributes + Secret). Checked on the
 * received bytes, which is cheaper than re-encoding the parsed packet.
 */
final class RequestAuthenticator {

    private static final byte[] ZEROS = new byte[16];

    private RequestAuthenticator() {
    }

    static boolean accountingValid(byte[] packet, byte[] secret) {
        if (packet.length < 20) {
            return false;
        }
        int length = ((packet[2] & 0xff) << 8) | (packet[3] & 0xff);
        if (length < 20 || length > packet.length) {
            return false;
        }
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md5.update(packet, 0, 4);
        md5.update(ZEROS);
        md5.update(packet, 20, length - 20);
        md5.update(secret);
        byte[] expected = md5.digest();
        return MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(packet, 4, 20));
    }
}
