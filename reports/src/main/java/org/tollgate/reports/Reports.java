package org.tollgate.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes a report as CSV or XLSX to a stream. Times are shown in the account's zone for one
 * account's report, otherwise in the configured zone. An unknown account is refused before
 * anything is written.
 */
public class Reports {

    private final DataSource dataSource;
    private final ZoneId zone;
    private final CallListings listings;
    private final TrafficReports traffic;
    private final PrepaidReports prepaid;

    public Reports(DataSource dataSource, ZoneId zone) {
        this.dataSource = dataSource;
        this.zone = zone;
        StreamingQuery query = new StreamingQuery(dataSource);
        this.listings = new CallListings(query);
        this.traffic = new TrafficReports(query);
        this.prepaid = new PrepaidReports(query);
    }

    /** An account as the reports need it. */
    private record Account(long id, ZoneId zone) { }

    /** Writes the report; returns how many data rows it has (subtotal and total rows not counted). */
    public long write(ReportRequest r, ReportFormat format, CsvOptions csv, OutputStream out) throws IOException {
        Account account = r.account() == null ? null : account(r.account());
        ZoneId shown = account == null ? zone : account.zone();
        TableSink file = format == ReportFormat.CSV ? new CsvTableWriter(out, csv) : new XlsxTableWriter(out);
        try (PipelinedSink pipeline = new PipelinedSink(file)) {
            CountingSink sink = new CountingSink(pipeline);
            switch (r.name()) {
                case STATEMENT: listings.statement(account.id(), r, shown, sink); break;
                case DESTINATIONS: traffic.destinations(r, sink); break;
                case REVENUE_BY_DAY: traffic.revenueByDay(r, sink); break;
                case MISSED: listings.missed(r, shown, sink); break;
                case REPAIRED: listings.repaired(r, shown, sink); break;
                case UNRATED: listings.unrated(r, shown, sink); break;
                case PREPAID_STATEMENT: prepaid.statement(account.id(), r, shown, sink); break;
                case RECONCILIATION: prepaid.reconciliation(r, shown, sink); break;
                default: listings.cdrs(r, shown, sink); break;
            }
            return sink.rows();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("report " + r.name().id() + " failed: " + e.getMessage(), e);
        }
    }

    private Account account(String name) {
        List<Account> found = new JdbcTemplate(dataSource).query("SELECT id, time_zone FROM account WHERE name = ?",
                (rs, i) -> new Account(rs.getLong(1), zoneOf(rs.getString(2))), name);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no account '" + name + "'");
        }
        return found.get(0);
    }

    private ZoneId zoneOf(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException | NullPointerException e) {
            return zone;
        }
    }
}
