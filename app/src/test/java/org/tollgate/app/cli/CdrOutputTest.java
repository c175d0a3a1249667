package org.tollgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.tollgate.cdr.pairing.Disposition;
import org.tollgate.cdr.pairing.Repair;
import org.tollgate.cdr.query.CdrRow;
import org.tollgate.cdr.query.Limited;

class CdrOutputTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void csvQuotesWhatNeedsItAndKeepsEveryColumn() throws Exception {
        output(true).cdrs(new Limited<>(List.of(row("\"Bob, Jr.\" <sip:bob@example.com>\r\nX")), false), "more");
        List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(out.toString(StandardCharsets.UTF_8))).getRecords();
        assertThat(records).hasSize(1);
        CSVRecord r = records.get(0);
        assertThat(r.get("caller")).isEqualTo("\"Bob, Jr.\" <sip:bob@example.com>\r\nX");
        assertThat(r.get("end_time")).isEqualTo("2026-11-21T10:00:00.250Z");
        assertThat(r.get("repair")).isEqualTo("MEDIA_TIMEOUT");
        assertThat(r.get("setup_time")).isEmpty();
        assertThat(r.get("call_date")).isEqualTo("2026-11-21");
        assertThat(r.getParser().getHeaderNames()).hasSize(23).startsWith("cdr_key", "call_id");
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("cdr_key,call_id,").contains("\r\n");
        assertThat(err.size()).isZero();
    }

    @Test
    void csvSaysOnStderrThatMoreMatched() {
        output(true).cdrs(new Limited<>(List.of(row("a")), true), "raise --limit");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("more rows match: raise --limit" + System.lineSeparator());
    }

    @Test
    void aTableHasOneLinePerRowClippedToItsColumnsAndACount() {
        output(false).cdrs(new Limited<>(List.of(row("sip:a-very-long-caller-name@example.com\nnext")), true), "raise --limit");
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("END-TIME").contains("CALLER").endsWith("CALL-ID");
        assertThat(lines.get(1)).startsWith("2026-11-21T10:00:00Z ANSWERED").contains("sip:a-very-long-caller-name~")
                .endsWith("call-1");
        assertThat(lines.get(2)).isEqualTo("1 CDR(s); more match: raise --limit");
    }

    private CdrOutput output(boolean csv) {
        return new CdrOutput(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), csv);
    }

    private static CdrRow row(String caller) {
        return new CdrRow(UUID.randomUUID(), "call-1", 0, LocalDate.parse("2026-11-21"), null,
                Instant.parse("2026-11-21T09:59:00Z"), Instant.parse("2026-11-21T10:00:00.250Z"), 60, 60,
                Disposition.ANSWERED, 200, "OK", caller, "sip:+4930123@example.com", null, "alice", "alice",
                "192.0.2.9", "kam", "192.0.2.1", null, Repair.MEDIA_TIMEOUT, 1);
    }
}
