package org.tollgate.aaa.radius.client;

import org.tollgate.api.net.Cidr;
import java.util.Collection;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.tollgate.aaa.radius.dictionary.DictionaryProfile;

/** NAS clients in the {@code nas_client} table. */
public class JdbcNasClientRepository {

    private static final String COLUMNS =
            "name, address::text AS address, secret, nas_type, dictionary_profile, message_authenticator, "
                    + "prepaid_authorize";

    private static final RowMapper<NasClient> ROW = (rs, n) -> new NasClient(
            rs.getString("name"),
            Cidr.parse(rs.getString("address")),
            rs.getString("secret"),
            rs.getString("nas_type"),
            DictionaryProfile.of(rs.getString("dictionary_profile")),
            MessageAuthenticatorPolicy.parse(rs.getString("message_authenticator")),
            rs.getBoolean("prepaid_authorize"));

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public JdbcNasClientRepository(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    public List<NasClient> findAll() {
        return jdbc.query("SELECT " + COLUMNS + " FROM nas_client ORDER BY name", ROW);
    }

    /** Adds a client; fails if the name or the address is taken. */
    public void add(NasClient c) {
        jdbc.update("""
                INSERT INTO nas_client (name, address, secret, nas_type, dictionary_profile, message_authenticator,
                                        prepaid_authorize)
                VALUES (?, ?::cidr, ?, ?, ?, ?, ?)""",
                c.name(), c.address().toString(), c.secret(), c.type(), c.profile().id(), c.messageAuthenticator().id(),
                c.prepaidAuthorize());
    }

    /** Inserts or replaces clients by name, all or nothing. Returns how many were written. */
    public int upsertAll(Collection<NasClient> clients) {
        return tx.execute(status -> {
            int n = 0;
            for (NasClient c : clients) {
                n += jdbc.update("""
                        INSERT INTO nas_client (name, address, secret, nas_type, dictionary_profile,
                                                message_authenticator, prepaid_authorize)
                        VALUES (?, ?::cidr, ?, ?, ?, ?, ?)
                        ON CONFLICT (name) DO UPDATE SET address = EXCLUDED.address, secret = EXCLUDED.secret,
                            nas_type = EXCLUDED.nas_type, dictionary_profile = EXCLUDED.dictionary_profile,
                            message_authenticator = EXCLUDED.message_authenticator,
                            prepaid_authorize = EXCLUDED.prepaid_authorize""",
                        c.name(), c.address().toString(), c.secret(), c.type(), c.profile().id(),
                        c.messageAuthenticator().id(), c.prepaidAuthorize());
            }
            return n;
        });
    }

    public boolean remove(String name) {
        return jdbc.update("DELETE FROM nas_client WHERE name = ?", name) > 0;
    }
}
