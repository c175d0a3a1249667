package org.tollgate.app.api.provisioning;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.tollgate.api.db.JdbcDeadline;
import org.tollgate.app.api.ApiProblems;
import org.tollgate.app.api.access.Allowed;
import org.tollgate.app.api.access.Caller;
import org.tollgate.app.api.access.Role;
import org.tollgate.proxy.ban.Ban;
import org.tollgate.proxy.ban.JdbcBanStore;

/** {@code /api/bans}: sources and users the SIP proxy banned ({@code tollgate bans}); lifting one reaches the proxies in about a second. */
@RestController
@RequestMapping("/api/bans")
@Allowed(Role.OPERATOR)
public class BanController {

    private final DataSource dataSource;

    public BanController(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** {@code all}: also those lifted or expired in the last day. */
    @GetMapping
    public List<JdbcBanStore.Row> list(@RequestParam(defaultValue = "false") boolean all) throws SQLException {
        try (JdbcDeadline deadline = deadline()) {
            return new JdbcBanStore(dataSource, deadline).list(all);
        }
    }

    @DeleteMapping("/sources/{address}")
    public ResponseEntity<Object> liftSource(@RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller,
                                             @PathVariable String address) throws SQLException {
        return lift(Ban.Kind.SOURCE, address, caller);
    }

    /** {@code name}: user@realm, or a user in any realm. */
    @DeleteMapping("/users/{name}")
    public ResponseEntity<Object> liftUser(@RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller,
                                           @PathVariable String name) throws SQLException {
        return lift(Ban.Kind.USER, name, caller);
    }

    private ResponseEntity<Object> lift(Ban.Kind kind, String subject, Caller caller) throws SQLException {
        try (JdbcDeadline deadline = deadline()) {
            int n = new JdbcBanStore(dataSource, deadline).lift(kind, subject,
                    (caller == null ? "api" : caller.name()) + " (admin API)");
            return n == 0 ? ApiProblems.notFound("no ban in force for " + subject) : ResponseEntity.ok(Map.of("lifted", n));
        }
    }

    private static JdbcDeadline deadline() {
        return new JdbcDeadline(Duration.ofSeconds(10), "tollgate-bans-api");
    }
}
