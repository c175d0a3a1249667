package org.tollgate.app.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.tollgate.cdr.query.CdrRow;
import org.tollgate.cdr.query.Limited;
import org.tollgate.cdr.query.ReviewRow;

/**
 * How {@code tollgate cdr} prints rows: CSV (RFC 4180 with a header, every column, full
 * precision) for other tools, or a table with the columns an operator reads, clipped to width.
 * A note that more rows matched goes to stderr with CSV, so the CSV stays clean.
 */
public final class CdrOutput {

    private static final List<Column<CdrRow>> CDR_CSV = List.of(
            col("cdr_key", CdrRow::cdrKey), col("call_id", CdrRow::callId), col("leg_index", CdrRow::legIndex),
            col("call_date", CdrRow::callDate), col("setup_time", CdrRow::setupTime),
            col("answer_time", CdrRow::answerTime), col("end_time", CdrRow::endTime),
            col("duration_seconds", CdrRow::durationSeconds), col("billable_seconds", CdrRow::billableSeconds),
            col("disposition", CdrRow::disposition), col("sip_code", CdrRow::sipCode),
            col("sip_reason", CdrRow::sipReason), col("caller", CdrRow::caller), col("callee", CdrRow::callee),
            col("translated_uri", CdrRow::translatedUri), col("billing_party", CdrRow::billingParty),
            col("user_name", CdrRow::userName), col("source_ip", CdrRow::sourceIp), col("nas_name", CdrRow::nasName),
            col("nas_address", CdrRow::nasAddress), col("terminate_cause", CdrRow::terminateCause),
            col("repair", CdrRow::repair), col("version", CdrRow::version));

    private static final List<Column<CdrRow>> CDR_TABLE = List.of(
            col("END-TIME", 20, r -> seconds(r.endTime())), col("DISPOSITION", 11, CdrRow::disposition),
            right("DUR-S", 6, CdrRow::durationSeconds), right("BILL-S", 6, CdrRow::billableSeconds),
            col("CALLER", 28, CdrRow::caller), col("CALLEE", 28, CdrRow::callee),
            col("BILLING-PARTY", 16, CdrRow::billingParty), col("REPAIR", 13, CdrRow::repair),
            col("CALL-ID", 0, CdrRow::callId));

    private static final List<Column<CdrRow>> MISSED_TABLE = List.of(
            col("END-TIME", 20, r -> seconds(r.endTime())), col("DISPOSITION", 11, CdrRow::disposition),
            right("CODE", 4, CdrRow::sipCode), col("REASON", 24, CdrRow::sipReason),
            col("CALLER", 28, CdrRow::caller), col("CALLEE", 28, CdrRow::callee), col("CALL-ID", 0, CdrRow::callId));

    private static final List<Column<ReviewRow>> REVIEW_CSV = List.of(
            col("record_key", ReviewRow::recordKey), col("call_id", ReviewRow::callId),
            col("reason", ReviewRow::reason), col("detail", ReviewRow::detail),
            col("event_time", ReviewRow::eventTime), col("created_at", ReviewRow::createdAt));

    private static final List<Column<ReviewRow>> REVIEW_TABLE = List.of(
            col("EVENT-TIME", 20, r -> seconds(r.eventTime())), col("REASON", 21, ReviewRow::reason),
            col("CALL-ID", 36, ReviewRow::callId), col("RECORD-KEY", 36, ReviewRow::recordKey),
            col("DETAIL", 0, ReviewRow::detail));

    private final PrintStream out;
    private final PrintStream err;
    private final boolean csv;
    private final boolean json;

    public CdrOutput(PrintStream out, PrintStream err, boolean csv) {
        this(out, err, csv, false);
    }

    /** {@code json}: the rows as the admin API returns them. */
    public CdrOutput(PrintStream out, PrintStream err, boolean csv, boolean json) {
        this.out = out;
        this.err = err;
        this.csv = csv;
        this.json = json;
    }

    public void cdrs(Limited<CdrRow> rows, String more) {
        print(rows, CDR_CSV, CDR_TABLE, "CDR(s)", more);
    }

    void missed(Limited<CdrRow> rows, String more) {
        print(rows, CDR_CSV, MISSED_TABLE, "missed call(s)", more);
    }

    void review(Limited<ReviewRow> rows, String more) {
        print(rows, REVIEW_CSV, REVIEW_TABLE, "open review row(s)", more);
    }

    private <T> void print(Limited<T> rows, List<Column<T>> csvColumns, List<Column<T>> tableColumns, String noun,
                           String more) {
        if (json) {
            out.println(Listing.json(rows.rows()));
            if (rows.more()) {
                err.println("more rows match: " + more);
            }
            return;
        }
        if (csv) {
            csv(rows.rows(), csvColumns);
            if (rows.more()) {
                err.println("more rows match: " + more);
            }
            return;
        }
        out.println(line(tableColumns, c -> c.header));
        for (T row : rows.rows()) {
            out.println(line(tableColumns, c -> c.cell(row)));
        }
        out.println(rows.rows().size() + " " + noun + (rows.more() ? "; more match: " + more : ""));
    }

    private <T> void csv(List<T> rows, List<Column<T>> columns) {
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setHeader(columns.stream().map(c -> c.header).toArray(String[]::new)).get();
        // not closed: that would close stdout
        try {
            CSVPrinter printer = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8), format);
            for (T row : rows) {
                List<Object> values = new ArrayList<>(columns.size());
                columns.forEach(c -> values.add(c.value.apply(row)));
                printer.printRecord(values);
            }
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> String line(List<Column<T>> columns, Function<Column<T>, String> text) {
        StringBuilder sb = new StringBuilder();
        for (Column<T> c : columns) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(c.pad(text.apply(c)));
        }
        return sb.toString().stripTrailing();
    }

    private static Instant seconds(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS);
    }

    private static <T> Column<T> col(String header, Function<T, Object> value) {
        return new Column<>(header, 0, false, value);
    }

    private static <T> Column<T> col(String header, int width, Function<T, Object> value) {
        return new Column<>(header, width, false, value);
    }

    private static <T> Column<T> right(String header, int width, Function<T, Object> value) {
        return new Column<>(header, width, true, value);
    }

    /** A column: its header, its width in a table (0: the last, unclipped) and how to get its value. */
    private static final class Column<T> {
        final String header;
        final int width;
        final boolean right;
        final Function<T, Object> value;

        Column(String header, int width, boolean right, Function<T, Object> value) {
            this.header = header;
            this.width = width;
            this.right = right;
            this.value = value;
        }

        String cell(T row) {
            Object v = value.apply(row);
            return v == null ? "" : v.toString();
        }

        String pad(String s) {
            // a control character from a SIP header must not break the table's lines
            String clean = s.replaceAll("\\p{Cntrl}", " ");
            if (width == 0) {
                return clean;
            }
            String clipped = clean.length() > width ? clean.substring(0, width - 1) + "~" : clean;
            char[] fill = new char[width - clipped.length()];
            Arrays.fill(fill, ' ');
            return right ? new String(fill) + clipped : clipped + new String(fill);
        }
    }
}
