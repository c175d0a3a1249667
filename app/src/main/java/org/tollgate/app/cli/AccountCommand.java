package org.tollgate.app.cli;

import java.util.concurrent.Callable;

import org.tollgate.app.TollgateMain;
import org.tollgate.rating.plan.AccountRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tollgate account add|list|balance|topup|adjust|ledger|check}: who pays (a CDR's billing
 * party), on which plan, in which zone; for a prepaid account, its money ({@link PrepaidAccountCommands}).
 */
@Command(name = "account", mixinStandardHelpOptions = true,
        description = "Accounts (postpaid or prepaid), their plans, and prepaid balances.",
        subcommands = {AccountCommand.Add.class, AccountCommand.ListAccounts.class, PrepaidAccountCommands.Balance.class,
                PrepaidAccountCommands.Topup.class, PrepaidAccountCommands.Adjust.class, PrepaidAccountCommands.Ledger.class,
                PrepaidAccountCommands.Check.class})
public class AccountCommand {

    @ParentCommand
    TollgateMain main;

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add an account on a plan: postpaid, "
            + "or with --prepaid a prepaid one (balance 0; top it up with account topup or a voucher).")
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

        @Option(names = "--prepaid", description = "A prepaid account: calls are authorized against its balance.")
        boolean prepaid;

        @Option(names = "--currency", paramLabel = "C", description = "Prepaid: its currency, which must be its plan's.")
        String currency;

        @Option(names = "--credit-limit", paramLabel = "X", description = "Prepaid: the overdraft allowed. Default: 0.")
        String creditLimit;

        @Option(names = "--low-balance", paramLabel = "Y",
                description = "Prepaid: below this balance it is shown as low and counted. Default: 0.")
        String lowBalance;

        @Override
        public Integer call() {
            if (prepaid || currency != null || creditLimit != null || lowBalance != null) {
                return PrepaidAccountCommands.add(parent.main, this);
            }
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

        @picocli.CommandLine.Mixin
        Listing listing;

        @Override
        public Integer call() {
            return RatingArgs.run(parent.main, plans -> {
                if (listing.print(plans.accounts())) {
                    return;
                }
                System.out.printf("%-24s %-20s %-20s %s%n", "NAME", "PLAN", "ZONE", "KIND");
                for (AccountRef a : plans.accounts()) {
                    System.out.printf("%-24s %-20s %-20s %s%n", a.name(), a.plan(), a.zone(), a.kind().toLowerCase());
                }
            });
        }
    }
}
