package org.tollgate.reports;

import java.util.Locale;

/** The file formats a report is written in. */
public enum ReportFormat {
    CSV, XLSX;

    public String extension() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String mediaType() {
        return this == CSV ? "text/csv; charset=UTF-8"
                : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }

    /** "csv" or "xlsx", any case. */
    public static ReportFormat parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("format must be csv or xlsx, not '" + s + "'");
        }
    }
}
