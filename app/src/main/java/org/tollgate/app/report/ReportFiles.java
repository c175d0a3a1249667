package org.tollgate.app.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.tollgate.reports.CsvOptions;
import org.tollgate.reports.ReportFormat;
import org.tollgate.reports.ReportRequest;
import org.tollgate.reports.Reports;

/** Writes a report to a file through a temporary file beside it: a failed report leaves no half file. */
public final class ReportFiles {

    private ReportFiles() {
    }

    /** Returns the report's number of data rows. */
    public static long write(Reports reports, ReportRequest r, ReportFormat format, CsvOptions csv, Path target)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".report-", ".part");
        long rows;
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                rows = reports.write(r, format, csv, out);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return rows;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
