package org.tollgate.aaa.radius.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Decides an Access-Request the way the Kamailio tutorial's FreeRADIUS setup does:
 * Group-Check answers Sip-Group membership, SIP-Caller/Callee-AVPs return the user's AVPs,
 * Call-Check answers whether the user exists, anything else authenticates by PAP, CHAP or
 * SIP Digest. Users without an entry for the service fall to the DEFAULT entries.
 */
public class AccessPolicy {

    private final UserDirectory users;

    public AccessPolicy(UserDirectory users) {
        this.users = users;
    }

    /** Told to the NAS when the database cannot answer in time and nothing cached can. */
    public static final String UNAVAILABLE = "temporarily unavailable";

    /**
     * The decision; a reject saying {@link #UNAVAILABLE} when the users cannot be read in time:
     * a hung database must not leave the NAS without an answer.
     */
    public AccessDecision decide(AccessRequestView req) {
        try {
            return decideWithUsers(req);
        } catch (UserDirectory.Unavailable e) {
            return AccessDecision.rejectSaying(UNAVAILABLE);
        }
    }

    private AccessDecision decideWithUsers(AccessRequestView req) {
        Optional<String> userName = req.userName();
        if (userName.isEmpty() || userName.get().isEmpty()) {
            return reject("no User-Name");
        }
        String service = req.serviceType().orElse("");
        Optional<DigestCredentials> digest = req.digest();
        Optional<RadiusUser> user = lookup(userName.get(), digest);
        return switch (service) {
            case "Group-Check" -> groupCheck(req, user);
            case "SIP-Caller-AVPs", "SIP-Callee-AVPs" -> serviceEntry(req, user, service);
            case "Call-Check" -> user.filter(u -> u.status() == RadiusUser.Status.ACTIVE)
                    .map(u -> AccessDecision.accept(u.repliesFor(service), "user exists"))
                    .orElseGet(() -> defaults(req, "no such user"));
            default -> authenticate(req, user, digest);
        };
    }

    private Optional<RadiusUser> lookup(String userName, Optional<DigestCredentials> digest) {
        String name = userName;
        String realm = "";
        int at = userName.lastIndexOf('@');
        if (at > 0) {
            name = userName.substring(0, at);
            realm = userName.substring(at + 1);
        }
        if (digest.isPresent()) {
            DigestCredentials d = digest.get();
            String dName = d.userName() != null ? d.userName() : name;
            String dRealm = d.realm() != null ? d.realm() : realm;
            Optional<RadiusUser> u = users.find(dName, dRealm);
            if (u.isPresent()) {
                return u;
            }
        }
        Optional<RadiusUser> u = users.find(name, realm);
        if (u.isEmpty() && at > 0) {
            u = users.find(userName, "");
        }
        return u;
    }

    private AccessDecision groupCheck(AccessRequestView req, Optional<RadiusUser> user) {
        String group = req.value("Sip-Group").orElse(null);
        if (group == null) {
            return reject("Group-Check without Sip-Group");
        }
        if (user.isPresent() && user.get().inGroup(group)) {
            return AccessDecision.accept(user.get().repliesFor("Group-Check"), "in group " + group);
        }
        return defaults(req, user.isPresent() ? "not in group " + group : "no such user");
    }

    private AccessDecision serviceEntry(AccessRequestView req, Optional<RadiusUser> user, String service) {
        if (user.isPresent() && user.get().status() == RadiusUser.Status.ACTIVE && user.get().hasServiceEntry(service)) {
            return AccessDecision.accept(user.get().repliesFor(service), service);
        }
        return defaults(req, "no " + service + " entry");
    }

