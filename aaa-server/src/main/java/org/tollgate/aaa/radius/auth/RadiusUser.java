package org.tollgate.aaa.radius.auth;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A subscriber: identity (name + realm), status, how it authenticates and what it is told.
 * Only derived credentials are held: {@code papHash} ({SSHA256}), {@code digestHa1}
 * (MD5 of user:realm:password); {@code cleartextPassword} only for CHAP users and
 * Digest users without a realm (their HA1 depends on the realm each request names).
 */
public record RadiusUser(
        long id,
        String username,
        String realm,
        Status status,
        AuthType authType,
        String papHash,
        String digestHa1,
        String cleartextPassword,
        Set<String> groups,
        List<AttributeItem> checkItems,
        List<AttributeItem> replyItems) {

    public enum Status { ACTIVE, SUSPENDED }

    /** Auth-Type := Accept | Reject | Digest; null means "by the credentials in the request". */
    public enum AuthType { ACCEPT, REJECT, DIGEST }

    public RadiusUser {
        Objects.requireNonNull(username, "username");
        realm = realm == null ? "" : realm;
        Objects.requireNonNull(status, "status");
        groups = Set.copyOf(groups);
        checkItems = List.copyOf(checkItems);
        replyItems = List.copyOf(replyItems);
    }

    /**
     * A subscriber added with a password ({@code tollgate user add}, the admin API): PAP hash and HA1
     * always, unless {@code digestOnly} (Auth-Type Digest, HA1 only); the password in clear only with
     * {@code chap}.
     */
    public static RadiusUser withPassword(String name, String realm, String password, Set<String> groups,
                                          List<AttributeItem> replies, boolean chap, boolean digestOnly) {
        return new RadiusUser(0, name, realm, Status.ACTIVE, digestOnly ? AuthType.DIGEST : null,
                digestOnly ? null : Passwords.papHash(password), Passwords.ha1(name, realm == null ? "" : realm, password),
                chap ? password : null, groups, List.of(), replies);
    }

    /** user or user@realm */
    public String identity() {
        return realm.isEmpty() ? username : username + "@" + realm;
    }

    public boolean inGroup(String group) {
        return groups.contains(group) || (status == Status.SUSPENDED && "suspended".equals(group));
    }

    public List<AttributeItem> repliesFor(String serviceType) {
        return replyItems.stream().filter(r -> Objects.equals(r.serviceType(), serviceType)).toList();
    }

    public boolean hasServiceEntry(String serviceType) {
        return replyItems.stream().anyMatch(r -> serviceType.equals(r.serviceType()));
    }

    /** Never prints credentials. */
    @Override
    public String toString() {
        return "RadiusUser[" + identity() + " " + status + " groups=" + groups + "]";
    }
}
