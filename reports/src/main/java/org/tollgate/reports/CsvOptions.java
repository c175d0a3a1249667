package org.tollgate.reports;

/** How a CSV report is written: the field delimiter, and a UTF-8 byte order mark for Excel. */
public record CsvOptions(char delimiter, boolean bom) {

    public static final CsvOptions DEFAULT = new CsvOptions(',', false);

    public CsvOptions {
        if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
            throw new IllegalArgumentException("the CSV delimiter cannot be a quote or a line break");
        }
    }
}
