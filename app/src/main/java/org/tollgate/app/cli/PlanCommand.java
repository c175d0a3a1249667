package org.tollgate.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.tollgate.app.TollgateMain;
import org.tollgate.rating.plan.PlanSettings;
import org.tollgate.rating.plan.PlanSummary;
import org.tollgate.rating.tariff.Rounding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate plan add|list}: rate plans, their currency, rounding, time bands and holidays. */
@Command(name = "plan", mixinStandardHelpOptions = true, description = "Rate plans.",
        subcommands = {PlanCommand.Add.class, PlanCommand.ListPlans.class})
public class PlanCommand {

    @ParentCommand
    TollgateMain main;

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a rate plan without rates (then: rates import FILE --plan NAME).")
    static class Add implements Callable<Integer> {
        @ParentCommand
        PlanCommand parent;

        @Option(names = "--name", required = true, description = "Plan name, unique.")
        String name;

        @Option(names = "--currency", required = true, description = "ISO 4217 code, e.g. EUR.")
        String currency;

        @Option(names = "--decimals", defaultValue = "4", description = "Decimals of a call's cost (0-6). Default: ${DEFAULT-VALUE}.")
        int decimals;

        @Option(names = "--rounding", defaultValue = "half-up", description = "half-up, up or down. Default: ${DEFAULT-VALUE}.")
        String rounding;

        @Option(names = "--per-increment", description = "Round each billed increment, not the call's total.")
        boolean perIncrement;

        @Option(names = "--charge-failed", description = "Charge calls that did not connect (connect fee).")
        boolean chargeFailed;

        @Option(names = "--band", paramLabel = "NAME=[DAYS] [HH:MM-HH:MM]",
                description = "A time band, e.g. 'peak=MON-FRI 08:00-18:00', 'weekend=SAT,SUN'. Repeatable; "
                        + "the first that matches a moment is in force, after the holiday band.")
        List<String> bands = new ArrayList<>();

        @Option(names = "--holiday-band", paramLabel = "NAME", description = "The band in force on --holiday days.")
        String holidayBand;

        @Option(names = "--holiday", paramLabel = "YYYY-MM-DD", description = "A holiday. Repeatable.")
        List<String> holidays = new ArrayList<>();

        @Override
        public Integer call() {
            return RatingArgs.run(parent.main, this::settings, (s, plans) -> {
                plans.createPlan(s);
                System.out.println("added plan " + s.name() + " (" + s.currency().getCurrencyCode() + ", "
                        + s.bands().size() + " band(s), " + s.holidays().size() + " holiday(s))");
                return 0;
            });
        }

        private PlanSettings settings() {
            return RatingArgs.plan(name, currency, new Rounding(decimals, RatingArgs.rounding(rounding), perIncrement),
                    chargeFailed, holidayBand, bands, holidays, "--holiday");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List rate plans.")
    static class ListPlans implements Callable<Integer> {
        @ParentCommand
        PlanCommand parent;

        @picocli.CommandLine.Mixin
        Listing listing;

        @Override
        public Integer call() {
            return RatingArgs.run(parent.main, plans -> {
                if (listing.print(plans.plans())) {
                    return;
                }
                System.out.printf("%-20s %-8s %-8s %-9s %-13s %-13s %-8s %-8s %s%n", "NAME", "CURRENCY", "DECIMALS",
                        "ROUNDING", "PER-INCREMENT", "CHARGE-FAILED", "RATES", "HOLIDAYS", "BANDS");
                for (PlanSummary p : plans.plans()) {
                    System.out.printf("%-20s %-8s %-8d %-9s %-13s %-13s %-8d %-8d %s%n", p.name(), p.currency(),
                            p.decimals(), p.rounding().name().toLowerCase().replace('_', '-'),
                            p.perIncrement() ? "yes" : "no", p.chargeFailed() ? "yes" : "no", p.rates(), p.holidays(),
                            String.join(",", p.bands()));
                }
            });
        }
    }
}
