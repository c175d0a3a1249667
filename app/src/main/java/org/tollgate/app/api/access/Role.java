package org.tollgate.app.api.access;

import java.util.Locale;

/**
 * What a token may do. {@link #ADMIN} everything; {@link #OPERATOR} provisioning, accounting, live
 * calls and batch runs, nothing that shows or moves money; {@link #FINANCE} CDRs, reports, balances
 * and top-ups. A finance token can be scoped to accounts (a reseller).
 */
public enum Role {
    ADMIN, OPERATOR, FINANCE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("role " + s + " is not one of admin, operator, finance");
        }
    }
}
