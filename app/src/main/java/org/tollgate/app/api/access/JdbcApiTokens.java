package org.tollgate.app.api.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The admin API's tokens. A token is 32 random bytes (hex, prefixed {@code tg_}); only its
 * SHA-256 is stored, so a copy of the database does not hand out access. A random token needs no
 * slow hash: nothing can be guessed from its digest.
 */
public class JdbcApiTokens {

    /** A token as listed: never its value. */
    public record Token(String name, Role role, Set<String> accounts, Instant created, Instant expires, Instant revoked) { }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "name, role, accounts, created_at, expires_at, revoked_at";

    private final JdbcTemplate jdbc;

    public JdbcApiTokens(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** A new token; its value is returned once and never stored. */
    public String create(String name, Role role, Set<String> accounts, Instant expires) {
        checkScope(role, accounts);
        String token = newToken();
        jdbc.update(con -> {
            var ps = con.prepareStatement(
                    "INSERT INTO api_token (name, role, accounts, token_hash, expires_at) VALUES (?, ?, ?, ?, ?)");
            ps.setString(1, name);
            ps.setString(2, role.label());
            ps.setArray(3, con.createArrayOf("text", new TreeSet<>(accounts).toArray()));
            ps.setBytes(4, digest(token));
            ps.setTimestamp(5, expires == null ? null : Timestamp.from(expires));
            return ps;
        });
        return token;
    }

    /** Refuses accounts for any role but finance: only a reseller's token is limited to them. */
    public static void checkScope(Role role, Set<String> accounts) {
        if (!accounts.isEmpty() && role != Role.FINANCE) {
            throw new IllegalArgumentException("only a finance token can be limited to accounts (a reseller's), not an "
                    + role.label() + " one");
        }
    }

    /** Replaces the token of {@code name} (created if absent) with a new admin token: the server's own for the local CLI. */
    public String replace(String name) {
        String token = newToken();
        jdbc.update("""
                INSERT INTO api_token (name, role, token_hash) VALUES (?, 'admin', ?)
                ON CONFLICT (name) DO UPDATE SET role = 'admin', accounts = '{}', token_hash = EXCLUDED.token_hash,
                    created_at = now(), expires_at = NULL, revoked_at = NULL""", name, digest(token));
        return token;
    }

    public List<Token> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM api_token ORDER BY name", JdbcApiTokens::token);
    }

    /** False when no live token has that name. */
    public boolean revoke(String name) {
        return jdbc.update("UPDATE api_token SET revoked_at = now() WHERE name = ? AND revoked_at IS NULL", name) == 1;
    }

    /** The live (not revoked, not expired) token with that value. */
    public Optional<Token> find(String token) {
        return jdbc.query("SELECT " + COLUMNS + " FROM api_token WHERE token_hash = ? AND revoked_at IS NULL "
                + "AND (expires_at IS NULL OR expires_at > now())", JdbcApiTokens::token, digest(token)).stream().findFirst();
    }

    static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "tg_" + HexFormat.of().formatHex(b);
    }

    private static Token token(ResultSet rs, int row) throws SQLException {
        Array a = rs.getArray("accounts");
        Set<String> accounts = a == null ? Set.of() : Set.of((String[]) a.getArray());
        return new Token(rs.getString("name"), Role.parse(rs.getString("role")), accounts, instant(rs, "created_at"),
                instant(rs, "expires_at"), instant(rs, "revoked_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
