package org.tollgate.cdr.pairing;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/** Every Accounting-On/Off, loaded once per run (a NAS sends a few a month; a partial index finds them). */
public final class JdbcNasReboots implements NasReboots {

    private final Map<String, NavigableSet<Instant>> byNas;

    private JdbcNasReboots(Map<String, NavigableSet<Instant>> byNas) {
        this.byNas = byNas;
    }

    public static JdbcNasReboots load(DataSource dataSource) {
        Map<String, NavigableSet<Instant>> byNas = new HashMap<>();
        new JdbcTemplate(dataSource).query("""
                SELECT host(nas_address), event_time FROM acc_event
                 WHERE status IN ('ACCOUNTING_ON', 'ACCOUNTING_OFF') AND nas_address IS NOT NULL
                """, rs -> {
            byNas.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getTimestamp(2).toInstant());
        });
        return new JdbcNasReboots(byNas);
    }

    @Override
    public Optional<Instant> first(String nasAddress, Instant from, Instant until) {
        NavigableSet<Instant> times = nasAddress == null ? null : byNas.get(nasAddress);
        if (times == null) {
            return Optional.empty();
        }
        Instant t = times.ceiling(from);
        return t == null || t.isAfter(until) ? Optional.empty() : Optional.of(t);
    }
}
