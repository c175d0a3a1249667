package org.tollgate.app.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.tollgate.app.TollgateMain;
import org.tollgate.cdr.pairing.ReviewItem;
import org.tollgate.cdr.query.CdrFilter;
import org.tollgate.cdr.query.JdbcCdrQueries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate cdr list|search|missed|review}: the call detail records the CDR engine wrote. */
@Command(name = "cdr", mixinStandardHelpOptions = true, description = "Call detail records.",
        subcommands = {CdrCommand.ListCdrs.class, CdrCommand.Search.class, CdrCommand.Missed.class,
                CdrCommand.Review.class})
public class CdrCommand {

    @ParentCommand
    TollgateMain main;

    /** What every listing takes: how many rows, and CSV or a table. */
    static class Output {
        @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
                description = "At most this many rows. Default: ${DEFAULT-VALUE}.")
        int limit;

        @Option(names = "--csv", description = "Write CSV (RFC 4180, header row, every column) instead of a table.")
        boolean csv;

        @Option(names = "--json", description = "Write JSON (an array of rows, as the admin API answers) instead of a table.")
        boolean json;

        CdrOutput printer() {
            if (csv && json) {
                throw new IllegalArgumentException("give --csv or --json, not both");
            }
            return new CdrOutput(System.out, System.err, csv, json);
        }
    }

    /** The window of {@code list} and {@code missed}: a date is a call date, a time or an age is on the end time. */
    static class Window {
        @Option(names = "--since", paramLabel = "T", description = "From this call date (2026-11-21, included) or "
                + "end time (2026-11-21T10:00:00Z, or an age like 15m, 2h, 1d).")
        String since;

        @Option(names = "--until", paramLabel = "T",
                description = "To this call date (included) or before this end time.")
        String until;

        CdrFilter filter(Output output) {
            CdrFilter.Builder filter = CdrFilter.builder().limit(CdrArgs.limit(output.limit));
            CdrArgs.window(filter, since, until);
            return filter.build();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The most recent CDRs, oldest of them first.")
    static class ListCdrs implements Callable<Integer> {
        @ParentCommand
        CdrCommand parent;

        @Mixin
        Window window;

        @Mixin
        Output output;

        @Override
        public Integer call() {
            return run(parent, () -> window.filter(output), (filter, queries) ->
                    output.printer().cdrs(queries.recent(filter), "older ones are not shown (--limit)"));
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true,
            description = "CDRs matching every given filter, by end time.")
    static class Search implements Callable<Integer> {
        @ParentCommand
        CdrCommand parent;

        @Option(names = {"--since", "--from"}, paramLabel = "DATE",
                description = "From this call date (2026-11-21, or now, an instant, an age like 2d), included.")
        String from;

        @Option(names = {"--until", "--to"}, paramLabel = "DATE", description = "To this call date, included.")
        String to;

        @Option(names = "--caller", paramLabel = "TEXT", description = "Caller contains this (case-insensitive).")
        String caller;

        @Option(names = "--callee", paramLabel = "TEXT", description = "Callee contains this (case-insensitive).")
        String callee;

        @Option(names = "--disposition", split = ",", paramLabel = "D", description = "Any of: answered, busy, "
                + "cancelled, no-answer, not-found, forbidden, failed. Repeatable or comma-separated.")
        List<String> dispositions;

        @Option(names = "--repaired", paramLabel = "HOW", description = "any, none (ended by a real Stop), "
                + "media-timeout, session-timer, nas-reboot or unterminated.")
        String repaired;

        @Option(names = "--billing-party", paramLabel = "PARTY", description = "Exactly this billing party.")
        String billingParty;

        @Option(names = "--call-id", paramLabel = "ID", description = "Exactly this Call-ID.")
        String callId;

        @Mixin
        Output output;

        @Override
        public Integer call() {
            return run(parent, this::filter, (filter, queries) -> output.printer().cdrs(queries.search(filter),
                    "narrow the search or raise --limit"));
        }

        private CdrFilter filter() {
            var fromDate = CdrArgs.date("--since", from);
            var toDate = CdrArgs.date("--until", to);
            CdrArgs.dateRange(fromDate, "--since", toDate, "--until");
            return CdrFilter.builder().fromDate(fromDate).toDate(toDate)
                    .caller(CdrArgs.text("--caller", caller)).callee(CdrArgs.text("--callee", callee))
                    .dispositions(CdrArgs.dispositions(dispositions)).repair(CdrArgs.repaired(repaired))
                    .billingParty(CdrArgs.text("--billing-party", billingParty))
                    .callId(CdrArgs.text("--call-id", callId)).limit(CdrArgs.limit(output.limit)).build();
        }
    }

    @Command(name = "missed", mixinStandardHelpOptions = true,
            description = "The most recent calls that did not connect, with their SIP code.")
    static class Missed implements Callable<Integer> {
        @ParentCommand
        CdrCommand parent;

        @Mixin
        Window window;

        @Mixin
        Output output;

        @Override
        public Integer call() {
            return run(parent, () -> window.filter(output), (filter, queries) ->
                    output.printer().missed(queries.missed(filter), "older ones are not shown (--limit)"));
        }
    }

    @Command(name = "review", mixinStandardHelpOptions = true,
            description = "Accounting records in no CDR, still open, oldest first.")
    static class Review implements Callable<Integer> {
        @ParentCommand
        CdrCommand parent;

        @Option(names = "--reason", paramLabel = "REASON", description = "Only this reason: stop-without-start, "
                + "interim-without-start, no-call-id, not-a-call, nas-state or unparseable.")
        String reason;

        @Mixin
        Output output;

        @Override
        public Integer call() {
            record Args(ReviewItem.Reason reason, int limit) { }
            return run(parent, () -> new Args(CdrArgs.reason(reason), CdrArgs.limit(output.limit)),
                    (args, queries) -> output.printer().review(queries.review(args.reason(), args.limit()),
                            "narrow it with --reason or raise --limit"));
        }
    }

    /** Reads the arguments (a refusal is an IllegalArgumentException: exit 2), and only then opens the database. */
    private static <A> int run(CdrCommand parent, Supplier<A> parse, BiConsumer<A, JdbcCdrQueries> list) {
        A args;
        try {
            args = parse.get();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        try (Beans ctx = parent.main.dataContext()) {
            list.accept(args, ctx.getBean(JdbcCdrQueries.class));
        }
        return 0;
    }
}
