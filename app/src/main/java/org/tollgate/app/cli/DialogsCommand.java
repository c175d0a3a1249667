package org.tollgate.app.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import org.tollgate.app.TollgateMain;
import org.tollgate.proxy.dialog.JdbcDialogEnds;
import org.tollgate.proxy.dialog.JdbcDialogQueries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate dialogs}: the calls the proxy is tracking now; {@code dialogs end} ends one. */
@Command(name = "dialogs", description = "Confirmed calls the SIP proxy tracks (written by the proxy about once a second).",
        subcommands = DialogsCommand.End.class)
public class DialogsCommand implements Callable<Integer> {

    @ParentCommand
    TollgateMain main;

    @Option(names = "--call-id", paramLabel = "ID", description = "Only this Call-ID.")
    String callId;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many rows. Default: ${DEFAULT-VALUE}.")
    int limit;

    @picocli.CommandLine.Mixin
    Listing listing;

    @Override
    public Integer call() {
        if (limit < 1) {
            System.err.println("--limit must be at least 1");
            return 2;
        }
        try (Beans ctx = main.dataContext()) {
            var rows = new JdbcDialogQueries(ctx.getBean(DataSource.class)).list(callId, limit);
            if (listing.print(rows)) {
                return 0;
            }
            Instant now = Instant.now();
            System.out.printf("%-36s %-28s %-28s %-22s %8s %8s %10s  %s%n", "CALL-ID", "CALLER", "CALLEE", "USER",
                    "AGE-S", "SE-S", "EXPIRES-S", "PROXY");
            for (var r : rows) {
                System.out.printf("%-36s %-28s %-28s %-22s %8d %8d %10d  %s%n", r.callId(), r.caller(), r.callee(),
                        r.userName() == null ? "" : r.userName(), Duration.between(r.answeredAt(), now).toSeconds(),
                        r.sessionInterval(), Duration.between(now, r.expiresAt()).toSeconds(), r.proxy());
            }
            System.out.println(rows.size() + " dialog(s)");
        }
        return 0;
    }

    /** {@code tollgate dialogs end CALL-ID}: the running proxy holding the call ends it. */
    @Command(name = "end", description = "End a live call: the running proxy that holds it sends BYE to both sides "
            + "and accounts the Stop with Acct-Terminate-Cause Admin-Reset.")
    static class End implements Callable<Integer> {

        @ParentCommand
        DialogsCommand parent;

        @Parameters(paramLabel = "CALL-ID", description = "The call's Call-ID (as `tollgate dialogs` lists it).")
        String callId;

        @Option(names = "--wait", defaultValue = "2", paramLabel = "SECONDS",
                description = "How long to wait for a proxy to answer (1-60). Default: ${DEFAULT-VALUE}.")
        int waitSeconds;

        @Override
        public Integer call() throws InterruptedException {
            if (callId.isBlank()) {
                System.err.println("CALL-ID must not be empty");
                return 2;
            }
            if (waitSeconds < 1 || waitSeconds > 60) {
                System.err.println("--wait must be 1 to 60 seconds");
                return 2;
            }
            try (Beans ctx = parent.main.dataContext()) {
                var outcome = new JdbcDialogEnds(ctx.getBean(DataSource.class))
                        .end(callId, "cli", Duration.ofSeconds(waitSeconds));
                if (outcome.ended()) {
                    System.out.println("ended " + callId + " on " + outcome.proxy()
                            + ": BYE sent to both sides, Stop accounted with Admin-Reset");
                    return 0;
                }
                System.err.println("no running proxy holds a call with Call-ID " + callId);
                return 1;
            }
        }
    }
}
