package org.tollgate.app.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import org.springframework.context.ConfigurableApplicationContext;
import org.tollgate.app.TollgateMain;
import org.tollgate.proxy.dialog.JdbcDialogQueries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate dialogs}: the calls the proxy is tracking now. */
@Command(name = "dialogs", description = "Confirmed calls the SIP proxy tracks (written by the proxy about once a second).")
public class DialogsCommand implements Callable<Integer> {

    @ParentCommand
    TollgateMain main;

    @Option(names = "--call-id", paramLabel = "ID", description = "Only this Call-ID.")
    String callId;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many rows. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1) {
            System.err.println("--limit must be at least 1");
            return 2;
        }
        try (ConfigurableApplicationContext ctx = main.dataContext()) {
            var rows = new JdbcDialogQueries(ctx.getBean(DataSource.class)).list(callId, limit);
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
}
