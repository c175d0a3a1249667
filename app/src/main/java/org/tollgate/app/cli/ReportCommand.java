package org.tollgate.app.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.tollgate.app.TollgateMain;
import org.tollgate.app.report.ReportFiles;
import org.tollgate.reports.CsvOptions;
import org.tollgate.reports.ReportFormat;
import org.tollgate.reports.ReportName;
import org.tollgate.reports.ReportRequest;
import org.tollgate.reports.Reports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate report NAME --from D --to D [--account A] --format csv|xlsx --out FILE}. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a finance report as CSV or XLSX. Reports: statement (one account's calls by "
                + "destination, with subtotals), destinations (calls, answered, ASR, minutes, ACD, revenue), "
                + "revenue-by-day, missed, repaired (calls whose BYE never came, and how each was closed), "
                + "unrated, cdrs (every CDR with its price), prepaid-statement (one prepaid account's ledger: balance "
                + "carried forward, top-ups, vouchers, calls), reconciliation (prepaid calls whose CDR price and "
                + "ledger debit disagree).")
public class ReportCommand implements Callable<Integer> {

    @ParentCommand
    TollgateMain main;

    @Parameters(paramLabel = "NAME", description = "statement, destinations, revenue-by-day, missed, repaired, "
            + "unrated, cdrs, prepaid-statement or reconciliation.")
    String name;

    @Option(names = {"--since", "--from"}, required = true, paramLabel = "D",
            description = "First call day (2026-11-01, or now, an instant, an age like 7d).")
    String from;

    @Option(names = {"--until", "--to"}, required = true, paramLabel = "D", description = "Last call day, included.")
    String to;

    @Option(names = "--account", paramLabel = "A", description = "Only this account (required for a statement "
            + "and a prepaid-statement); "
            + "times are then in the account's zone.")
    String account;

    @Option(names = "--format", paramLabel = "F", description = "csv or xlsx. Default: from the --out file's "
            + "extension, else csv.")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "The file to write; - or none: standard output "
            + "(CSV only).")
    String out;

    @Option(names = "--bom", description = "Start a CSV with a UTF-8 byte order mark (for Excel).")
    Boolean bom;

    @Option(names = "--delimiter", paramLabel = "C", description = "CSV field delimiter. Default: "
            + "tollgate.reports.csv-delimiter (,).")
    String delimiter;

    @Override
    public Integer call() {
        ReportRequest request;
        ReportFormat fmt;
        Path file;
        try {
            request = new ReportRequest(ReportName.parse(name), day("--since", from), day("--until", to), account);
            fmt = format != null ? ReportFormat.parse(format) : fromExtension(out);
            if (fmt == ReportFormat.XLSX && toStdout()) {
                throw new IllegalArgumentException("an XLSX report needs --out FILE");
            }
            if (delimiter != null && delimiter.length() != 1) {
                throw new IllegalArgumentException("--delimiter must be one character, not '" + delimiter + "'");
            }
            file = toStdout() ? null : main.path(out);
        } catch (IllegalArgumentException | picocli.CommandLine.TypeConversionException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        try (Beans ctx = main.dataContext()) {
            Reports reports = ctx.getBean(Reports.class);
            CsvOptions configured = ctx.getBean(CsvOptions.class);
            CsvOptions csv = new CsvOptions(delimiter == null ? configured.delimiter() : delimiter.charAt(0),
                    bom == null ? configured.bom() : bom);
            if (toStdout()) {
                OutputStream stdout = System.out;
                reports.write(request, fmt, csv, stdout);
                stdout.flush();
            } else {
                long t0 = System.nanoTime();
                long rows = ReportFiles.write(reports, request, fmt, csv, file);
                System.err.printf("wrote %s (%s): %,d rows in %.1f s to %s%n", request.name().id(), fmt.extension(), rows,
                        (System.nanoTime() - t0) / 1e9, file.toAbsolutePath());
            }
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("cannot write the report: " + e.getMessage());
            return 1;
        }
    }

    private boolean toStdout() {
        return out == null || out.equals("-");
    }

    private static ReportFormat fromExtension(String out) {
        return out != null && out.toLowerCase(Locale.ROOT).endsWith(".xlsx") ? ReportFormat.XLSX : ReportFormat.CSV;
    }

    private static LocalDate day(String option, String s) {
        return CliSupport.parseDay(option, s);
    }
}
