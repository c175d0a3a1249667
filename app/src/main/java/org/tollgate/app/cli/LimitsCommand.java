package org.tollgate.app.cli;

import java.util.concurrent.Callable;

import javax.sql.DataSource;

import org.tollgate.app.TollgateMain;
import org.tollgate.proxy.limits.JdbcCallLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate limits}: concurrent-call limits per account, applied by the running proxies at once. */
@Command(name = "limits", description = "Concurrent-call limits per account (user@realm): calls being set up or answered.",
        subcommands = {LimitsCommand.ListLimits.class, LimitsCommand.Set.class, LimitsCommand.Remove.class})
public class LimitsCommand implements Runnable {

    @ParentCommand
    TollgateMain main;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "list", description = "The limits.")
    static class ListLimits implements Callable<Integer> {

        @ParentCommand
        LimitsCommand parent;

        @picocli.CommandLine.Mixin
        Listing listing;

        @Override
        public Integer call() {
            try (Beans ctx = parent.main.dataContext()) {
                var rows = new JdbcCallLimits(ctx.getBean(DataSource.class)).list();
                if (listing.print(rows)) {
                    return 0;
                }
                System.out.printf("%-40s %s%n", "ACCOUNT", "MAX-CALLS");
                rows.forEach(l -> System.out.printf("%-40s %d%n", l.name(), l.maxCalls()));
                System.out.println(rows.size() + " limit(s)");
            }
            return 0;
        }
    }

    @Command(name = "set", description = "At most N calls at once for the account; a call over it gets 486 and a Failed record.")
    static class Set implements Callable<Integer> {

        @ParentCommand
        LimitsCommand parent;

        @Parameters(paramLabel = "ACCOUNT", description = "The account (the caller's user@realm).")
        String name;

        @Option(names = "--max-calls", required = true, paramLabel = "N", description = "0 or more (0: no calls at all).")
        int maxCalls;

        @Override
        public Integer call() {
            if (maxCalls < 0) {
                System.err.println("--max-calls must be 0 or more: " + maxCalls);
                return 2;
            }
            if (name.isBlank()) {
                System.err.println("ACCOUNT must not be empty");
                return 2;
            }
            try (Beans ctx = parent.main.dataContext()) {
                new JdbcCallLimits(ctx.getBean(DataSource.class)).set(name, maxCalls);
            }
            System.out.println(name + ": at most " + maxCalls + " call(s) at once");
            return 0;
        }
    }

    @Command(name = "remove", description = "No limit for the account any more.")
    static class Remove implements Callable<Integer> {

        @ParentCommand
        LimitsCommand parent;

        @Parameters(paramLabel = "ACCOUNT")
        String name;

        @Override
        public Integer call() {
            try (Beans ctx = parent.main.dataContext()) {
                if (!new JdbcCallLimits(ctx.getBean(DataSource.class)).remove(name)) {
                    System.err.println("no limit for " + name);
                    return 1;
                }
            }
            System.out.println(name + ": no limit");
            return 0;
        }
    }
}
