package org.tollgate.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvTableWriterTest {

    private static String write(CsvOptions options, Object[]... rows) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CsvTableWriter w = new CsvTableWriter(bytes, options);
        w.start("t", List.of(Column.of("At", Column.Kind.DATETIME), Column.text("Who"),
                Column.of("Cost", Column.Kind.MONEY), Column.of("ASR", Column.Kind.PERCENT),
                Column.of("Day", Column.Kind.DATE)));
        for (Object[] r : rows) {
            w.row(r);
        }
        w.finish();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void timesNumbersAndPercentagesArePlain() throws Exception {
        String csv = write(new CsvOptions(',', false),
                new Object[] {LocalDateTime.of(2026, 3, 9, 7, 5, 3, 999_000_000), "a", new BigDecimal("0.2500"),
                        new BigDecimal("0.66666"), LocalDate.of(2026, 3, 9)},
                new Object[] {LocalDateTime.of(2026, 12, 31, 23, 59, 59), null, null, null, null});
        assertThat(csv).isEqualTo("At,Who,Cost,ASR,Day\r\n"
                + "2026-03-09 07:05:03,a,0.2500,66.67%,2026-03-09\r\n"
                + "2026-12-31 23:59:59,,,,\r\n");
    }

    @Test
    void quotesWhatNeedsQuotingWithTheChosenDelimiterAndBom() throws Exception {
        // Commons CSV quotes an empty first field, so that the record is not an empty line
        String csv = write(new CsvOptions(';', true),
                new Object[] {null, "Müller; \"Hans\"\nBerlin", null, null, null});
        assertThat(csv).isEqualTo("\uFEFFAt;Who;Cost;ASR;Day\r\n\"\";\"Müller; \"\"Hans\"\"\nBerlin\";;;\r\n");
    }
}
