package org.tollgate.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * A report as an XLSX workbook written with POI's streaming API: only a window of rows is in
 * memory, the rest goes to a temporary file, so a million rows fit in a small heap.
 * The header row is bold, frozen and filtered; cells are real numbers and dates with formats;
 * columns are as wide as their longest value; subtotal and total rows are bold. A chart, when
 * the report has one, goes on a sheet of its own.
 */
public final class XlsxTableWriter implements TableSink {

    private static final int WINDOW = 200;
    private static final int MAX_WIDTH = 60;

    private final OutputStream stream;
    private final SXSSFWorkbook book = new StreamingWorkbook(WINDOW);
    private final CellStyle header;
    private final CellStyle[] plain;
    private final CellStyle[] bold;
    private SXSSFSheet sheet;
    private List<Column> columns;
    private int[] widths;
    private int next;
    private int lastData;
    private Chart chart;

    public XlsxTableWriter(OutputStream stream) {
        this.stream = stream;
        Font boldFont = book.createFont();
        boldFont.setBold(true);
        header = book.createCellStyle();
        header.setFont(boldFont);
        Column.Kind[] kinds = Column.Kind.values();
        plain = new CellStyle[kinds.length];
        bold = new CellStyle[kinds.length];
        for (Column.Kind k : kinds) {
            plain[k.ordinal()] = style(k, null);
            bold[k.ordinal()] = style(k, boldFont);
        }
        // every cell gets its style: a cell without one costs a look-up in the styles XML when written
        plain[Column.Kind.TEXT.ordinal()] = book.getCellStyleAt(0);
        bold[Column.Kind.TEXT.ordinal()] = header;
    }

    private CellStyle style(Column.Kind kind, Font font) {
        CellStyle s = book.createCellStyle();
        String format = format(kind);
        if (format != null) {
            s.setDataFormat(book.createDataFormat().getFormat(format));
        }
        if (font != null) {
            s.setFont(font);
        }
        return s;
    }

    /** Excel number formats; money shows 2 to 6 decimals, as many as the plan's rounding gives. */
    static String format(Column.Kind kind) {
        switch (kind) {
            case INTEGER: return "#,##0";
            case DECIMAL: return "#,##0.00";
            case MONEY: return "#,##0.00####";
            case PERCENT: return "0.00%";
            case DATE: return "yyyy-mm-dd";
            case DATETIME: return "yyyy-mm-dd hh:mm:ss";
            default: return null;
        }
    }

    @Override
    public void start(String title, List<Column> columns) {
        this.columns = List.copyOf(columns);
        sheet = book.createSheet(sheetName(title));
        widths = new int[columns.size()];
        Row r = sheet.createRow(next++);
        for (int i = 0; i < columns.size(); i++) {
            Cell c = r.createCell(i);
            c.setCellValue(columns.get(i).title());
            c.setCellStyle(header);
            widths[i] = columns.get(i).title().length() + 3; // room for the filter button
        }
        sheet.createFreezePane(0, 1);
    }

    @Override
    public void row(Object[] values) {
        lastData = next;
        write(values, plain);
    }

    @Override
    public void subtotal(Object[] values) {
        write(values, bold);
    }

    @Override
    public void total(Object[] values) {
        write(values, bold);
    }

    @Override
    public void chart(Chart chart) {
        this.chart = chart;
    }

    private void write(Object[] values, CellStyle[] styles) {
        Row r = sheet.createRow(next++);
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v == null) {
                continue;
            }
            Column col = columns.get(i);
            Cell c = r.createCell(i);
            int width;
            if (v instanceof String s) {
                c.setCellValue(s);
                width = s.length();
            } else if (v instanceof BigDecimal d) {
                c.setCellValue(d.doubleValue());
                width = d.precision() + 4;
            } else if (v instanceof Long n) {
                c.setCellValue(n);
                width = Long.toString(n).length() + 2;
            } else if (v instanceof Integer n) {
                c.setCellValue(n);
                width = Integer.toString(n).length() + 2;
            } else if (v instanceof LocalDateTime t) {
                c.setCellValue(DateUtil.getExcelDate(t, false)); // the workbook's 1900 date system, no look-up
                width = 19;
            } else if (v instanceof LocalDate d) {
                c.setCellValue(DateUtil.getExcelDate(d, false));
                width = 10;
            } else {
                c.setCellValue(v.toString());
                width = v.toString().length();
            }
            c.setCellStyle(v instanceof String ? styles[Column.Kind.TEXT.ordinal()] : styles[col.kind().ordinal()]);
            widths[i] = Math.max(widths[i], Math.min(width, MAX_WIDTH));
        }
    }

    @Override
    public void finish() throws IOException {
        for (int i = 0; i < widths.length; i++) {
            sheet.setColumnWidth(i, (widths[i] + 1) * 256);
        }
        // the filter covers the data, not the subtotal and total rows after it
        sheet.setAutoFilter(new CellRangeAddress(0, lastData, 0, columns.size() - 1));
        if (chart != null && !chart.categories().isEmpty()) {
            XlsxChart.draw(book, sheet.getSheetName(), chart);
        }
        try {
            book.write(stream);
            stream.flush();
        } finally {
            book.close(); // also deletes the temporary files
        }
    }

    @Override
    public void discard() throws IOException {
        book.close(); // deletes the temporary files
    }

    /** Excel allows 31 characters and no []:*?/\ in a sheet name. */
    static String sheetName(String title) {
        String s = title.replaceAll("[\\[\\]:*?/\\\\]", " ");
        return s.length() > 31 ? s.substring(0, 31) : s;
    }
}
