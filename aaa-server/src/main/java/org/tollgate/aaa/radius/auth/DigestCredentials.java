package org.tollgate.aaa.radius.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The SIP Digest parameters of an Access-Request, whichever encoding carried them
 * (draft-sterman Digest-Attributes or RFC 5090), and the RFC 2617 check.
 */
public record DigestCredentials(
        String response,
        String realm,
        String nonce,
        String method,
        String uri,
        String qop,
        String algorithm,
        String bodyDigest,
        String cnonce,
        String nonceCount,
        String userName) {

    /** True when {@code response} is what a client knowing the password behind {@code ha1} sends. */
    public boolean matches(String ha1) {
        if (response == null || nonce == null || method == null || uri == null || ha1 == null) {
            return false;
        }
        String a1 = ha1.toLowerCase();
        if (algorithm != null && algorithm.equalsIgnoreCase("MD5-sess")) {
            a1 = Passwords.md5Hex(a1 + ":" + nonce + ":" + nz(cnonce));
        } else if (algorithm != null && !algorithm.isEmpty() && !algorithm.equalsIgnoreCase("MD5")) {
            return false;
        }
        String a2 = method + ":" + uri;
        if ("auth-int".equalsIgnoreCase(qop)) {
            if (bodyDigest == null) {
                return false;
            }
            a2 = a2 + ":" + bodyDigest;
        }
        String ha2 = Passwords.md5Hex(a2);
        String expected = qop == null || qop.isEmpty()
                ? Passwords.md5Hex(a1 + ":" + nonce + ":" + ha2)
                : Passwords.md5Hex(a1 + ":" + nonce + ":" + nz(nonceCount) + ":" + nz(cnonce) + ":" + qop + ":" + ha2);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                response.toLowerCase().getBytes(StandardCharsets.US_ASCII));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