    private AccessDecision authenticate(AccessRequestView req, Optional<RadiusUser> found,
                                        Optional<DigestCredentials> digest) {
        if (found.isEmpty()) {
            return defaults(req, "no such user");
        }
        RadiusUser u = found.get();
        if (u.status() != RadiusUser.Status.ACTIVE) {
            return reject("suspended");
        }
        if (u.authType() == RadiusUser.AuthType.REJECT) {
            return reject("Auth-Type Reject");
        }
        if (u.authType() != RadiusUser.AuthType.ACCEPT) {
            String failure = verifyCredentials(req, u, digest);
            if (failure != null) {
                return reject(failure);
            }
        }
        for (AttributeItem check : u.checkItems()) {
            if (!matches(req, check)) {
                return reject("check item failed: " + check.attribute());
            }
        }
        return AccessDecision.accept(u.repliesFor(null), "authenticated");
    }

    /** Null when the request proves the password, else why not. */
    private static String verifyCredentials(AccessRequestView req, RadiusUser u, Optional<DigestCredentials> digest) {
        Optional<String> pap = req.papPassword();
        if (pap.isPresent()) {
            if (u.authType() == RadiusUser.AuthType.DIGEST) {
                return "user requires Digest";
            }
            if (u.papHash() != null && Passwords.papMatches(u.papHash(), pap.get())) {
                return null;
            }
            if (u.cleartextPassword() != null && u.cleartextPassword().equals(pap.get())) {
                return null;
            }
            return "bad password";
        }
        if (req.hasChap()) {
            if (u.cleartextPassword() == null) {
                return "CHAP needs a cleartext password, user has none";
            }
            return req.chapMatches(u.cleartextPassword()) ? null : "bad CHAP password";
        }
        if (digest.isPresent()) {
            DigestCredentials d = digest.get();
            String ha1 = u.digestHa1();
            if (u.cleartextPassword() != null) {
                String dRealm = d.realm() == null ? u.realm() : d.realm();
                String dUser = d.userName() == null ? u.username() : d.userName();
                ha1 = Passwords.ha1(dUser, dRealm, u.cleartextPassword());
            }
            if (ha1 == null) {
                return "user has no Digest credentials";
            }
            return d.matches(ha1) ? null : "bad digest response";
        }
        return "no credentials";
    }

    private AccessDecision defaults(AccessRequestView req, String why) {
        List<AttributeItem> reply = new ArrayList<>();
        for (DefaultEntry d : users.defaults()) {
            if (!d.checkItems().stream().allMatch(c -> matches(req, c))) {
                continue;
            }
            if (d.authType() == RadiusUser.AuthType.REJECT) {
                return reject(why + ", DEFAULT reject");
            }
            reply.addAll(d.replyItems());
            if (!d.fallThrough()) {
                return d.authType() == RadiusUser.AuthType.ACCEPT
                        ? AccessDecision.accept(reply, why + ", DEFAULT accept")
                        : reject(why);
            }
        }
        return reject(why);
    }

    static boolean matches(AccessRequestView req, AttributeItem check) {
        Optional<String> actual = req.value(check.attribute());
        String want = check.value();
        return switch (check.op()) {
            case "==" -> actual.map(a -> a.equalsIgnoreCase(want)).orElse(false);
            case "!=" -> actual.map(a -> !a.equalsIgnoreCase(want)).orElse(true);
            case "=~" -> actual.map(a -> regex(want, a)).orElse(false);
            case "!~" -> actual.map(a -> !regex(want, a)).orElse(true);
            case ">", ">=", "<", "<=" -> actual.map(a -> compare(a, want, check.op())).orElse(false);
            default -> false;
        };
    }

    private static boolean regex(String pattern, String value) {
        try {
            return Pattern.compile(pattern).matcher(value).find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    private static boolean compare(String a, String b, String op) {
        int c;
        try {
            c = Long.compare(Long.parseLong(a), Long.parseLong(b));
        } catch (NumberFormatException e) {
            c = a.compareTo(b);
        }
        return switch (op) {
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            case "<" -> c < 0;
            default -> c <= 0;
        };
    }

    private static AccessDecision reject(String reason) {
        return AccessDecision.reject(reason);
    }
}
