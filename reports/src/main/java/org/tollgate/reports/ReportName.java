package org.tollgate.reports;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The reports finance can ask for, by the name used on the command line and in the API. */
public enum ReportName {
    STATEMENT("statement", "Statement"),
    DESTINATIONS("destinations", "Traffic by destination"),
    REVENUE_BY_DAY("revenue-by-day", "Revenue by day"),
    MISSED("missed", "Missed calls"),
    REPAIRED("repaired", "Repaired calls"),
    UNRATED("unrated", "Unrated CDRs"),
    CDRS("cdrs", "CDRs"),
    PREPAID_STATEMENT("prepaid-statement", "Prepaid statement"),
    RECONCILIATION("reconciliation", "Prepaid reconciliation");

    private final String id;
    private final String title;

    ReportName(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    /** A report about one account (needs {@code --account}), so not one of the nightly reports. */
    public boolean perAccount() {
        return this == STATEMENT || this == PREPAID_STATEMENT;
    }

    public static ReportName parse(String s) {
        String want = s.trim().toLowerCase(Locale.ROOT);
        for (ReportName r : values()) {
            if (r.id.equals(want)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no report '" + s + "'; reports: " + ids());
    }

    public static String ids() {
        return Arrays.stream(values()).map(ReportName::id).collect(Collectors.joining(", "));
    }
}
