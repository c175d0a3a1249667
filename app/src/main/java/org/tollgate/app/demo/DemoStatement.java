package org.tollgate.app.demo;

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
 * The demo's last step: each account's statement for the period. This build reads it straight
 * from {@code cdr} and {@code cdr_price} and prints it; the finance exports (CSV, XLSX) are the
 * reports module's, so {@link #write} is the one place to call {@code Reports.write} from once
 * that module is part of the build, with {@code outDir} as the directory the files go to.
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
        out.printf("%n  CSV and XLSX reports: not written by this build (the reports module is not part of it yet);"
                + " their directory is %s%n", outDir.toAbsolutePath().normalize());
    }

    /** The dialled number of a callee URI such as sip:004930…@domain. */
    private static String number(String uri) {
        String s = uri.startsWith("sip:") ? uri.substring(4) : uri;
        int at = s.indexOf('@');
        return at < 0 ? s : s.substring(0, at);
    }
}
