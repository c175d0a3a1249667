package org.tollgate.app.api.provisioning;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.tollgate.app.api.ApiProblems;
import org.tollgate.app.api.access.Allowed;
import org.tollgate.app.api.access.Role;
import org.tollgate.proxy.limits.JdbcCallLimits;

/** {@code /api/limits}: concurrent-call limits per account ({@code tollgate limits}); the proxies apply a change at once. */
@RestController
@RequestMapping("/api/limits")
@Allowed(Role.OPERATOR)
public class LimitController {

    public record MaxCalls(int maxCalls) { }

    private final JdbcCallLimits limits;

    public LimitController(DataSource dataSource) {
        this.limits = new JdbcCallLimits(dataSource);
    }

    @GetMapping
    public List<JdbcCallLimits.Limit> list() {
        return limits.list();
    }

    @PutMapping("/{account}")
    public JdbcCallLimits.Limit set(@PathVariable String account, @RequestBody MaxCalls body) {
        if (body == null || body.maxCalls() < 0) {
            throw new IllegalArgumentException("maxCalls must be 0 or more");
        }
        limits.set(account, body.maxCalls());
        return new JdbcCallLimits.Limit(account, body.maxCalls());
    }

    @DeleteMapping("/{account}")
    public ResponseEntity<Object> remove(@PathVariable String account) {
        return limits.remove(account) ? ResponseEntity.noContent().build() : ApiProblems.notFound("no limit for " + account);
    }
}
