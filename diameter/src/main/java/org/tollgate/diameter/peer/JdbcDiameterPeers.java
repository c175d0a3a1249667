package org.tollgate.diameter.peer;

import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.tollgate.api.net.Cidr;

/** Diameter peers in the {@code diameter_peer} table; a change notifies {@code tollgate_config}. */
public class JdbcDiameterPeers {

    private static final RowMapper<DiameterPeer> ROW = (rs, n) -> new DiameterPeer(rs.getString("name"),
            rs.getString("origin_host"), rs.getString("realm"), Cidr.parse(rs.getString("address")));

    private final JdbcTemplate jdbc;

    public JdbcDiameterPeers(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public List<DiameterPeer> findAll() {
        return jdbc.query("SELECT name, origin_host, realm, address::text AS address FROM diameter_peer ORDER BY name",
                ROW);
    }

    /** Adds a peer; fails if the name or the Origin-Host is taken. */
    public void add(DiameterPeer p) {
        jdbc.update("INSERT INTO diameter_peer (name, origin_host, realm, address) VALUES (?, ?, ?, ?::cidr)",
                p.name(), p.originHost(), p.realm(), p.address().toString());
    }

    public boolean remove(String name) {
        return jdbc.update("DELETE FROM diameter_peer WHERE name = ?", name) > 0;
    }
}
