package org.tollgate.reports;

/**
 * A report column: its title, what kind of value it holds (which decides the cell format), and
 * whether the totals row adds it up.
 */
public record Column(String title, Kind kind, boolean summed) {

    /** The kinds of values, each with its own spreadsheet format. */
    public enum Kind {
        TEXT, INTEGER, DECIMAL, MONEY, PERCENT, DATE, DATETIME
    }

    public static Column text(String title) {
        return new Column(title, Kind.TEXT, false);
    }

    public static Column of(String title, Kind kind) {
        return new Column(title, kind, false);
    }

    public static Column summed(String title, Kind kind) {
        return new Column(title, kind, true);
    }
}
