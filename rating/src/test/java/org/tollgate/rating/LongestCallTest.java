package org.tollgate.rating;

import org.tollgate.api.rating.Allowance;
import org.tollgate.api.rating.Quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.rating.RaterTest.BERLIN;
import static org.tollgate.rating.RaterTest.MONDAY_NOON;
import static org.tollgate.rating.RaterTest.RATER;
import static org.tollgate.rating.RaterTest.UTC;
import static org.tollgate.rating.RaterTest.flat;
import static org.tollgate.rating.RaterTest.peakOffpeak;
import static org.tollgate.rating.RaterTest.plan;
import static org.tollgate.rating.RaterTest.rate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tollgate.rating.tariff.Rate;
import org.tollgate.rating.tariff.RatePlan;
import org.tollgate.rating.tariff.TimeBand;

class LongestCallTest {

    static final LongestCall LONGEST = new LongestCall(RATER);
    static final String NUMBER = "sip:+49301234567@example.com";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            1.00 at 0.60/min, 1/1                  | 0    | 0.60 |  1 |  1 |  0 |  0 | 1.00 | 100
            1.00 at 0.60/min, 60/60                | 0    | 0.60 | 60 | 60 |  0 |  0 | 1.00 |  60
            1.00 at 0.60/min, 30/6                 | 0    | 0.60 | 30 |  6 |  0 |  0 | 1.00 |  96
            connect fee 0.40 then 0.60/min, 1/1    | 0.40 | 0.60 |  1 |  1 |  0 |  0 | 1.00 |  60
            the connect fee alone does not fit     | 1.50 | 0.01 |  1 |  1 |  0 |  0 | 1.00 |   0
            the first increment does not fit       | 0    | 0.60 | 60 | 60 |  0 |  0 | 0.59 |   0
            minimum 120 s that does not fit        | 0    | 0.60 |  1 |  1 | 120 | 0 | 1.00 |   0
            minimum 60 s, then 1/1                 | 0    | 0.60 |  1 |  1 | 60 |  0 | 1.00 | 100
            30 free seconds first                  | 0    | 0.60 |  1 |  1 |  0 | 30 | 1.00 | 130
            free seconds cost the connect fee only | 0.05 | 6.00 | 60 | 60 |  0 | 20 | 0.50 |  20
            nothing at all                         | 0    | 0.60 |  1 |  1 |  0 |  0 | 0    |   0
            a negative balance                     | 0    | 0.60 |  1 |  1 |  0 |  0 | -1   |   0
            """)
    void workedExamples(String name, String connect, String perMinute, int first, int next, int min, int free,
                        String amount, long seconds) {
        Allowance a = LONGEST.within(flat(connect, perMinute, first, next, min, free), NUMBER, MONDAY_NOON,
                new BigDecimal(amount), 3600, UTC);
        assertThat(a.rated()).isTrue();
        assertThat(a.seconds()).isEqualTo(seconds);
        assertThat(a.capped()).isFalse();
        assertThat(a.cost()).isEqualByComparingTo(
                RATER.price(flat(connect, perMinute, first, next, min, free), NUMBER, MONDAY_NOON, seconds, UTC).cost());
    }

    @Test
    void theCeilingCapsAGrantTheMoneyWouldExtend() {
        Allowance a = LONGEST.within(flat("0", "0.60", 1, 1, 0, 0), NUMBER, MONDAY_NOON, new BigDecimal("10"), 300, UTC);
        assertThat(a.seconds()).isEqualTo(300);
        assertThat(a.capped()).isTrue();
        assertThat(a.cost()).isEqualByComparingTo("3.00");
        // exactly the money for the ceiling: the last grant
        Allowance exact = LONGEST.within(flat("0", "0.60", 1, 1, 0, 0), NUMBER, MONDAY_NOON, new BigDecimal("3"), 300, UTC);
        assertThat(exact.seconds()).isEqualTo(300);
        assertThat(exact.capped()).isFalse();
    }

    @Test
    void aFreeRateIsCappedByTheCeiling() {
        Allowance a = LONGEST.within(flat("0", "0", 60, 60, 0, 0), NUMBER, MONDAY_NOON, BigDecimal.ZERO, 86_400, UTC);
        assertThat(a.seconds()).isEqualTo(86_400);
        assertThat(a.capped()).isTrue();
        assertThat(a.cost()).isEqualByComparingTo("0");
    }

    @Test
    void anUnknownDestinationIsUnrated() {
        Allowance a = LONGEST.within(flat("0", "0.60", 1, 1, 0, 0), "+33123456", MONDAY_NOON, BigDecimal.TEN, 300, UTC);
        assertThat(a.rated()).isFalse();
        assertThat(a.reason()).contains("no rate").contains("33123456");
        assertThat(a.seconds()).isZero();
    }

    @Test
    void aCallIntoACheaperBandLastsLonger() {
        // 17:58 peak (0.12/min) → 18:00 off-peak (0.06/min): 2 min peak = 0.24, then 0.76 buys 760 s off-peak
        Allowance a = LONGEST.within(peakOffpeak(), "+4930", Instant.parse("2026-11-16T17:58:00Z"), BigDecimal.ONE,
                7200, UTC);
        assertThat(a.seconds()).isEqualTo(120 + 760);
        assertThat(a.cost()).isEqualByComparingTo("1.00");
    }

    @Test
    void aBandWithoutARateEndsTheCallAtItsEdge() {
        RatePlan plan = plan(4, RoundingMode.HALF_UP, false, RaterTest.PEAK_OFFPEAK, rate("49", "peak", "0", "0.12", 1, 1, 0, 0));
        Allowance a = LONGEST.within(plan, "+4930", Instant.parse("2026-11-16T17:58:00Z"), BigDecimal.TEN, 3600, UTC);
        assertThat(a.seconds()).isEqualTo(120);
    }

    /**
     * price(d) ≤ amount < price(d + 1) (the next second starts the next increment), unless the
     * ceiling cut it, for random plans, amounts and starts — around band edges and DST changes.
     */
    @Test
    void theLongestCallIsTheLastOneTheMoneyPays() {
        Random random = new Random(20261205);
        List<Instant> around = List.of(Instant.parse("2026-03-29T00:30:00Z"), Instant.parse("2026-10-25T00:30:00Z"),
                Instant.parse("2026-11-16T16:50:00Z"), Instant.parse("2026-11-20T16:40:00Z"),
                Instant.parse("2026-12-24T22:50:00Z"), Instant.parse("2026-11-18T04:40:00Z"));
        int moneyBound = 0;
        for (int i = 0; i < 3000; i++) {
            RatePlan plan = randomPlan(random);
            ZoneId zone = random.nextBoolean() ? BERLIN : UTC;
            Instant start = around.get(random.nextInt(around.size())).plusSeconds(random.nextInt(4 * 3600));
            BigDecimal amount = BigDecimal.valueOf(random.nextInt(300_000), 1 + random.nextInt(5));
            long ceiling = List.of(30L, 300L, 3600L, 14_400L).get(random.nextInt(4));
            Allowance a = LONGEST.within(plan, NUMBER, start, amount, ceiling, zone);
            String what = "case " + i + ": " + amount + " from " + start + " in " + zone + " up to " + ceiling + " s, "
                    + plan.rates().longestInForce("49301234567", start)[0];
            assertThat(a.rated()).as(what).isTrue();
            long s = a.seconds();
            assertThat(s).as(what).isBetween(0L, ceiling);
            Quote atS = RATER.price(plan, NUMBER, start, s, zone);
            assertThat(atS.cost()).as(what).isLessThanOrEqualTo(amount.max(BigDecimal.ZERO)).isEqualByComparingTo(a.cost());
            if (s < ceiling) {
                Quote longer = RATER.price(plan, NUMBER, start, s + 1, zone);
                assertThat(!longer.rated() || longer.cost().compareTo(amount) > 0)
                        .as(what + ": %d s fit, %d s would cost %s", s, s + 1, longer.cost()).isTrue();
                assertThat(a.capped()).as(what).isFalse();
                moneyBound += s > 0 ? 1 : 0;
            } else {
                Quote longer = RATER.price(plan, NUMBER, start, s + 1, zone);
                assertThat(a.capped()).as(what).isEqualTo(longer.rated() && longer.cost().compareTo(amount) <= 0);
            }
        }
        assertThat(moneyBound).as("cases where the money, not the ceiling, ended the call").isGreaterThan(500);
    }

    private static RatePlan randomPlan(Random random) {
        int[][] increments = {{1, 1}, {30, 6}, {60, 60}, {60, 1}, {1, 60}, {6, 6}};
        int[] inc = increments[random.nextInt(increments.length)];
        int min = List.of(0, 0, 30, 90).get(random.nextInt(4));
        int free = List.of(0, 0, 10, 45).get(random.nextInt(4));
        String connect = List.of("0", "0", "0.05", "0.3333").get(random.nextInt(4));
        List<TimeBand> bands = switch (random.nextInt(3)) {
            case 0 -> List.of();
            case 1 -> RaterTest.PEAK_OFFPEAK;
            default -> List.of(new TimeBand("night", null, LocalTime.MIDNIGHT, LocalTime.of(2, 30), false),
                    new TimeBand("day", EnumSet.allOf(DayOfWeek.class), LocalTime.of(2, 30), LocalTime.MIDNIGHT, false));
        };
        List<Rate> rates = new ArrayList<>();
        if (bands.isEmpty()) {
            rates.add(rate("49", null, connect, price(random), inc[0], inc[1], min, free));
        } else {
            for (TimeBand b : bands) {
                rates.add(rate("49", b.name(), connect, price(random), inc[0], inc[1], min, free));
            }
        }
        if (random.nextInt(4) == 0) { // a more expensive rate for the longer prefix, from a date on
            rates.add(new Rate("4930", "Berlin", null, new BigDecimal(connect), new BigDecimal("0.9"), inc[0], inc[1],
                    min, free, Instant.parse("2026-11-17T00:00:00Z"), null));
        }
        RoundingMode mode = List.of(RoundingMode.HALF_UP, RoundingMode.UP, RoundingMode.DOWN).get(random.nextInt(3));
        return plan(random.nextInt(7), mode, random.nextBoolean(), bands, rates.toArray(Rate[]::new));
    }

    private static String price(Random random) {
        return random.nextInt(8) == 0 ? "0" : BigDecimal.valueOf(random.nextInt(200_000), 5).toPlainString();
    }
}
