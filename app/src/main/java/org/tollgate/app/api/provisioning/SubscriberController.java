package org.tollgate.app.api.provisioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.tollgate.aaa.radius.auth.AttributeItem;
import org.tollgate.aaa.radius.auth.JdbcUserRepository;
import org.tollgate.aaa.radius.auth.RadiusUser;
import org.tollgate.app.api.ApiProblems;
import org.tollgate.app.api.access.Allowed;
import org.tollgate.app.api.access.Role;

/**
 * {@code /api/users}: RADIUS subscribers ({@code tollgate user}). A user is named {@code name} or
 * {@code name@realm} in paths; passwords go in, only which credentials exist comes out.
 */
@RestController
@RequestMapping("/api/users")
@Allowed(Role.OPERATOR)
public class SubscriberController {

    /** {@code replies}: reply items like {@code Reply-Message=Hello} or {@code SIP-AVP+=#2:10.0.0.1}. */
    public record NewUser(String name, String realm, String password, List<String> groups, List<String> replies,
                          boolean chap, boolean digestOnly) {
        @Override
        public String toString() {
            return "NewUser[" + name + "@" + realm + "]"; // never the password
        }
    }

    /** {@code credentials}: pap, digest, clear (kept in clear: CHAP, Digest for any realm). */
    public record User(String user, String status, String auth, List<String> credentials, Set<String> groups) {
        public static User of(RadiusUser u) {
            List<String> creds = new ArrayList<>();
            if (u.papHash() != null) {
                creds.add("pap");
            }
            if (u.digestHa1() != null) {
                creds.add("digest");
            }
            if (u.cleartextPassword() != null) {
                creds.add("clear");
            }
            return new User(u.identity(), u.status().name().toLowerCase(),
                    u.authType() == null ? "password" : u.authType().name().toLowerCase(), creds, new TreeSet<>(u.groups()));
        }
    }

    private final JdbcUserRepository users;

    public SubscriberController(JdbcUserRepository users) {
        this.users = users;
    }

    @GetMapping
    public List<User> list() {
        return users.findAll().stream().map(User::of).toList();
    }

    @PostMapping
    public ResponseEntity<User> add(@RequestBody NewUser body) {
        if (body == null || body.name() == null || body.name().isBlank() || body.password() == null || body.password().isEmpty()) {
            throw new IllegalArgumentException("give name and password");
        }
        List<AttributeItem> replies = (body.replies() == null ? List.<String>of() : body.replies()).stream()
                .map(AttributeItem::parseReply).toList();
        RadiusUser u = RadiusUser.withPassword(body.name(), body.realm(), body.password(),
                Set.copyOf(body.groups() == null ? List.of() : body.groups()), replies, body.chap(), body.digestOnly());
        users.add(u);
        return ResponseEntity.status(HttpStatus.CREATED).body(User.of(u));
    }

    @PostMapping("/{user}/suspend")
    public ResponseEntity<Object> suspend(@PathVariable String user) {
        return status(user, RadiusUser.Status.SUSPENDED);
    }

    @PostMapping("/{user}/activate")
    public ResponseEntity<Object> activate(@PathVariable String user) {
        return status(user, RadiusUser.Status.ACTIVE);
    }

    @DeleteMapping("/{user}")
    public ResponseEntity<Object> remove(@PathVariable String user) {
        String[] id = split(user);
        return users.remove(id[0], id[1]) ? ResponseEntity.noContent().build() : ApiProblems.notFound("no user " + user);
    }

    private ResponseEntity<Object> status(String user, RadiusUser.Status status) {
        String[] id = split(user);
        if (!users.setStatus(id[0], id[1], status)) {
            return ApiProblems.notFound("no user " + user);
        }
        return ResponseEntity.ok(users.find(id[0], id[1]).map(User::of).orElseThrow());
    }

    private static String[] split(String user) {
        int at = user.lastIndexOf('@');
        return at > 0 ? new String[] {user.substring(0, at), user.substring(at + 1)} : new String[] {user, ""};
    }
}
