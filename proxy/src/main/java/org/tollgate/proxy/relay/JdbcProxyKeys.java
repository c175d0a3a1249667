package org.tollgate.proxy.relay;

import java.security.SecureRandom;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keys the proxy instances of one installation share, kept in {@code sip_proxy_key}: made at
 * random by the first instance that needs one, so they survive restarts and every instance
 * checks what another issued.
 */
public final class JdbcProxyKeys {

    private final JdbcTemplate jdbc;

    public JdbcProxyKeys(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** The key called {@code name}, created (32 random bytes) when there is none yet. */
    public byte[] key(String name) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        // two instances starting at once: the first insert wins, both read the same key
        jdbc.update("INSERT INTO sip_proxy_key (name, key) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name, fresh);
        return jdbc.queryForObject("SELECT key FROM sip_proxy_key WHERE name = ?", byte[].class, name);
    }
}
