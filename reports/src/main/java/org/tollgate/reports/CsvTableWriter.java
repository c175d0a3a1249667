package org.tollgate.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A report as RFC 4180 CSV in UTF-8 (Commons CSV does the quoting): a header row, the rows,
 * subtotal and total rows labelled in the first column. With {@code bom}, a byte order mark first,
 * so that Excel reads the file as UTF-8. Numbers are plain (no grouping), times
 * {@code yyyy-MM-dd HH:mm:ss} in the report's zone, percentages like {@code 66.67%}.
 */
public final class CsvTableWriter implements TableSink {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final CSVPrinter out;
    private final StringBuilder time = new StringBuilder(19);
    private List<Column> columns;

    public CsvTableWriter(OutputStream stream, CsvOptions options) throws IOException {
        Writer w = new UnlockedBufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        if (options.bom()) {
            w.write('\uFEFF');
        }
        out = new CSVPrinter(w, CSVFormat.RFC4180.builder().setDelimiter(options.delimiter()).get());
    }

    @Override
    public void start(String title, List<Column> columns) throws IOException {
        this.columns = List.copyOf(columns);
        for (Column c : columns) {
            out.print(c.title());
        }
        out.println();
    }

    @Override
    public void row(Object[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            out.print(text(columns.get(i), values[i]));
        }
        out.println();
    }

    @Override
    public void subtotal(Object[] values) throws IOException {
        row(values);
    }

    @Override
    public void total(Object[] values) throws IOException {
        row(values);
    }

    @Override
    public void finish() throws IOException {
        out.flush();
    }

    private CharSequence text(Column c, Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof LocalDateTime t) {
            return format(t);
        }
        if (v instanceof BigDecimal d) {
            if (c.kind() == Column.Kind.PERCENT) {
                return d.multiply(HUNDRED).setScale(2, RoundingMode.HALF_UP).toPlainString() + "%";
            }
            return d.toPlainString();
        }
        return v.toString();
    }

    /** yyyy-MM-dd HH:mm:ss, without DateTimeFormatter's cost per value (a million rows have three each). */
    private CharSequence format(LocalDateTime t) {
        int year = t.getYear();
        if (year < 1000 || year > 9999) {
            return TIME.format(t);
        }
        StringBuilder b = time;
        b.setLength(0);
        b.append(year).append('-');
        two(b, t.getMonthValue()).append('-');
        two(b, t.getDayOfMonth()).append(' ');
        two(b, t.getHour()).append(':');
        two(b, t.getMinute()).append(':');
        return two(b, t.getSecond());
    }

    private static StringBuilder two(StringBuilder b, int v) {
        return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
