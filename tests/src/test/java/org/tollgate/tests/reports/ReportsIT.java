package org.tollgate.tests.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.tests.support.RatesFile;
import org.tollgate.tests.support.TollgateInstance;

/**
 * Finance reports from CDRs the batch paired and priced: the CSV read back with a CSV parser and
 * the XLSX with POI, values, formats and totals checked against the calls they came from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportsIT {

    static final String DAY = "2026-11-20";

    @TempDir
    Path dir;

    private TollgateInstance tollgate;
    private JdbcTemplate jdbc;

    @BeforeAll
    void start() throws Exception {
        tollgate = new TollgateInstance("tollgate.roles=api");
        jdbc = tollgate.jdbc();
        cli("plan", "add", "--name", "retail", "--currency", "EUR", "--decimals", "4");
        cli("rates", "import",
                RatesFile.of("49,Germany,*,0.05,0.10,60,60,0,0,,\r\n44,United Kingdom,*,0,0.20,30,6,0,0,,\r\n"),
                "--plan", "retail");
        cli("account", "add", "--name", "1001@example.com", "--plan", "retail", "--zone", "Europe/Berlin");
        cli("account", "add", "--name", "1002@example.com", "--plan", "retail", "--zone", "Europe/Berlin");
        String a = "1001@example.com";
        String b = "1002@example.com";
        answered("c1", a, "+4930123456", "10:00:00", "10:01:01");  // 61 s → 120 s billed, 0.05 + 0.20
        answered("c2", a, "+4930777", "11:00:00", "11:00:30");     // 30 s → 60 s, 0.15
        answered("c3", a, "+447911123456", "12:00:00", "12:02:00"); // 120 s at 0.20, 30/6: 0.40
        answered("c4", a, "+33123456", "12:30:00", "12:30:30");     // no rate for France: UNRATED
        event("c5", a, "+4930999", "FAILED", 15, "13:00:00", 486, "{}"); // busy: missed, free
        answered("c6", b, "+4930555", "13:00:00", "13:00:10");     // 10 s → 60 s, 0.15
        // the caller vanished: no Stop; closed by its session timer 1800 s later, 0.05 + 30 × 0.10
        event("c7", b, "+4930111", "START", 1, "14:00:00", 200, "{\"Acct-Interim-Interval\": \"1800\"}");
        assertThat(tollgate.cli("batch", "run", "--until", "2026-11-21T00:00:00Z")).isZero();
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    @Test
    void statementCsvListsTheAccountsCallsWithSubtotalsAndTotal() throws Exception {
        Path f = dir.resolve("statement.csv");
        cli("report", "statement", "--from", DAY, "--to", DAY, "--account", "1001@example.com", "--out", f.toString());
        List<CSVRecord> rows = csv(f, ',');
        assertThat(rows.get(0).values()).containsExactly("Time", "Destination", "Number", "Duration (s)", "Billed (s)",
                "Cost", "Currency");
        Map<String, CSVRecord> calls = rows.stream().skip(1).filter(r -> r.get(2).startsWith("sip:"))
                .collect(Collectors.toMap(r -> r.get(2), r -> r));
        assertThat(calls).hasSize(4); // the busy call cost nothing and is not on the statement
        CSVRecord c1 = calls.get("sip:+4930123456@example.com");
        assertThat(c1.values()).containsExactly("2026-11-20 11:00:00", "Germany", "sip:+4930123456@example.com", "61",
                "120", "0.2500", "EUR"); // Berlin time
        assertThat(calls.get("sip:+33123456@example.com").get(1)).isEqualTo("(unrated)");
        assertThat(calls.get("sip:+33123456@example.com").get(5)).isEmpty();
        CSVRecord germany = rows.stream().filter(r -> r.get(0).equals("Subtotal") && r.get(1).equals("Germany"))
                .findFirst().orElseThrow();
        assertThat(germany.values()).containsExactly("Subtotal", "Germany", "2 calls", "91", "180", "0.4000", "EUR");
        CSVRecord total = rows.get(rows.size() - 1);
        assertThat(total.values()).containsExactly("Total", "", "4 calls", "241", "300", "0.8000", "EUR");
        assertThat(rows.stream().filter(r -> r.get(0).equals("Subtotal")).count()).isEqualTo(3);
    }

    @Test
    void statementXlsxHasRealFormatsAFrozenFilteredHeaderAndTotals() throws Exception {
        Path f = dir.resolve("statement.xlsx");
        cli("report", "statement", "--from", DAY, "--to", DAY, "--account", "1001@example.com", "--format", "xlsx",
                "--out", f.toString());
        try (InputStream in = Files.newInputStream(f); XSSFWorkbook book = new XSSFWorkbook(in)) {
            XSSFSheet sheet = book.getSheetAt(0);
            Row header = sheet.getRow(0);
            assertThat(header.getCell(0).getStringCellValue()).isEqualTo("Time");
            assertThat(book.getFontAt(header.getCell(0).getCellStyle().getFontIndex()).getBold()).isTrue();
            assertThat(sheet.getPaneInformation().isFreezePane()).isTrue();
            assertThat(sheet.getPaneInformation().getHorizontalSplitPosition()).isEqualTo((short) 1);
            assertThat(sheet.getCTWorksheet().isSetAutoFilter()).isTrue();
            assertThat(sheet.getCTWorksheet().getAutoFilter().getRef()).startsWith("A1:G");
            Row first = findRow(sheet, "sip:+4930123456@example.com");
            Cell time = first.getCell(0);
            assertThat(time.getCellType()).isEqualTo(CellType.NUMERIC);
            assertThat(DateUtil.isCellDateFormatted(time)).isTrue();
            assertThat(time.getLocalDateTimeCellValue()).isEqualTo("2026-11-20T11:00:00");
            assertThat(first.getCell(3).getNumericCellValue()).isEqualTo(61);
            assertThat(first.getCell(3).getCellStyle().getDataFormatString()).isEqualTo("#,##0");
            Cell cost = first.getCell(5);
            assertThat(cost.getCellType()).isEqualTo(CellType.NUMERIC);
            assertThat(cost.getNumericCellValue()).isEqualTo(0.25);
            assertThat(cost.getCellStyle().getDataFormatString()).isEqualTo("#,##0.00####");
            Row total = sheet.getRow(sheet.getLastRowNum());
            assertThat(total.getCell(0).getStringCellValue()).isEqualTo("Total");
            assertThat(total.getCell(5).getNumericCellValue()).isEqualTo(0.8);
            assertThat(book.getFontAt(total.getCell(5).getCellStyle().getFontIndex()).getBold()).isTrue();
            assertThat(sheet.getColumnWidth(2)).isGreaterThan(20 * 256); // fits the SIP URIs
        }
    }

    @Test
    void destinationsHaveAsrAcdRevenueAndAChart() throws Exception {
        Path f = dir.resolve("destinations.csv");
        cli("report", "destinations", "--from", DAY, "--to", DAY, "--out", f.toString());
        List<CSVRecord> rows = csv(f, ',');
        assertThat(rows.get(0).values()).containsExactly("Destination", "Currency", "Calls", "Answered", "ASR", "Minutes",
                "ACD (min)", "Revenue");
        // Germany: c1, c2, c6, c7 answered and c5 busy; 61 + 30 + 10 + 1800 billable seconds
        assertThat(row(rows, "Germany").values()).containsExactly("Germany", "EUR", "5", "4", "80.00%", "31.68", "7.92",
                "3.6000");
        assertThat(row(rows, "United Kingdom").values()).containsExactly("United Kingdom", "EUR", "1", "1", "100.00%",
                "2.00", "2.00", "0.4000");
        assertThat(row(rows, "(unknown)").get(7)).isEqualTo("0");
        assertThat(row(rows, "Total").values()).containsExactly("Total", "EUR", "7", "6", "85.71%", "34.18", "5.70",
                "4.0000");

        Path x = dir.resolve("destinations.xlsx");
        cli("report", "destinations", "--from", DAY, "--to", DAY, "--out", x.toString());
        try (InputStream in = Files.newInputStream(x); XSSFWorkbook book = new XSSFWorkbook(in)) {
            Row germany = findRow(book.getSheetAt(0), "Germany");
            assertThat(germany.getCell(4).getNumericCellValue()).isEqualTo(0.8);
            assertThat(germany.getCell(4).getCellStyle().getDataFormatString()).isEqualTo("0.00%");
            XSSFDrawing drawing = book.getSheet("Chart").getDrawingPatriarch();
            assertThat(drawing.getCharts()).hasSize(1);
            assertThat(drawing.getCharts().get(0).getTitleText().getString()).startsWith("Revenue by destination");
        }
    }

    @Test
    void revenueByDayComesFromTheDailyTotals() throws Exception {
        Path f = dir.resolve("revenue.xlsx");
        cli("report", "revenue-by-day", "--from", "2026-11-19", "--to", "2026-11-21", "--out", f.toString());
        try (InputStream in = Files.newInputStream(f); XSSFWorkbook book = new XSSFWorkbook(in)) {
            XSSFSheet sheet = book.getSheetAt(0);
            Row day = sheet.getRow(1);
            assertThat(day.getCell(0).getLocalDateTimeCellValue().toLocalDate()).isEqualTo(DAY);
            assertThat(day.getCell(0).getCellStyle().getDataFormatString()).isEqualTo("yyyy-mm-dd");
            assertThat(day.getCell(2).getNumericCellValue()).isEqualTo(6); // priced calls, the busy one included
            assertThat(day.getCell(3).getNumericCellValue()).isEqualTo(36.0); // 2,160 billed seconds
            assertThat(day.getCell(4).getNumericCellValue()).isEqualTo(4.0);
            assertThat(day.getCell(5).getNumericCellValue()).isEqualTo(1);
            assertThat(sheet.getRow(2).getCell(0).getStringCellValue()).isEqualTo("Total");
            assertThat(book.getSheet("Chart").getDrawingPatriarch().getCharts()).hasSize(1);
        }
    }

    @Test
    void missedRepairedUnratedAndTheCdrExport() throws Exception {
        Path missed = dir.resolve("missed.csv");
        cli("report", "missed", "--from", DAY, "--to", DAY, "--out", missed.toString(), "--delimiter", ";", "--bom");
        byte[] bytes = Files.readAllBytes(missed);
        assertThat(bytes).startsWith(0xEF, 0xBB, 0xBF);
        List<CSVRecord> m = csv(missed, ';');
        assertThat(m).hasSize(3);
        assertThat(m.get(1).values()).containsExactly("2026-11-20 13:00:00", "1001@example.com", "sip:1001@example.com",
                "sip:+4930999@example.com", "BUSY", "486", m.get(1).get(6));
        assertThat(m.get(2).get(1)).isEqualTo("1 calls");

        Path repaired = dir.resolve("repaired.csv");
        cli("report", "repaired", "--from", DAY, "--to", DAY, "--out", repaired.toString());
        List<CSVRecord> r = csv(repaired, ',');
        assertThat(r).hasSize(3);
        assertThat(r.get(1).get(4)).isEqualTo("sip:+4930111@example.com");
        assertThat(r.get(1).get(1)).isEqualTo("2026-11-20 14:30:00");
        assertThat(r.get(1).get(7)).isEqualTo("SESSION_TIMER");

        Path unrated = dir.resolve("unrated.csv");
        cli("report", "unrated", "--from", DAY, "--to", DAY, "--out", unrated.toString());
        List<CSVRecord> u = csv(unrated, ',');
        assertThat(u).hasSize(3);
        assertThat(u.get(1).get(5)).contains("no rate").contains("33123456");

        Path cdrs = dir.resolve("cdrs.csv");
        cli("report", "cdrs", "--from", DAY, "--to", DAY, "--out", cdrs.toString());
        List<CSVRecord> all = csv(cdrs, ',');
        assertThat(all).hasSize(1 + 7 + 1);
        assertThat(all.get(all.size() - 1).get(15)).isEqualTo("4.0000");
        assertThat(all.get(all.size() - 1).get(1)).isEqualTo("7 CDRs");
    }

    @Test
    void badArgumentsAreExplainedAndWriteNothing() throws Exception {
        Path f = dir.resolve("nothing.csv");
        assertThat(tollgate.cli("report", "nonsense", "--from", DAY, "--to", DAY, "--out", f.toString())).isEqualTo(2);
        assertThat(tollgate.cli("report", "missed", "--from", DAY, "--to", "2026-11-01", "--out", f.toString())).isEqualTo(2);
        assertThat(tollgate.cli("report", "statement", "--from", DAY, "--to", DAY, "--out", f.toString())).isEqualTo(2);
        assertThat(tollgate.cli("report", "statement", "--from", DAY, "--to", DAY, "--account", "nobody@example.com",
                "--out", f.toString())).isEqualTo(2);
        assertThat(tollgate.cli("report", "missed", "--from", "yesterday", "--to", DAY)).isEqualTo(2);
        assertThat(tollgate.cli("report", "missed", "--from", DAY, "--to", DAY, "--format", "xlsx")).isEqualTo(2);
        assertThat(f).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".part"))).isEmpty();
        }
    }

    @Test
    void theAdminApiServesReportsToTheTokenHolderOnly() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String url = "http://127.0.0.1:" + tollgate.httpPort() + "/api/reports/missed?from=" + DAY + "&to=" + DAY;
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);

        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TollgateInstance.API_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("attachment").contains("missed-2026-11-20.csv");
        assertThat(ok.body()).startsWith("Time,Billing party").contains("sip:+4930999@example.com");

        HttpResponse<byte[]> xlsx = http.send(HttpRequest.newBuilder(URI.create(url + "&format=xlsx"))
                .header("Authorization", "Bearer " + TollgateInstance.API_TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(xlsx.statusCode()).isEqualTo(200);
        try (XSSFWorkbook book = new XSSFWorkbook(new java.io.ByteArrayInputStream(xlsx.body()))) {
            assertThat(book.getSheetAt(0).getRow(1).getCell(4).getStringCellValue()).isEqualTo("BUSY");
        }

        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(url.replace("missed", "nonsense")))
                .header("Authorization", "Bearer " + TollgateInstance.API_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("no report 'nonsense'");
    }

    private static CSVRecord row(List<CSVRecord> rows, String first) {
        return rows.stream().filter(r -> r.get(0).equals(first)).findFirst().orElseThrow();
    }

    private static Row findRow(XSSFSheet sheet, String text) {
        for (Row r : sheet) {
            for (Cell c : r) {
                if (c.getCellType() == CellType.STRING && c.getStringCellValue().equals(text)) {
                    return r;
                }
            }
        }
        throw new AssertionError("no row with " + text);
    }

    private static List<CSVRecord> csv(Path f, char delimiter) throws Exception {
        try (Reader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            in.mark(1);
            if (in.read() != '\uFEFF') {
                in.reset();
            }
            return new ArrayList<>(CSVFormat.RFC4180.builder().setDelimiter(delimiter).get().parse(in).getRecords());
        }
    }

    private void cli(String... args) {
        assertThat(tollgate.cli(args)).as(String.join(" ", args)).isZero();
    }

    private void answered(String callId, String user, String callee, String start, String stop) {
        event(callId, user, callee, "START", 1, start, 200, "{}");
        event(callId, user, callee, "STOP", 2, stop, 200, "{}");
    }

    private void event(String callId, String user, String callee, String status, int code, String time, int sip,
                       String attributes) {
        String t = DAY + "T" + time + "Z";
        jdbc.update("""
                INSERT INTO acc_event (record_key, received_at, event_time, stored_at, nas_name, nas_address, status,
                       status_code, acct_session_id, user_name, calling_station_id, called_station_id, sip_method,
                       sip_response_code, sip_from_tag, sip_to_tag, attributes)
                VALUES (gen_random_uuid(), ?::timestamptz, ?::timestamptz, '2026-11-20T23:00:00Z', 'tollgate-proxy',
                        '127.0.0.1', ?, ?, ?, ?, ?, 'sip:' || ? || '@example.com', 'INVITE', ?, 'a', 'b', ?::jsonb)
                """, t, t, status, code, callId, user, "sip:" + user, callee, sip, attributes);
    }
}
