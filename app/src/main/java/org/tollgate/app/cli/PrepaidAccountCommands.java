package org.tollgate.app.cli;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.tollgate.api.Money;
import org.tollgate.app.TollgateMain;
import org.tollgate.prepaid.account.PrepaidAccount;
import org.tollgate.prepaid.account.PrepaidAccounts;
import org.tollgate.prepaid.ledger.EntryKind;
import org.tollgate.prepaid.ledger.JdbcLedger;
import org.tollgate.prepaid.ledger.LedgerEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The prepaid side of {@code tollgate account}: add --prepaid, balance, topup, adjust, ledger,
 * check. They work on the tables under the same row locks as a running engine, so they are safe
 * while calls go on. A refusal is one line: exit 2 for bad arguments, 1 for what the database
 * refused (unknown account, another currency…).
 */
final class PrepaidAccountCommands {

    private PrepaidAccountCommands() {
    }

    static int add(TollgateMain main, AccountCommand.Add a) {
        record Args(ZoneId zone, BigDecimal credit, BigDecimal low) { }
        return run(main, () -> {
            if (!a.prepaid) {
                throw new IllegalArgumentException("--currency, --credit-limit and --low-balance are for --prepaid accounts");
            }
            if (a.currency == null) {
                throw new IllegalArgumentException("a prepaid account needs --currency (its plan's)");
            }
            return new Args(RatingArgs.zone(a.zone), amount("--credit-limit", a.creditLimit == null ? "0" : a.creditLimit),
                    amount("--low-balance", a.lowBalance == null ? "0" : a.lowBalance));
        }, (args, ctx) -> {
            PrepaidAccount p = ctx.getBean(PrepaidAccounts.class).create(a.name, a.plan, args.zone(), a.currency,
                    args.credit(), args.low());
            System.out.println("added prepaid account " + p.name() + " on plan " + p.plan() + " (" + args.zone() + "), "
                    + "balance 0 " + p.currency() + ", credit limit " + p.creditLimit().toPlainString() + " " + p.currency());
            return 0;
        });
    }

    @Command(name = "balance", mixinStandardHelpOptions = true, description = "A prepaid account's money now.")
    static class Balance implements Callable<Integer> {
        @ParentCommand
        AccountCommand parent;

        @Parameters(paramLabel = "NAME")
        String name;

        @picocli.CommandLine.Mixin
        Listing listing;

        @Override
        public Integer call() {
            return run(parent.main, () -> name, (n, ctx) -> {
                PrepaidAccount a = ctx.getBean(PrepaidAccounts.class).find(n)
                        .orElseThrow(() -> new IllegalArgumentException("no prepaid account named " + n));
                if (listing.print(List.of(org.tollgate.app.api.PrepaidController.Balance.of(a)))) {
                    return 0;
                }
                String c = " " + a.currency();
                System.out.printf("account       %s (prepaid, plan %s)%n", a.name(), a.plan());
                System.out.printf("balance       %s%s%s%n", a.balance().toPlainString(), c, a.low() ? "  LOW (below "
                        + a.lowBalance().toPlainString() + c + ")" : "");
                System.out.printf("credit limit  %s%s%n", a.creditLimit().toPlainString(), c);
                System.out.printf("reserved      %s%s (open calls)%n", a.reserved().toPlainString(), c);
                System.out.printf("available     %s%s%n", a.available().toPlainString(), c);
                return 0;
            });
        }
    }

    @Command(name = "topup", mixinStandardHelpOptions = true,
            description = "Credit money paid in; once per --reference (the same top-up sent twice is credited once).")
    static class Topup implements Callable<Integer> {
        @ParentCommand
        AccountCommand parent;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "AMOUNT", description = "In the account's currency, e.g. 10.00.")
        String amount;

        @Option(names = "--reference", required = true, paramLabel = "R",
                description = "The payment's reference (receipt, transfer id): what makes it idempotent.")
        String reference;

        @Option(names = "--note", paramLabel = "TEXT")
        String note;

