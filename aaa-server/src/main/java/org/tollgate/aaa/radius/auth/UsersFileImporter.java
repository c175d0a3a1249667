package org.tollgate.aaa.radius.auth;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.tollgate.aaa.radius.ImportException;

/**
 * Turns a FreeRADIUS users file into Tollgate users and DEFAULT entries, validating every
 * attribute name against the dictionary. The whole file is imported in one transaction, or
 * nothing is when any line is wrong.
 *
 * <p>An entry's name is matched against User-Name as written: {@code bob} is the user {@code bob}
 * (no realm), {@code 101@kamailio.org} the user {@code 101} of realm {@code kamailio.org}; a
 * default realm (the {@code --realm} option) turns bare names into name@realm.
 *
 * <p>Mapping: {@code Auth-Type := Accept|Reject|Digest}; {@code User-Password ==} (PAP hash, and
 * HA1 when the realm is known; a Digest user without one keeps it in clear, answering any realm);
 * {@code Cleartext-Password :=} (also kept in clear, so CHAP works); {@code Digest-HA1 :=}; entries with {@code Service-Type == "Group-Check"} and
 * {@code Sip-Group ==} become group memberships; entries for SIP-Caller-AVPs, SIP-Callee-AVPs
 * and Call-Check keep their reply items for that service; other check items are kept and
 * evaluated against each request.
 */
public final class UsersFileImporter {

    private static final Set<String> SERVICES = Set.of("Group-Check", "SIP-Caller-AVPs", "SIP-Callee-AVPs", "Call-Check");

    /** The result of a parsed and validated file. */
    public record Result(List<RadiusUser> users, List<DefaultEntry> defaults) { }

    private UsersFileImporter() {
    }

    /**
     * @param defaultRealm realm for names without {@code @realm}, used for HA1 ("" for none)
     * @param knownAttribute whether the dictionary defines an attribute name
     */
    public static Result read(String fileName, String text, String defaultRealm, Predicate<String> knownAttribute)
            throws ImportException {
        List<String> problems = new ArrayList<>();
        List<UsersFileParser.Entry> entries = UsersFileParser.parse(text, problems);
        Map<String, Builder> users = new LinkedHashMap<>();
        List<DefaultEntry> defaults = new ArrayList<>();
        for (UsersFileParser.Entry e : entries) {
            for (UsersFileParser.Item item : concat(e.checks(), e.replies())) {
                if (!isPseudo(item.attribute()) && !knownAttribute.test(item.attribute())) {
                    problems.add("line " + item.line() + ": unknown attribute " + item.attribute());
                }
            }
            if (e.name().equals("DEFAULT")) {
                defaults.add(toDefault(e, defaults.size(), problems));
                continue;
            }
            String name = e.name();
            String realm = defaultRealm == null ? "" : defaultRealm;
            int at = name.lastIndexOf('@');
            if (at > 0) {
                realm = name.substring(at + 1);
                name = name.substring(0, at);
            }
            Builder b = users.computeIfAbsent(realm + "\u0000" + name, k -> new Builder());
            b.apply(e, name, problems);
            b.realm = realm;
        }
        List<RadiusUser> result = new ArrayList<>();
        for (Builder b : users.values()) {
            RadiusUser u = b.build(problems);
            if (u != null) {
                result.add(u);
            }
        }
        if (!problems.isEmpty()) {
            throw new ImportException(fileName, problems);
        }
        return new Result(result, defaults);
    }

    private static DefaultEntry toDefault(UsersFileParser.Entry e, int ordinal, List<String> problems) {
        RadiusUser.AuthType authType = null;
        List<AttributeItem> checks = new ArrayList<>();
        for (UsersFileParser.Item c : e.checks()) {
            if (c.attribute().equals("Auth-Type")) {
                authType = authType(c, problems);
            } else {
                checks.add(AttributeItem.of(c.attribute(), c.op(), c.value()));
            }
        }
        boolean fallThrough = false;
        List<AttributeItem> replies = new ArrayList<>();
        for (UsersFileParser.Item r : e.replies()) {
            if (r.attribute().equals("Fall-Through")) {
                fallThrough = r.value().equalsIgnoreCase("yes");
            } else {
                replies.add(AttributeItem.of(r.attribute(), r.op(), r.value()));
            }
        }
        return new DefaultEntry(ordinal, authType, checks, replies, fallThrough);
    }

