package org.tollgate.app.cli;

import java.time.Instant;
import java.util.concurrent.Callable;

import org.tollgate.aaa.radius.acct.JdbcAccountingQueries;
import org.tollgate.app.TollgateMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate acct list}: stored accounting records. */
@Command(name = "acct", description = "Accounting records.", subcommands = AcctCommand.ListRecords.class)
public class AcctCommand {

    @ParentCommand
    TollgateMain main;

    @Command(name = "list", description = "List accounting records, oldest first.")
    static class ListRecords implements Callable<Integer> {
        @ParentCommand
        AcctCommand parent;

        @Option(names = "--since", paramLabel = "T",
                description = "From this time: 2026-11-21T10:00:00Z, 2026-11-21 (local midnight) or an age like 15m, 2h, 1d.")
        String since;

        @Option(names = "--session", paramLabel = "ID", description = "Only this Acct-Session-Id (the SIP Call-ID).")
        String session;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many rows. Default: ${DEFAULT-VALUE}.")
        int limit;

        @Option(names = "--attributes", description = "Also print every attribute (JSON).")
        boolean attributes;

        @picocli.CommandLine.Mixin
        Listing listing;

        @Override
        public Integer call() {
            Instant from;
            try {
                from = since == null ? null : CliSupport.parseTime(since);
            } catch (IllegalArgumentException e) {
                System.err.println("--since: " + e.getMessage());
                return 2;
            }
            try (Beans ctx = parent.main.dataContext()) {
                var rows = ctx.getBean(JdbcAccountingQueries.class).list(from, session, limit);
                if (listing.print(rows)) {
                    return 0;
                }
                System.out.printf("%-24s %-12s %-15s %-36s %-24s %-8s %-4s %s%n", "EVENT-TIME", "NAS", "STATUS",
                        "SESSION-ID", "USER", "METHOD", "CODE", "CALLING -> CALLED");
                for (var r : rows) {
                    System.out.printf("%-24s %-12s %-15s %-36s %-24s %-8s %-4s %s -> %s%n", r.eventTime(), r.nasName(),
                            r.status(), nz(r.acctSessionId()), nz(r.userName()), nz(r.sipMethod()),
                            r.sipResponseCode() == null ? "" : r.sipResponseCode(), nz(r.callingStationId()),
                            nz(r.calledStationId()));
                    if (attributes) {
                        System.out.println("    " + r.attributesJson());
                    }
                }
                System.out.println(rows.size() + " record(s)");
            }
            return 0;
        }

        private static String nz(String s) {
            return s == null ? "" : s;
        }
    }
}
