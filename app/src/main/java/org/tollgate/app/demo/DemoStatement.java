package org.tollgate.app.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;

import org.tollgate.app.report.ReportFiles;
import org.tollgate.reports.CsvOptions;
import org.tollgate.reports.ReportFormat;
import org.tollgate.reports.ReportName;
import org.tollgate.reports.ReportRequest;
import org.tollgate.reports.Reports;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The demo's last step: each account's statement for the period, printed, then the finance
 * reports (statements, traffic by destination, revenue by day, missed, repaired, every CDR) written
 * as CSV and XLSX to {@code outDir}.
 */
final class DemoStatement {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private DemoStatement() {
    }

    static void write(JdbcTemplate jdbc, List<String> accounts, LocalDate from, LocalDate to, Path outDir, PrintStream out) {
        for (String account : accounts) {
            List<Map<String, Object>> calls = jdbc.queryForList("""
                    SELECT c.answer_time, p.destination, c.callee, c.duration_seconds, p.billed_seconds, p.cost, p.currency
                      FROM cdr c JOIN cdr_price p USING (cdr_key)
                     WHERE c.billing_party = ? AND c.disposition = 'ANSWERED' AND c.call_date BETWEEN ? AND ?
                     ORDER BY c.answer_time""", account, from, to);
            out.printf("%n  Statement of %s, %s .. %s (UTC)%n", account, from, to);
            out.printf("  %-19s %-15s %-15s %8s %7s %10s%n", "TIME", "DESTINATION", "NUMBER", "DURATION", "BILLED",
                    "COST");
            BigDecimal total = BigDecimal.ZERO;
            String currency = "";
            for (Map<String, Object> c : calls) {
                BigDecimal cost = ((BigDecimal) c.get("cost")).setScale(4, RoundingMode.HALF_UP);
                total = total.add(cost);
                currency = String.valueOf(c.get("currency"));
                out.printf("  %-19s %-15s %-15s %7ss %6ss %10s%n",
                        TIME.format(((java.sql.Timestamp) c.get("answer_time")).toInstant()), c.get("destination"),
                        number((String) c.get("callee")), c.get("duration_seconds"), c.get("billed_seconds"),
                        cost.toPlainString());
            }
            out.printf("  %-19s %-15s %-15s %8s %7s %10s %s%n", "TOTAL", calls.size() + " call(s)", "", "", "",
                    total.toPlainString(), currency);
        }
        Reports reports = new Reports(jdbc.getDataSource(), ZoneOffset.UTC);
        List<ReportRequest> files = new ArrayList<>();
        for (String account : accounts) {
            files.add(new ReportRequest(ReportName.STATEMENT, from, to, account));
        }
        for (ReportName name : List.of(ReportName.DESTINATIONS, ReportName.REVENUE_BY_DAY, ReportName.MISSED,
                ReportName.REPAIRED, ReportName.CDRS)) {
            files.add(new ReportRequest(name, from, to, null));
        }
        out.printf("%n  Reports written to %s:%n", outDir.toAbsolutePath().normalize());
        for (ReportRequest r : files) {
            for (ReportFormat format : ReportFormat.values()) {
                Path file = outDir.resolve(r.fileName(format));
                try {
                    long rows = ReportFiles.write(reports, r, format, CsvOptions.DEFAULT, file);
                    out.printf("    %-58s %3d row(s)%n", file.getFileName(), rows);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** The dialled number of a callee URI such as sip:004930…@domain. */
    private static String number(String uri) {
        String s = uri.startsWith("sip:") ? uri.substring(4) : uri;
        int at = s.indexOf('@');
        return at < 0 ? s : s.substring(0, at);
    }
}
