package org.tollgate.reports;

import java.io.IOException;
import java.util.List;

/** Passes a table on and counts its data rows. */
final class CountingSink implements TableSink {

    private final TableSink next;
    private long rows;

    CountingSink(TableSink next) {
        this.next = next;
    }

    long rows() {
        return rows;
    }

    @Override
    public void start(String title, List<Column> columns) throws IOException {
        next.start(title, columns);
    }

    @Override
    public void row(Object[] values) throws IOException {
        rows++;
        next.row(values);
    }

    @Override
    public void subtotal(Object[] values) throws IOException {
        next.subtotal(values);
    }

    @Override
    public void total(Object[] values) throws IOException {
        next.total(values);
    }

    @Override
    public void chart(Chart chart) throws IOException {
        next.chart(chart);
    }

    @Override
    public void finish() throws IOException {
        next.finish();
    }
}