        @Override
        public Integer call() {
            return post(parent.main, name, EntryKind.TOPUP, amount, reference, note);
        }
    }

    @Command(name = "adjust", mixinStandardHelpOptions = true,
            description = "Correct a balance either way (or with --refund give money back), once per --reference.")
    static class Adjust implements Callable<Integer> {
        @ParentCommand
        AccountCommand parent;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "AMOUNT", description = "Signed, e.g. -1.50 or 2.")
        String amount;

        @Option(names = "--reference", required = true, paramLabel = "R")
        String reference;

        @Option(names = "--refund", description = "A refund (positive) instead of an adjustment.")
        boolean refund;

        @Option(names = "--note", paramLabel = "TEXT", description = "Why, for the statement.")
        String note;

        @Override
        public Integer call() {
            return post(parent.main, name, refund ? EntryKind.REFUND : EntryKind.ADJUSTMENT, amount, reference, note);
        }
    }

    @Command(name = "ledger", mixinStandardHelpOptions = true, description = "A prepaid account's ledger, oldest first.")
    static class Ledger implements Callable<Integer> {
        @ParentCommand
        AccountCommand parent;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--since", paramLabel = "T", description = "An instant, a date or an age like 2h, 7d.")
        String since;

        @picocli.CommandLine.Mixin
        Listing listing;

        @Override
        public Integer call() {
            return run(parent.main, () -> since == null ? Instant.EPOCH : CliSupport.parseTime(since), (from, ctx) -> {
                List<LedgerEntry> entries = ctx.getBean(JdbcLedger.class).entries(name, from);
                if (listing.print(entries.stream().map(org.tollgate.app.api.PrepaidController.Entry::of).toList())) {
                    return 0;
                }
                System.out.printf("%-24s %-10s %14s %14s  %-24s %s%n", "TIME", "KIND", "AMOUNT", "BALANCE", "REFERENCE", "NOTE");
                for (LedgerEntry e : entries) {
                    System.out.printf("%-24s %-10s %14s %14s  %-24s %s%n", e.createdAt().toString(), e.kind(),
                            e.amount().toPlainString(), e.balanceAfter().toPlainString(), e.reference(),
                            e.note() == null ? "" : e.note());
                }
                System.out.println(entries.size() + " entries");
                return 0;
            });
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check every prepaid balance against its ledger and reservations, and that no reservation is stale. "
                    + "Exit 1 if anything is off.")
    static class Check implements Callable<Integer> {
        @ParentCommand
        AccountCommand parent;

        @Override
        public Integer call() {
            return run(parent.main, () -> Boolean.TRUE, (x, ctx) -> {
                PrepaidAccounts.Check check = ctx.getBean(PrepaidAccounts.class).check(Instant.now());
                check.problems().forEach(p -> System.out.println("PROBLEM  " + p));
                System.out.println(check.accounts() + " prepaid account(s), " + check.openReservations()
                        + " open reservation(s): " + (check.ok() ? "balances = ledgers, reservations = open calls, none stale"
                        : check.problems().size() + " problem(s)"));
                return check.ok() ? 0 : 1;
            });
        }
    }

    private static int post(TollgateMain main, String name, EntryKind kind, String amount, String reference, String note) {
        return run(main, () -> amount(kind.name().toLowerCase(), amount), (value, ctx) -> {
            PrepaidAccount a = ctx.getBean(PrepaidAccounts.class).find(name)
                    .orElseThrow(() -> new IllegalArgumentException("no prepaid account named " + name));
            JdbcLedger.Posted p = ctx.getBean(JdbcLedger.class).post(name, kind, new Money(value,
                    Currency.getInstance(a.currency())), reference, note);
            String what = kind.name().toLowerCase();
            if (p.already()) {
                System.out.println(what + " " + reference + " was already applied on " + p.entry().createdAt()
                        + "; balance unchanged");
            } else {
                System.out.println(what + " " + value.toPlainString() + " " + a.currency() + " on " + name
                        + " (reference " + reference + ")");
            }
            System.out.println("balance " + ctx.getBean(PrepaidAccounts.class).find(name).orElseThrow().balance()
                    .toPlainString() + " " + a.currency());
            return 0;
        });
    }

    static BigDecimal amount(String option, String s) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(option + ": '" + s + "' is not an amount like 10.00");
        }
    }

    /**
     * Reads the arguments (a refusal: exit 2) and only then opens the database; what the database
     * side refuses (IllegalArgumentException) is one line and exit 1.
     */
    static <A> int run(TollgateMain main, Supplier<A> parse, BiFunction<A, Beans, Integer> work) {
        A args;
        try {
            args = parse.get();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        try (Beans ctx = main.dataContext()) {
            try {
                return work.apply(args, ctx);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 1;
            }
        }
    }
}
