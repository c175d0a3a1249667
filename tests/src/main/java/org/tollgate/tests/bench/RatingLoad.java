package org.tollgate.tests.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.tollgate.api.rating.Allowance;
import org.tollgate.rating.LongestCall;
import org.tollgate.api.rating.Quote;
import org.tollgate.rating.Rater;
import org.tollgate.rating.number.NumberNormalizer;
import org.tollgate.rating.tariff.PrefixTrie;
import org.tollgate.rating.tariff.Rate;
import org.tollgate.rating.tariff.RatePlan;
import org.tollgate.rating.tariff.Rounding;
import org.tollgate.rating.tariff.TimeBand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * In-memory rating throughput on one thread: a plan of N prefixes in two bands (peak and
 * off-peak, in Europe/Berlin), usages to numbers under those prefixes spread over a week with
 * durations of 0–600 s, priced over and over after a warm-up. Deterministic. With
 * {@code --longest}, the prepaid question instead: the longest call (up to {@code --ceiling}
 * seconds, the grant asked for) that 0–3.00 buys for each of those numbers and starts.
 */
@Command(name = "rating-load", mixinStandardHelpOptions = true)
public class RatingLoad implements Callable<Integer> {

    @Option(names = "--prefixes", defaultValue = "100000", description = "Prefixes in the plan (two bands each).")
    int prefixes;

    @Option(names = "--usages", defaultValue = "1000000", description = "Distinct usages priced per pass.")
    int usages;

    @Option(names = "--seconds", defaultValue = "20", description = "Measured time.")
    int seconds;

    @Option(names = "--warmup", defaultValue = "10", description = "Warm-up time (JIT).")
    int warmup;

    @Option(names = "--longest", description = "Measure the longest call an amount buys instead of pricing.")
    boolean longest;

    @Option(names = "--ceiling", defaultValue = "300",
            description = "With --longest: the grant asked for (a call that fits at the ceiling needs no search).")
    long ceiling;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RatingLoad()).execute(args));
    }

    @Override
    public Integer call() {
        List<TimeBand> bands = List.of(new TimeBand("peak", EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                LocalTime.of(8, 0), LocalTime.of(18, 0), false), new TimeBand("offpeak", null, null, null, false));
        List<Rate> rates = new ArrayList<>(prefixes * 2);
        String[] prefix = new String[prefixes];
        for (int i = 0; i < prefixes; i++) {
            // distinct 6-digit prefixes (country code 1 and a 5-digit area)
            prefix[i] = Integer.toString(100_000 + i % 100_000) + (i < 100_000 ? "" : Integer.toString(i / 100_000));
            BigDecimal peak = BigDecimal.valueOf(1 + i % 500, 3);
            rates.add(new Rate(prefix[i], "dest " + i, "peak", BigDecimal.ZERO, peak, 30, 6, 0, 0, null, null));
            rates.add(new Rate(prefix[i], "dest " + i, "offpeak", BigDecimal.ZERO, peak.divide(BigDecimal.valueOf(2)),
                    30, 6, 0, 0, null, null));
        }
        long t0 = System.nanoTime();
        PrefixTrie trie = new PrefixTrie(rates);
        long built = System.nanoTime() - t0;
        RatePlan plan = new RatePlan("bench", Currency.getInstance("EUR"), new Rounding(4, RoundingMode.HALF_UP, false),
                bands, Set.of(LocalDate.of(2026, 12, 25)), false, trie);
        System.out.printf("plan: %,d prefixes, %,d rates, trie built in %d ms%n", trie.prefixes(), rates.size(),
                built / 1_000_000);

        String[] numbers = new String[usages];
        Instant[] starts = new Instant[usages];
        long[] durations = new long[usages];
        Instant monday = Instant.parse("2026-11-16T00:00:00Z");
        for (int i = 0; i < usages; i++) {
            long h = (i * 0x9E3779B97F4A7C15L) >>> 1;
            numbers[i] = "sip:+" + prefix[(int) (h % prefixes)] + (1_000_000 + h % 9_000_000) + "@example.com";
            starts[i] = monday.plusSeconds(h % (7 * 86_400));
            durations[i] = (h >>> 20) % 601;
        }
        Rater rater = new Rater(NumberNormalizer.international());
        ZoneId zone = ZoneId.of("Europe/Berlin");
        if (longest) {
            BigDecimal[] amounts = new BigDecimal[usages];
            for (int i = 0; i < usages; i++) {
                amounts[i] = BigDecimal.valueOf(durations[i] * 3_000 / 600, 3); // 0.000–3.000
            }
            LongestCall calls = new LongestCall(rater);
            long sink = runLongest(calls, plan, numbers, starts, amounts, zone, ceiling, warmup, "warm-up");
            sink += runLongest(calls, plan, numbers, starts, amounts, zone, ceiling, seconds, "measured");
            return sink == 42 ? 1 : 0;
        }
        long sink = run(rater, plan, numbers, starts, durations, zone, warmup, "warm-up");
        sink += run(rater, plan, numbers, starts, durations, zone, seconds, "measured");
        return sink == 42 ? 1 : 0; // keep the results alive
    }

    private static long runLongest(LongestCall calls, RatePlan plan, String[] numbers, Instant[] starts,
                                   BigDecimal[] amounts, ZoneId zone, long ceiling, int secs, String label) {
        long end = System.nanoTime() + secs * 1_000_000_000L;
        long answered = 0;
        long capped = 0;
        long sink = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() < end) {
            for (int i = 0; i < numbers.length; i++) {
                Allowance a = calls.within(plan, numbers[i], starts[i], amounts[i], ceiling, zone);
                sink += a.seconds();
                capped += a.capped() ? 1 : 0;
            }
            answered += numbers.length;
        }
        double took = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %,d answered in %.1f s on one thread = %,.0f answers/s (%,d capped at %d s)%n", label,
                answered, took, answered / took, capped, ceiling);
        return sink;
    }

    private static long run(Rater rater, RatePlan plan, String[] numbers, Instant[] starts, long[] durations, ZoneId zone,
                            int secs, String label) {
        long end = System.nanoTime() + secs * 1_000_000_000L;
        long priced = 0;
        long unrated = 0;
        long sink = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() < end) {
            for (int i = 0; i < numbers.length; i++) {
                Quote q = rater.price(plan, numbers[i], starts[i], durations[i], zone);
                if (q.rated()) {
                    sink += q.cost().unscaledValue().longValue();
                } else {
                    unrated++;
                }
            }
            priced += numbers.length;
        }
        double took = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %,d priced in %.1f s on one thread = %,.0f CDRs/s (%,d unrated)%n", label, priced, took,
                priced / took, unrated);
        return sink;
    }
}
