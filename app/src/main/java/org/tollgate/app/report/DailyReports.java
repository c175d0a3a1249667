package org.tollgate.app.report;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.cdr.schedule.AfterNightlyRun;
import org.tollgate.reports.CsvOptions;
import org.tollgate.reports.ReportFormat;
import org.tollgate.reports.ReportName;
import org.tollgate.reports.ReportRequest;
import org.tollgate.reports.Reports;

/**
 * After the nightly CDR run, the previous day's reports (in the reports zone, relative to when the
 * run was scheduled) written to {@code tollgate.reports.daily-dir}, one file per report and format.
 */
public class DailyReports implements AfterNightlyRun {

    private static final Logger log = LoggerFactory.getLogger(DailyReports.class);

    private final Reports reports;
    private final CsvOptions csv;
    private final Path dir;
    private final ZoneId zone;
    private final java.util.List<String> names;
    private final java.util.List<String> formats;

    public DailyReports(Reports reports, CsvOptions csv, Path dir, ZoneId zone, java.util.List<String> names,
                        java.util.List<String> formats) {
        this.reports = reports;
        this.csv = csv;
        this.dir = dir;
        this.zone = zone;
        this.names = java.util.List.copyOf(names);
        this.formats = java.util.List.copyOf(formats);
    }

    @Override
    public void completed(Instant firedAt) throws Exception {
        LocalDate day = firedAt.atZone(zone).toLocalDate().minusDays(1);
        for (String name : names) {
            ReportRequest r = new ReportRequest(ReportName.parse(name), day, day, null);
            for (String f : formats) {
                ReportFormat format = ReportFormat.parse(f);
                Path file = dir.resolve(r.fileName(format));
                ReportFiles.write(reports, r, format, csv, file);
                log.info("daily report written: {}", file);
            }
        }
    }
}
