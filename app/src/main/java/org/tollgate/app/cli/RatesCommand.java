package org.tollgate.app.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.Callable;

import org.tollgate.app.TollgateMain;
import org.tollgate.api.rating.Quote;
import org.tollgate.rating.Rater;
import org.tollgate.rating.number.NumberNormalizer;
import org.tollgate.rating.plan.RateCsv;
import org.tollgate.rating.plan.RateCsvException;
import org.tollgate.rating.tariff.RatePlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate rates import|export|quote}: a plan's rates as CSV, and the price of one call. */
@Command(name = "rates", mixinStandardHelpOptions = true, description = "A rate plan's rates.",
        subcommands = {RatesCommand.Import.class, RatesCommand.Export.class, RatesCommand.QuoteCall.class})
public class RatesCommand {

    @ParentCommand
    TollgateMain main;

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Replace a plan's rates with those of a CSV file (header: " + RateCsv.HEADER_LINE
                    + "). A file with any bad row imports nothing and lists every problem.")
    static class Import implements Callable<Integer> {
        @ParentCommand
        RatesCommand parent;

        @Parameters(paramLabel = "FILE", description = "CSV file, UTF-8.")
        Path file;

        @Option(names = "--plan", required = true, description = "The plan whose rates are replaced.")
        String plan;

        @Override
        public Integer call() {
            return RatingArgs.run(parent.main, () -> {
                if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                    throw new IllegalArgumentException("cannot read " + file);
                }
                return file;
            }, (f, plans) -> {
                int n;
                try (Reader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    n = plans.importRates(plan, f.toString(), in);
                } catch (RateCsvException e) {
                    System.err.println(e.getMessage());
                    return 1;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                System.out.println("imported " + n + " rate(s) into plan " + plan + " from " + f
                        + " (its previous rates are replaced)");
                return 0;
            });
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a plan's rates as CSV to standard output, in the format rates import reads.")
    static class Export implements Callable<Integer> {
        @ParentCommand
        RatesCommand parent;

        @Option(names = "--plan", required = true, description = "The plan.")
        String plan;

        @Override
        public Integer call() {
            return RatingArgs.run(parent.main, plans -> {
                // not closed: that would close stdout
                Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
                plans.exportRates(plan, out);
                try {
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Command(name = "quote", mixinStandardHelpOptions = true,
            description = "Price one call under a plan and show how the price was computed.")
    static class QuoteCall implements Callable<Integer> {
        @ParentCommand
        RatesCommand parent;

        @Option(names = "--plan", required = true, description = "The plan.")
        String plan;

        @Option(names = "--number", required = true, paramLabel = "N",
                description = "Number called: +E.164, 00…, sip:/tel: URI, or national with --country-code.")
        String number;

        @Option(names = "--start", required = true, paramLabel = "T",
                description = "Start of the call: an instant (2026-11-21T10:00:00Z), a date or an age like 2h.")
        String start;

        @Option(names = "--duration", required = true, paramLabel = "S", description = "Duration in seconds.")
        long duration;

        @Option(names = "--zone", defaultValue = "UTC",
                description = "The account's time zone, in which bands are read. Default: ${DEFAULT-VALUE}.")
        String zone;

        @Option(names = "--country-code", defaultValue = "", paramLabel = "CC",
                description = "Country code for nationally dialled numbers (0…), e.g. 49. Default: none.")
        String countryCode;

        @Override
        public Integer call() {
            record Args(Instant start, ZoneId zone, Rater rater) { }
            return RatingArgs.run(parent.main, () -> {
                if (duration < 0) {
                    throw new IllegalArgumentException("--duration: " + duration + " is negative");
                }
                return new Args(CliSupport.parseTime(start), RatingArgs.zone(zone),
                        new Rater(new NumberNormalizer("00", "0", countryCode)));
            }, (a, plans) -> {
                RatePlan p = plans.load(plan).orElse(null);
                if (p == null) {
                    System.err.println("no rate plan named " + plan);
                    return 1;
                }
                Quote q = a.rater().price(p, number, a.start(), duration, a.zone());
                System.out.println(q.explain());
                return q.rated() ? 0 : 1;
            });
        }
    }
}
