package org.tollgate.reports;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Which report, for which call days (from and to inclusive), and for one account or all
 * ({@code account} null). A statement is always for one account.
 */
public record ReportRequest(ReportName name, LocalDate from, LocalDate to, String account) {

    public ReportRequest {
        Objects.requireNonNull(name, "report");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        }
        if (account != null && account.isBlank()) {
            account = null;
        }
        if (name.perAccount() && account == null) {
            throw new IllegalArgumentException("a " + name.id() + " is for one account: give --account");
        }
    }

    /** The parameters of every report query: from, to, and the account twice (null: all accounts). */
    Object[] queryArgs() {
        return new Object[] {java.sql.Date.valueOf(from), java.sql.Date.valueOf(to), account, account};
    }

    /** A file name for it, such as {@code statement-1001@example.com-2026-11-01-2026-11-30.xlsx}. */
    public String fileName(ReportFormat format) {
        String period = from.equals(to) ? from.toString() : from + "-" + to;
        String who = account == null ? "" : "-" + account.replaceAll("[^A-Za-z0-9@._+-]", "_");
        return name.id() + who + "-" + period + "." + format.extension();
    }
}
