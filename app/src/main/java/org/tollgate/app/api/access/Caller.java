package org.tollgate.app.api.access;

import java.util.Set;

/**
 * Who made a request to the admin port, as {@link Callers} decided: a token's name, its role, and
 * the accounts it is limited to (none: not limited).
 */
public record Caller(String name, Role role, Set<String> accounts) {

    /** The request attribute under which the filter leaves the caller for the controllers. */
    public static final String ATTRIBUTE = "org.tollgate.app.api.access.Caller";

    public Caller {
        accounts = Set.copyOf(accounts);
    }

    public static Caller admin(String name) {
        return new Caller(name, Role.ADMIN, Set.of());
    }

    /** Limited to some accounts (a reseller). */
    public boolean scoped() {
        return !accounts.isEmpty();
    }

    public boolean mayUse(String account) {
        return !scoped() || (account != null && accounts.contains(account)); // Set.copyOf's contains(null) throws
    }

    /** Refuses (403) an account this caller is limited away from; null (no caller) is the unscoped kind. */
    public static void check(Caller caller, String account) {
        if (caller != null && !caller.mayUse(account)) {
            throw new OtherAccount(caller, account);
        }
    }

    /** A scoped caller named an account not its own. */
    public static final class OtherAccount extends RuntimeException {
        OtherAccount(Caller caller, String account) {
            super("token " + caller.name() + " may not use account " + (account == null ? "(none given)" : account));
        }
    }
}
