package org.tollgate.tests.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.app.db.EmbeddedDatabase;

/**
 * {@code tollgate demo} as a user runs it, in a JVM of its own: it must exit 0 having printed
 * the CDR table and the statements, and leave (with --keep-data) the CDRs and prices it made.
 */
class DemoIT {

    @Test
    void theDemoPlacesTheCallsAndBillsThem() throws Exception {
        Path dir = Files.createTempDirectory("tollgate-demo-it");
        Path data = dir.resolve("data");
        Path log = dir.resolve("demo.out");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.tollgate.app.TollgateMain",
                "demo", "--keep-data", data.toString(), "--out", dir.resolve("reports").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = demo.waitFor(150, TimeUnit.SECONDS);
        if (!exited) {
            demo.destroyForcibly().waitFor();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exited).as(out).isTrue();
        assertThat(demo.exitValue()).as(out).isZero();

        assertThat(out).contains("END-TIME", "DISPOSITION", "BILLING-PARTY", "11 CDR(s)")
                .contains("media relay: rtpengine", "Idle-Timeout")
                .contains("every call has the CDR it should and a price")
                .contains("Statement of 1001@demo.example.org", "Statement of 1002@demo.example.org",
                        "Statement of 1003@demo.example.org")
                .containsPattern("TOTAL +2 call\\(s\\) +0\\.0375 EUR")
                .contains("402 Payment Required", "redeems voucher", "every debit is its CDR's price")
                .contains("stopped; data kept in");
        // only the lines around it: CI shows the head of a long message, the whole output would hide them
        assertThat(around(out, "Exception")).as("what the demo printed about an exception").isEmpty();
        assertThat(out).contains("Reports written to");
        try (var files = Files.list(dir.resolve("reports"))) {
            List<String> names = files.map(f -> f.getFileName().toString()).toList();
            // 3 statements and 5 other reports, each as CSV and XLSX
            assertThat(names).hasSize(16).anyMatch(n -> n.startsWith("statement-1001@demo.example.org-")
                    && n.endsWith(".xlsx")).anyMatch(n -> n.startsWith("destinations-") && n.endsWith(".csv"));
        }

        Path pg = data.resolve("pg");
        try {
            JdbcTemplate jdbc = new JdbcTemplate(EmbeddedDatabase.dataSource(pg, 0));
            List<String> dispositions = jdbc.queryForList("SELECT disposition FROM cdr ORDER BY disposition", String.class);
            assertThat(dispositions).containsExactly("ANSWERED", "ANSWERED", "ANSWERED", "ANSWERED", "ANSWERED",
                    "ANSWERED", "ANSWERED", "BUSY", "CANCELLED", "FAILED", "NO_ANSWER");
            Map<String, Object> expired = jdbc.queryForMap("SELECT disposition, terminate_cause, repair, callee FROM cdr "
                    + "WHERE terminate_cause = 5 AND billing_party <> '1004@demo.example.org'");
            assertThat(expired).containsEntry("disposition", "ANSWERED").containsEntry("terminate_cause", 5)
                    .containsEntry("callee", "sip:00493055501999@demo.example.org");
            assertThat(expired.get("repair")).isNull(); // the proxy's Stop ended it: nothing to repair
            assertThat(jdbc.queryForObject("SELECT count(*) FROM cdr_price WHERE rating_status = 'RATED'", Long.class))
                    .isEqualTo(11L);
            // the call whose RTP stopped after 3 s: ended by the relay's timeout, billed to its last packet
            Map<String, Object> idle = jdbc.queryForMap("SELECT terminate_cause, billable_seconds, repair FROM cdr "
                    + "WHERE callee = 'sip:00493055501777@demo.example.org'");
            assertThat(idle).containsEntry("terminate_cause", 4);
            assertThat(((Number) idle.get("billable_seconds")).longValue()).isBetween(2L, 4L);
            assertThat(idle.get("repair")).isNull();
            // the prepaid caller: cut when the money ran out (4 s at 0.0015 EUR/s), then 3 s after the voucher
            Map<String, Object> cut = jdbc.queryForMap("SELECT c.terminate_cause, c.billable_seconds, p.cost FROM cdr c "
                    + "JOIN cdr_price p USING (cdr_key) WHERE c.callee = 'sip:0033140205061@demo.example.org'");
            assertThat(cut).containsEntry("terminate_cause", 5);
            assertThat(((Number) cut.get("billable_seconds")).longValue()).isBetween(3L, 5L);
            assertThat(jdbc.queryForObject("SELECT p.balance FROM prepaid_account p JOIN account a ON a.id = p.account_id "
                    + "WHERE a.name = '1004@demo.example.org'", java.math.BigDecimal.class)).isNotNegative();
            assertThat(jdbc.queryForObject("""
                    SELECT sum(p.cost) FROM cdr c JOIN cdr_price p USING (cdr_key)
                     WHERE c.billing_party = '1001@demo.example.org'""", java.math.BigDecimal.class))
                    .isEqualByComparingTo("0.0375");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM cdr_review", Long.class)).isZero();
        } finally {
            EmbeddedDatabase.stop(pg);
        }
    }

    /** Each line containing {@code word}, with the 3 lines before and 12 after it. */
    private static String around(String out, String word) {
        List<String> lines = out.lines().toList();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(word)) {
                lines.subList(Math.max(0, i - 3), Math.min(lines.size(), i + 13)).forEach(l -> b.append(l).append('\n'));
                b.append("...\n");
            }
        }
        return b.toString();
    }
}
