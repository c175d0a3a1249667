package org.tollgate.proxy.limits;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/** The concurrent-call limits in {@code call_limit}, for the proxy (all of them) and the CLI. */
public final class JdbcCallLimits {

    /** One limit: at most {@code maxCalls} calls at once billed to {@code name}. */
    public record Limit(String name, int maxCalls) { }

    private final JdbcTemplate jdbc;

    public JdbcCallLimits(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public Map<String, Integer> all() {
        Map<String, Integer> out = new HashMap<>();
        jdbc.query("SELECT name, max_calls FROM call_limit", rs -> {
            out.put(rs.getString(1), rs.getInt(2));
        });
        return out;
    }

    public List<Limit> list() {
        return jdbc.query("SELECT name, max_calls FROM call_limit ORDER BY name",
                (rs, n) -> new Limit(rs.getString(1), rs.getInt(2)));
    }

    public void set(String name, int maxCalls) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a limit needs the account's name (user@realm)");
        }
        if (maxCalls < 0) {
            throw new IllegalArgumentException("--max-calls must be 0 or more: " + maxCalls);
        }
        jdbc.update("""
                INSERT INTO call_limit (name, max_calls) VALUES (?, ?)
                ON CONFLICT (name) DO UPDATE SET max_calls = EXCLUDED.max_calls, updated_at = now()""", name, maxCalls);
    }

    /** True when there was a limit to remove. */
    public boolean remove(String name) {
        return jdbc.update("DELETE FROM call_limit WHERE name = ?", name) == 1;
    }
}
