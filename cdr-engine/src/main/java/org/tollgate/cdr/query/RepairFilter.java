package org.tollgate.cdr.query;

import org.tollgate.cdr.pairing.Repair;

/**
 * Which CDRs to keep by how their end was found: any repaired one, one repair method, or only
 * the ones a real Stop ended.
 *
 * @param repaired whether the CDR was repaired
 * @param method   the repair method, or null for any (only when {@code repaired})
 */
public record RepairFilter(boolean repaired, Repair method) {

    public static final RepairFilter ANY = new RepairFilter(true, null);
    public static final RepairFilter NONE = new RepairFilter(false, null);

    public RepairFilter {
        if (!repaired && method != null) {
            throw new IllegalArgumentException("a repair method needs repaired = true");
        }
    }

    public static RepairFilter of(Repair method) {
        return new RepairFilter(true, method);
    }

    /** {@code any}, {@code none} or a method, case-insensitive, with - or _ ({@code media-timeout}). */
    public static RepairFilter parse(String s) {
        String name = s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        if (name.equals("ANY")) {
            return ANY;
        }
        if (name.equals("NONE")) {
            return NONE;
        }
        for (Repair r : Repair.values()) {
            if (r.name().equals(name)) {
                return of(r);
            }
        }
        throw new IllegalArgumentException("'" + s + "' is not any, none, media-timeout, session-timer, nas-reboot "
                + "or unterminated");
    }
}
