package org.tollgate.app.api.access;

import java.security.MessageDigest;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;

/**
 * Callers by bearer token (RFC 6750): the configured {@code tollgate.api.token} is an admin named
 * {@code config}; any other token is looked up, by its digest, among the stored ones
 * ({@link JdbcApiTokens}). The configured token is compared by digest with
 * {@link MessageDigest#isEqual}: the time a comparison takes says nothing about it.
 */
public final class TokenCallers implements Callers {

    /** Shorter configured tokens are refused at start-up: they could be guessed. */
    public static final int MIN_LENGTH = 16;

    private final byte[] configured;
    private final JdbcApiTokens stored;

    /** {@code token} empty: only stored tokens identify callers. */
    public TokenCallers(String token, JdbcApiTokens stored) {
        if (!token.isEmpty() && (token.length() < MIN_LENGTH || !token.chars().allMatch(TokenCallers::tokenChar))) {
            // the message never shows the token: a start-up failure is logged
            throw new IllegalArgumentException("tollgate.api.token must be at least " + MIN_LENGTH
                    + " characters of letters, digits and -._~+/= (e.g. the output of: openssl rand -hex 32)");
        }
        this.configured = token.isEmpty() ? null : JdbcApiTokens.digest(token);
        this.stored = stored;
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
        if (value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Identification.Invalid();
        }
        String token = value.substring(7).strip();
        if (configured != null && MessageDigest.isEqual(configured, JdbcApiTokens.digest(token))) {
            return new Identification.Known(Caller.admin("config"));
        }
        if (!token.chars().allMatch(TokenCallers::tokenChar)) {
            return new Identification.Invalid();
        }
        Optional<JdbcApiTokens.Token> t = stored == null ? Optional.empty() : stored.find(token);
        return t.<Identification>map(x -> new Identification.Known(new Caller(x.name(), x.role(), x.accounts())))
                .orElseGet(Identification.Invalid::new);
    }

    // RFC 6750 b64token characters
    private static boolean tokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~+/=".indexOf(c) >= 0;
    }
}
