package org.tollgate.app.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Option;

/**
 * The output options every listing takes: a table for people (the default), {@code --csv}
 * (RFC 4180, a header row) or {@code --json} (an array of the rows the admin API returns for
 * the same listing). A command calls {@link #print} and prints its table only when that says no.
 */
public final class Listing {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final TypeReference<LinkedHashMap<String, JsonNode>> ROW = new TypeReference<>() { };

    @Option(names = "--csv", description = "Write CSV (RFC 4180, with a header row) instead of a table.")
    boolean csv;

    @Option(names = "--json", description = "Write JSON (an array of rows, as the admin API answers) instead of a table.")
    boolean json;

    /** True when the rows went out as CSV or JSON; false: print the table. */
    public boolean print(List<?> rows) {
        if (csv && json) {
            throw new IllegalArgumentException("give --csv or --json, not both");
        }
        if (json) {
            System.out.println(json(rows));
            return true;
        }
        if (csv) {
            writeCsv(rows);
            return true;
        }
        return false;
    }

    /** The rows as a JSON array, indented. */
    static String json(List<?> rows) {
        try {
            return JSON.writeValueAsString(rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeCsv(List<?> rows) {
        try {
            CSVPrinter out = new CSVPrinter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8),
                    CSVFormat.RFC4180);
            List<String> header = null;
            for (Object row : rows) {
                Map<String, JsonNode> fields = JSON.convertValue(row, ROW);
                if (header == null) {
                    header = new ArrayList<>(fields.keySet());
                    out.printRecord(header);
                }
                List<String> values = new ArrayList<>();
                for (String h : header) {
                    values.add(text(fields.get(h)));
                }
                out.printRecord(values);
            }
            out.flush(); // not closed: that would close stdout
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode v) {
        if (v == null || v.isNull()) {
            return "";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            for (Iterator<JsonNode> it = v.elements(); it.hasNext(); ) {
                parts.add(text(it.next()));
            }
            return String.join(",", parts);
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }
}
