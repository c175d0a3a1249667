package org.tollgate.proxy.location;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Registrar bindings in {@code sip_location}. */
public final class JdbcLocationStore {

    private static final RowMapper<Binding> ROW = (rs, n) -> new Binding(rs.getString("aor"), rs.getString("contact"),
            rs.getTimestamp("expires_at").toInstant(), (Float) rs.getObject("q", Float.class), rs.getString("call_id"),
            rs.getLong("cseq"), rs.getString("received"), rs.getString("user_agent"));

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public JdbcLocationStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    public List<Binding> live(Instant now) {
        return jdbc.query("SELECT * FROM sip_location WHERE expires_at > ? ORDER BY aor, q DESC NULLS LAST, contact",
                ROW, Timestamp.from(now));
    }

    public List<Binding> of(String aor, Instant now) {
        return jdbc.query("SELECT * FROM sip_location WHERE aor = ? AND expires_at > ? ORDER BY q DESC NULLS LAST, contact",
                ROW, aor, Timestamp.from(now));
    }

    /** Applies one REGISTER: removes the given contacts (or all, when removeAll) and upserts the others. */
    public void apply(String aor, boolean removeAll, Collection<String> remove, Collection<Binding> upsert) {
        tx.executeWithoutResult(s -> {
            if (removeAll) {
                jdbc.update("DELETE FROM sip_location WHERE aor = ?", aor);
            }
            for (String c : remove) {
                jdbc.update("DELETE FROM sip_location WHERE aor = ? AND contact = ?", aor, c);
            }
            for (Binding b : upsert) {
                jdbc.update("""
                        INSERT INTO sip_location (aor, contact, expires_at, q, call_id, cseq, received, user_agent, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, now())
                        ON CONFLICT (aor, contact) DO UPDATE SET expires_at = EXCLUDED.expires_at, q = EXCLUDED.q,
                            call_id = EXCLUDED.call_id, cseq = EXCLUDED.cseq, received = EXCLUDED.received,
                            user_agent = EXCLUDED.user_agent, updated_at = now()""",
                        b.aor(), b.contact(), Timestamp.from(b.expiresAt()), b.q(), b.callId(), b.cseq(),
                        b.received(), b.userAgent());
            }
        });
    }

    public int purgeExpired(Instant now) {
        return jdbc.update("DELETE FROM sip_location WHERE expires_at <= ?", Timestamp.from(now));
    }
}
