package org.tollgate.reports;

import java.io.IOException;
import java.util.List;

/**
 * Where a report's table goes, row by row (nothing is held in memory): a CSV or an XLSX writer.
 * Values are String, Long, BigDecimal, java.time.LocalDate or LocalDateTime (in the report's
 * zone), or null. Subtotal and total rows carry a label in the first column.
 */
public interface TableSink {

    void start(String title, List<Column> columns) throws IOException;

    void row(Object[] values) throws IOException;

    void subtotal(Object[] values) throws IOException;

    void total(Object[] values) throws IOException;

    /** A chart of one value column against the label column, when the format has charts. */
    default void chart(Chart chart) throws IOException {
    }

    void finish() throws IOException;

    /** The table will not be finished (the query failed): let go of what is held, such as temporary files. */
    default void discard() throws IOException {
    }
}
