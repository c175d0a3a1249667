package org.tollgate.app.api.access;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.tollgate.app.api.ApiProblems;

/** {@code /api/tokens}: the API's tokens ({@code tollgate token}); the admin's alone. */
@RestController
@RequestMapping("/api/tokens")
public class TokenController {

    /** {@code accounts}: limit a finance token to these; {@code expires}: an instant, or none. */
    public record NewToken(String name, String role, Set<String> accounts, Instant expires) { }

    /** The token's value: shown here once, never again. */
    public record Created(String name, String role, Set<String> accounts, String token) {
        @Override
        public String toString() {
            return "Created[" + name + " " + role + "]";
        }
    }

    private final JdbcApiTokens tokens;

    public TokenController(JdbcApiTokens tokens) {
        this.tokens = tokens;
    }

    @GetMapping
    public List<JdbcApiTokens.Token> list() {
        return tokens.list();
    }

    @PostMapping
    public ResponseEntity<Created> create(@RequestBody NewToken body) {
        if (body == null || body.name() == null || body.name().isBlank() || body.role() == null) {
            throw new IllegalArgumentException("give name and role (admin, operator or finance)");
        }
        Role role = Role.parse(body.role());
        Set<String> accounts = body.accounts() == null ? Set.of() : body.accounts();
        String token = tokens.create(body.name(), role, accounts, body.expires());
        return ResponseEntity.status(HttpStatus.CREATED).body(new Created(body.name(), role.label(), accounts, token));
    }

    @DeleteMapping("/{name}")
    public ResponseEntity<Object> revoke(@PathVariable String name) {
        return tokens.revoke(name) ? ResponseEntity.noContent().build() : ApiProblems.notFound("no live token " + name);
    }
}
