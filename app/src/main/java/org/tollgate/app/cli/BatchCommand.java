package org.tollgate.app.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;


import org.springframework.batch.core.StepExecution;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.tollgate.app.TollgateMain;
import org.tollgate.cdr.job.CdrRunner;
import org.tollgate.cdr.job.RunSummary;
import org.tollgate.rating.batch.JdbcCdrRatings;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate batch run}: the CDR job, now, in this process. */
@Command(name = "batch", description = "The billing batch.", subcommands = {BatchCommand.Run.class, BatchCommand.Rerate.class})
public class BatchCommand {

    @ParentCommand
    TollgateMain main;

    @Command(name = "run", description = {
            "Pair accounting into CDRs and repair calls whose BYE never came.",
            "Without options: accounting stored since the last completed run. A run that did not finish",
            "(killed, crashed) is resumed first from its last committed chunk."})
    static class Run implements Callable<Integer> {
        @ParentCommand
        BatchCommand parent;

        @ArgGroup(exclusive = true)
        Window window;

        static class Window {
            @Option(names = "--date", paramLabel = "YYYY-MM-DD",
                    description = "The calls with accounting on this day (in tollgate.cdr.zone); running a day again gives the same CDRs.")
            String date;

            @Option(names = "--since", paramLabel = "T",
                    description = "Accounting stored since T (an instant, a date or an age like 2h) instead of since the last run.")
            String since;
        }

        @Option(names = "--until", paramLabel = "T",
                description = "Decide repairs as of T and read accounting stored until T (now, an instant, a date or an "
                        + "age like 10m). Default: now minus tollgate.cdr.settle.")
        String until;

        @Override
        public Integer call() throws Exception {
            CdrRunner.Request request;
            try {
                LocalDate day = window == null || window.date == null ? null : CliSupport.parseDay("--date", window.date);
                Instant since = window == null || window.since == null ? null : CliSupport.parseTime(window.since);
                Instant asOf = until == null ? null : CliSupport.parseTime(until);
                request = new CdrRunner.Request(day, since, asOf);
            } catch (IllegalArgumentException e) {
                System.err.println("batch run: " + e.getMessage());
                return 2;
            }
            try (Beans ctx = parent.main.dataContext()) {
                long[] last = {0};
                List<RunSummary> runs = ctx.getBean(CdrRunner.class).run(request, step -> progress(step, last));
                System.err.println();
                boolean ok = true;
                if (runs.isEmpty()) {
                    System.out.println("nothing new: the last run read up to " + ctx.getBean(CdrRunner.class).checkpoint()
                            + ", past this run's cut-off (tollgate.cdr.settle before now); --until now takes all");
                }
                for (RunSummary s : runs) {
                    RunSummaryOutput.print(System.out, s);
                    // what the cut-off kept out, so "events read 0" right after a call is not a mystery
                    long left = ctx.getBean(CdrRunner.class).storedAfter(s.cutoff());
                    System.out.printf("  cut-off          %s: %,d record(s) stored after it left for the next run%s%n",
                            s.cutoff(), left, until == null ? " (tollgate.cdr.settle before now; --until now takes all)" : "");
                    ok &= s.completed();
                }
                return ok ? 0 : 1;
            }
        }

        /** One line, rewritten at most every half second. */
        private static void progress(StepExecution step, long[] last) {
            long now = System.nanoTime();
            if (now - last[0] < 500_000_000L) {
                return;
            }
            last[0] = now;
            var ctx = step.getExecutionContext();
            System.err.printf("\rpairing: %,d events, %,d calls, %,d CDRs, %,d to review, %,d waiting",
                    ctx.getLong("cdr.reader.events", 0L), ctx.getLong("calls", 0L), ctx.getLong("cdrs", 0L),
                    ctx.getLong("review", 0L), ctx.getLong("pending", 0L));
            System.err.flush();
        }
    }

    @Command(name = "rerate", description = {
            "Price the CDRs of a period again (after a tariff fix). Their previous prices are kept in",
            "cdr_rating_audit; daily totals are updated."})
    static class Rerate implements Callable<Integer> {
        @ParentCommand
        BatchCommand parent;

        @Option(names = {"--since", "--from"}, required = true, paramLabel = "DATE",
                description = "First call date (2026-11-21, or now, an instant, an age like 7d), included.")
        String from;

        @Option(names = {"--until", "--to"}, required = true, paramLabel = "DATE", description = "Last call date, included.")
        String to;

        @Option(names = "--reason", defaultValue = "rerate", description = "Why, kept with the old prices. Default: ${DEFAULT-VALUE}.")
        String reason;

        @Override
        public Integer call() throws Exception {
            LocalDate first;
            LocalDate last;
            try {
                first = CliSupport.parseDay("--since", from);
                last = CliSupport.parseDay("--until", to);
            } catch (IllegalArgumentException e) {
                System.err.println("batch rerate: " + e.getMessage());
                return 2;
            }
            if (last.isBefore(first)) {
                System.err.println("batch rerate: --until " + last + " is before --since " + first);
                return 2;
            }
            try (Beans ctx = parent.main.dataContext()) {
                JdbcCdrRatings.Rerated r = ctx.getBean(JdbcCdrRatings.class).rerate(first, last, reason,
                        new TransactionTemplate(ctx.getBean(PlatformTransactionManager.class)));
                System.out.printf("re-priced %,d CDRs of %s .. %s: %,d rated, %,d UNRATED (previous prices in cdr_rating_audit)%n",
                        r.marked(), first, last, r.rated(), r.unrated());
            }
            return 0;
        }
    }
}
