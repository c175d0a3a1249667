package org.tollgate.tests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A rates CSV for {@code rates import}: the header, then the given rows. */
public final class RatesFile {

    private static final String HEADER = "prefix,destination,band,connect_fee,price_per_minute,first_increment,"
            + "next_increment,minimum_seconds,free_seconds,valid_from,valid_to\r\n";

    private RatesFile() {
    }

    /** Writes a temporary file and returns its path. */
    public static String of(String rows) throws IOException {
        Path f = Files.createTempFile("rates", ".csv");
        Files.writeString(f, HEADER + rows);
        return f.toString();
    }
}
