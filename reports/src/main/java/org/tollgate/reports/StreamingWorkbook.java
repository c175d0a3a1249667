package org.tollgate.reports;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.streaming.SheetDataWriter;

/**
 * POI's streaming workbook, tuned for exports of a million rows: the sheet XML goes to its
 * temporary file through a buffer without a lock per call, and the final zip is deflated at the
 * fastest level: at the default level, compressing the XML of a million rows took 13 of the
 * export's 44 s; at the fastest, 5 s, for a file 30 % larger (92 MB instead of 70).
 */
final class StreamingWorkbook extends SXSSFWorkbook {

    private static final int BUFFER = 1 << 16;

    StreamingWorkbook(int window) {
        super(window);
    }

    @Override
    protected SheetDataWriter createSheetDataWriter() throws IOException {
        return new SheetDataWriter() {
            @Override
            public Writer createWriter(File file) throws IOException {
                return new UnlockedBufferedWriter(
                        new OutputStreamWriter(new FileOutputStream(file), StandardCharsets.UTF_8), BUFFER);
            }
        };
    }

    @Override
    protected ZipArchiveOutputStream createArchiveOutputStream(OutputStream out) {
        ZipArchiveOutputStream zip = super.createArchiveOutputStream(out);
        zip.setLevel(Deflater.BEST_SPEED);
        return zip;
    }
}
