package org.tollgate.app.cli;

import java.util.concurrent.Callable;

import org.tollgate.app.TollgateMain;
import org.tollgate.rating.plan.AccountRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate account add|list}: who pays (a CDR's billing party), on which plan, in which zone. */
@Command(name = "account", mixinStandardHelpOptions = true, description = "Accounts (postpaid) and their plans.",
        subcommands = {AccountCommand.Add.class, AccountCommand.ListAccounts.class})
public class AccountCommand {

    @ParentCommand
    TollgateMain main;

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a postpaid account on a plan.")
    static class Add implements Callable<Integer> {
        @ParentCommand
        AccountCommand parent;

        @Option(names = "--name", required = true, description = "Account name: the billing party of its CDRs.")
        String name;

        @Option(names = "--plan", required = true, description = "Its rate plan.")
        String plan;

        @Option(names = "--zone", defaultValue = "UTC",
                description = "Time zone its time bands are read in. Default: ${DEFAULT-VALUE}.")
        String zone;

        @Override
        public Integer call() {
            return RatingArgs.run(parent.main, () -> {
                if (name.isBlank()) {
                    throw new IllegalArgumentException("--name is empty");
                }
                return RatingArgs.zone(zone);
            }, (z, plans) -> {
                AccountRef a = plans.addAccount(name, plan, z);
                System.out.println("added account " + a.name() + " on plan " + a.plan() + " (" + a.zone() + ")");
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List accounts.")
    static class ListAccounts implements Callable<Integer> {
        @ParentCommand
        AccountCommand parent;

        @Override
        public Integer call() {
            return RatingArgs.run(parent.main, plans -> {
                System.out.printf("%-24s %-20s %-20s %s%n", "NAME", "PLAN", "ZONE", "KIND");
                for (AccountRef a : plans.accounts()) {
                    System.out.printf("%-24s %-20s %-20s %s%n", a.name(), a.plan(), a.zone(), a.kind().toLowerCase());
                }
            });
        }
    }
}