    private static RadiusUser.AuthType authType(UsersFileParser.Item c, List<String> problems) {
        try {
            return RadiusUser.AuthType.valueOf(c.value().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            problems.add("line " + c.line() + ": Auth-Type " + c.value() + " is not supported (Accept, Reject, Digest)");
            return null;
        }
    }

    private static boolean isPseudo(String attribute) {
        return switch (attribute) {
            case "Auth-Type", "User-Password", "Cleartext-Password", "Digest-HA1", "Fall-Through" -> true;
            default -> false;
        };
    }

    private static List<UsersFileParser.Item> concat(List<UsersFileParser.Item> a, List<UsersFileParser.Item> b) {
        List<UsersFileParser.Item> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Accumulates the entries of one user. */
    private static final class Builder {
        String name;
        String realm;
        int firstLine;
        RadiusUser.AuthType authType;
        String password;
        boolean cleartext;
        String ha1;
        final Set<String> groups = new HashSet<>();
        final List<AttributeItem> checks = new ArrayList<>();
        final List<AttributeItem> replies = new ArrayList<>();

        void apply(UsersFileParser.Entry e, String userName, List<String> problems) {
            if (name == null) {
                name = userName;
                firstLine = e.line();
            }
            String service = e.checks().stream()
                    .filter(c -> c.attribute().equals("Service-Type") && c.op().equals("=="))
                    .map(UsersFileParser.Item::value)
                    .filter(SERVICES::contains)
                    .findFirst().orElse(null);
            if (service != null) {
                for (UsersFileParser.Item c : e.checks()) {
                    if (c.attribute().equals("Sip-Group") && service.equals("Group-Check")) {
                        groups.add(c.value());
                    } else if (c.attribute().equals("Auth-Type") && c.value().equalsIgnoreCase("Reject")) {
                        problems.add("line " + c.line() + ": per-user Auth-Type := Reject for " + service
                                + " is not supported; leave the user out of the group instead");
                    }
                }
                for (UsersFileParser.Item r : e.replies()) {
                    replies.add(new AttributeItem(r.attribute(), r.op(), r.value(), service));
                }
                if (e.replies().isEmpty() && !service.equals("Group-Check")) {
                    // an entry with no AVPs still says the user has this service
                    replies.add(new AttributeItem("Reply-Message", "+=", "", service));
                }
                return;
            }
            for (UsersFileParser.Item c : e.checks()) {
                switch (c.attribute()) {
                    case "Auth-Type" -> authType = authType(c, problems);
                    case "User-Password" -> password = c.value();
                    case "Cleartext-Password" -> {
                        password = c.value();
                        cleartext = true;
                    }
                    case "Digest-HA1" -> ha1 = c.value().toLowerCase(Locale.ROOT);
                    default -> checks.add(AttributeItem.of(c.attribute(), c.op(), c.value()));
                }
            }
            for (UsersFileParser.Item r : e.replies()) {
                if (!r.attribute().equals("Fall-Through")) {
                    replies.add(AttributeItem.of(r.attribute(), r.op(), r.value()));
                }
            }
        }

        RadiusUser build(List<String> problems) {
            String pap = null;
            String digest = ha1;
            String clear = null;
            if (password != null) {
                if (authType != RadiusUser.AuthType.DIGEST) {
                    pap = Passwords.papHash(password);
                }
                if (cleartext) {
                    clear = password;
                }
                if (digest == null && !realm.isEmpty()) {
                    digest = Passwords.ha1(name, realm, password);
                }
                if (authType == RadiusUser.AuthType.DIGEST && digest == null) {
                    // no realm to derive HA1 for: keep the password, as FreeRADIUS does, and answer a
                    // Digest request for whatever realm it names
                    clear = password;
                }
            }
            if (digest != null && !digest.matches("[0-9a-f]{32}")) {
                problems.add("line " + firstLine + ": Digest-HA1 of " + name + " is not 32 hex digits");
                return null;
            }
            return new RadiusUser(0, name, realm, RadiusUser.Status.ACTIVE, authType, pap, digest, clear,
                    groups, checks, replies);
        }
    }
}
