package org.tollgate.app.api.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;

/**
 * One configured token ({@code tollgate.api.token}), presented as {@code Authorization: Bearer
 * <token>} (RFC 6750). Only digests are compared, with {@link MessageDigest#isEqual}: the time a
 * comparison takes says nothing about the token, not even its length.
 */
public final class BearerTokenCallers implements Callers {

    /** Shorter tokens are refused at start-up: they could be guessed. */
    public static final int MIN_LENGTH = 16;

    private static final Caller ADMIN = new Caller("admin");

    private final byte[] digest;

    /** {@code token} empty: no caller is ever identified. */
    public BearerTokenCallers(String token) {
        if (!token.isEmpty() && (token.length() < MIN_LENGTH || !token.chars().allMatch(BearerTokenCallers::tokenChar))) {
            // the message never shows the token: a start-up failure is logged
            throw new IllegalArgumentException("tollgate.api.token must be at least " + MIN_LENGTH
                    + " characters of letters, digits and -._~+/= (e.g. the output of: openssl rand -hex 32)");
        }
        this.digest = token.isEmpty() ? null : sha256(token);
    }

    @Override
    public boolean configured() {
        return digest != null;
    }

    @Override
    public Identification identify(HttpServletRequest request) {
        return identify(request.getHeader(HttpHeaders.AUTHORIZATION));
    }

    /** The same, from the value of the Authorization header (null when absent). */
    Identification identify(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new Identification.Anonymous();
        }
        String value = authorization.strip();
        // the scheme is case-insensitive (RFC 7235 §2.1)
        if (digest == null || value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Identification.Invalid();
        }
        boolean equal = MessageDigest.isEqual(digest, sha256(value.substring(7).strip()));
        return equal ? new Identification.Known(ADMIN) : new Identification.Invalid();
    }

    // RFC 6750 b64token characters
    private static boolean tokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~+/=".indexOf(c) >= 0;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
