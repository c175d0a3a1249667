package org.tollgate.app.cli;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import org.tollgate.api.db.JdbcDeadline;
import org.tollgate.app.TollgateMain;
import org.tollgate.proxy.ban.Ban;
import org.tollgate.proxy.ban.JdbcBanStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate bans}: sources the SIP proxy banned and users it locked; list and lift them. */
@Command(name = "bans", description = "Sources banned and users locked by the SIP proxy (flood, failed authentication).",
        subcommands = {BansCommand.ListBans.class, BansCommand.Lift.class})
public class BansCommand implements Runnable {

    @ParentCommand
    TollgateMain main;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** A hung database makes the command fail after this, not hang. */
    static JdbcDeadline deadline() {
        return new JdbcDeadline(Duration.ofSeconds(10), "tollgate-bans");
    }

    @Command(name = "list", description = "Bans in force (written by the proxy about once a second).")
    static class ListBans implements Callable<Integer> {

        @ParentCommand
        BansCommand bans;

        @Option(names = "--all", description = "Also bans lifted or expired in the last day.")
        boolean all;

        @picocli.CommandLine.Mixin
        Listing listing;


        @Override
        public Integer call() throws SQLException {
            try (Beans ctx = bans.main.dataContext(); JdbcDeadline deadline = deadline()) {
                List<JdbcBanStore.Row> rows = new JdbcBanStore(ctx.getBean(DataSource.class), deadline).list(all);
                if (listing.print(rows)) {
                    return 0;
                }
                System.out.printf("%-6s %-40s %-15s %-14s %-20s %-20s %-22s %s%n", "KIND", "SUBJECT", "SOURCE", "REASON",
                        "BANNED", "UNTIL", "PROXY", "STATE");
                for (JdbcBanStore.Row r : rows) {
                    Ban b = r.ban();
                    String state = r.liftedAt() != null ? "lifted " + r.liftedAt() + " by " + r.liftedBy()
                            : b.until().isAfter(java.time.Instant.now()) ? "in force" : "expired";
                    System.out.printf("%-6s %-40s %-15s %-14s %-20s %-20s %-22s %s%n", b.kind().column(), b.subject(),
                            b.source(), b.reason(), b.bannedAt().toString().substring(0, 19),
                            b.until().toString().substring(0, 19), r.proxy(), state);
                }
                System.out.println(rows.size() + " ban(s)");
            }
            return 0;
        }
    }

    @Command(name = "lift", description = "Lift a ban: the running proxies serve the address (or the user) again within a second or two.")
    static class Lift implements Callable<Integer> {

        @ParentCommand
        BansCommand bans;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        static class Target {
            @Parameters(paramLabel = "ADDRESS", description = "A banned source address.")
            String address;

            @Option(names = "--user", paramLabel = "NAME", description = "A locked user: name@realm, or name in any realm.")
            String user;
        }

        @Override
        public Integer call() throws SQLException {
            boolean user = target.user != null;
            String subject = user ? target.user : target.address;
            try (Beans ctx = bans.main.dataContext(); JdbcDeadline deadline = deadline()) {
                String by = bans.main.actor() + " (tollgate bans lift)";
                int n = new JdbcBanStore(ctx.getBean(DataSource.class), deadline).lift(user ? Ban.Kind.USER : Ban.Kind.SOURCE,
                        subject, by);
                if (n == 0) {
                    System.err.println("no ban in force for " + (user ? "user " : "") + subject);
                    return 1;
                }
                System.out.println("lifted " + n + " ban(s) of " + (user ? "user " : "") + subject);
            }
            return 0;
        }
    }
}
