package org.tollgate.rating;

import org.tollgate.api.rating.Quote;
import org.tollgate.api.rating.Segment;
import static org.assertj.core.api.Assertions.assertThat;

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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tollgate.rating.number.NumberNormalizer;
import org.tollgate.rating.tariff.PrefixTrie;
import org.tollgate.rating.tariff.Rate;
import org.tollgate.rating.tariff.RatePlan;
import org.tollgate.rating.tariff.Rounding;
import org.tollgate.rating.tariff.TimeBand;

class RaterTest {

    static final ZoneId UTC = ZoneId.of("UTC");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Instant MONDAY_NOON = Instant.parse("2026-11-16T12:00:00Z");
    static final Rater RATER = new Rater(new NumberNormalizer("00", "0", "49"));

    static final List<TimeBand> PEAK_OFFPEAK = List.of(
            new TimeBand("holiday", null, null, null, true),
            new TimeBand("peak", EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(8, 0), LocalTime.of(18, 0), false),
            new TimeBand("offpeak", null, null, null, false));

    static Rate rate(String prefix, String band, String connect, String perMinute, int first, int next, int min, int free) {
        return new Rate(prefix, "Germany " + prefix, band, new BigDecimal(connect), new BigDecimal(perMinute), first, next,
                min, free, null, null);
    }

    static RatePlan plan(int decimals, RoundingMode mode, boolean perIncrement, List<TimeBand> bands, Rate... rates) {
        return new RatePlan("test", Currency.getInstance("EUR"), new Rounding(decimals, mode, perIncrement), bands,
                Set.of(LocalDate.of(2026, 12, 25)), false, new PrefixTrie(List.of(rates)));
    }

    static RatePlan flat(String connect, String perMinute, int first, int next, int min, int free) {
        return plan(4, RoundingMode.HALF_UP, false, List.of(), rate("49", null, connect, perMinute, first, next, min, free));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            60/60 with a connect fee, 61 s        | 0.05 | 0.10 | 60 | 60 |  0 | 0 |   61 | 120 | 0.2500
            60/60, exactly one increment           | 0    | 0.10 | 60 | 60 |  0 | 0 |   60 |  60 | 0.1000
            30/6, 31 s                             | 0    | 0.06 | 30 |  6 |  0 | 0 |   31 |  36 | 0.0360
            30/6, 10 s is one first increment      | 0    | 0.06 | 30 |  6 |  0 | 0 |   10 |  30 | 0.0300
            1/1, 61 s                              | 0    | 0.06 |  1 |  1 |  0 | 0 |   61 |  61 | 0.0610
            minimum duration 60 s, 10 s call       | 0    | 0.06 |  1 |  1 | 60 | 0 |   10 |  60 | 0.0600
            free first 30 s, 45 s call             | 0    | 0.06 |  1 |  1 |  0 | 30 |  45 |  15 | 0.0150
            a call of 0 s costs nothing            | 0.05 | 0.10 | 60 | 60 | 60 | 0 |    0 |   0 | 0.0000
            60 s at 0.05/min is exactly 0.0500     | 0    | 0.05 |  1 |  1 |  0 | 0 |   60 |  60 | 0.0500
            """)
    void workedExamples(String name, String connect, String perMinute, int first, int next, int min, int free,
                        long seconds, long billed, String cost) {
        Quote q = RATER.price(flat(connect, perMinute, first, next, min, free), "sip:+49301234567@example.com",
                MONDAY_NOON, seconds, UTC);
        assertThat(q.rated()).isTrue();
        assertThat(q.billedSeconds()).isEqualTo(billed);
        assertThat(q.cost()).isEqualByComparingTo(cost);
        assertThat(q.cost().scale()).isEqualTo(4);
        assertThat(q.currency().getCurrencyCode()).isEqualTo("EUR");
    }

    @Test
    void roundingHalfUpVersusUpAtFourDecimals() {
        // 7 s at 0.05/min = 0.0058333…
        RatePlan halfUp = plan(4, RoundingMode.HALF_UP, false, List.of(), rate("49", null, "0", "0.05", 1, 1, 0, 0));
        RatePlan up = plan(4, RoundingMode.UP, false, List.of(), rate("49", null, "0", "0.05", 1, 1, 0, 0));
        assertThat(RATER.price(halfUp, "+49301", MONDAY_NOON, 7, UTC).cost()).isEqualTo(new BigDecimal("0.0058"));
        assertThat(RATER.price(up, "+49301", MONDAY_NOON, 7, UTC).cost()).isEqualTo(new BigDecimal("0.0059"));
        assertThat(RATER.price(up, "+49301", MONDAY_NOON, 60, UTC).cost()).isEqualTo(new BigDecimal("0.0500"));
    }

    @Test
    void roundingPerIncrementWhenThePlanSaysSo() {
        // 7 increments of 1 s at 0.05/min: each 0.000833… rounds up to 0.0009, so 0.0063 (per call: 0.0059)
        RatePlan plan = plan(4, RoundingMode.UP, true, List.of(), rate("49", null, "0", "0.05", 1, 1, 0, 0));
        assertThat(RATER.price(plan, "+49301", MONDAY_NOON, 7, UTC).cost()).isEqualTo(new BigDecimal("0.0063"));
    }

    @Test
    void longestPrefixWins() {
        RatePlan plan = plan(4, RoundingMode.HALF_UP, false, List.of(),
                rate("49", null, "0", "0.10", 60, 60, 0, 0), rate("4930", null, "0", "0.02", 60, 60, 0, 0),
                rate("49151", null, "0", "0.30", 60, 60, 0, 0));
        assertThat(RATER.price(plan, "030 1234567", MONDAY_NOON, 60, UTC).prefix()).isEqualTo("4930");
        assertThat(RATER.price(plan, "0049 1511234567", MONDAY_NOON, 60, UTC).cost()).isEqualByComparingTo("0.30");
        assertThat(RATER.price(plan, "+49 89 1234", MONDAY_NOON, 60, UTC).prefix()).isEqualTo("49");
    }

    @Test
    void anUnknownDestinationIsUnratedNeverFree() {
        Quote q = RATER.price(flat("0", "0.10", 60, 60, 0, 0), "+33123456789", MONDAY_NOON, 60, UTC);
        assertThat(q.rated()).isFalse();
        assertThat(q.cost()).isNull();
        assertThat(q.reason()).contains("no rate").contains("33123456789");
        assertThat(RATER.price(flat("0", "0.10", 60, 60, 0, 0), "sip:alice@example.com", MONDAY_NOON, 60, UTC).reason())
                .contains("not a phone number");
    }

    static RatePlan peakOffpeak() {
        return plan(4, RoundingMode.HALF_UP, false, PEAK_OFFPEAK,
                rate("49", "peak", "0", "0.12", 1, 1, 0, 0), rate("49", "offpeak", "0", "0.06", 1, 1, 0, 0),
                rate("49", "holiday", "0", "0.03", 1, 1, 0, 0));
    }

    @Test
    void aCallFromPeakIntoOffPeakIsPricedPerSegment() {
        Quote q = RATER.price(peakOffpeak(), "+4930", Instant.parse("2026-11-16T17:59:00Z"), 120, UTC);
        assertThat(q.segments()).extracting(Segment::band).containsExactly("peak", "offpeak");
        assertThat(q.segments()).extracting(Segment::seconds).containsExactly(60L, 60L);
        assertThat(q.cost()).isEqualByComparingTo("0.18"); // 0.12 + 0.06
    }

    @Test
    void weekendAndHolidayRates() {
        assertThat(RATER.price(peakOffpeak(), "+4930", Instant.parse("2026-11-21T10:00:00Z"), 60, UTC).cost())
                .isEqualByComparingTo("0.06"); // Saturday
        assertThat(RATER.price(peakOffpeak(), "+4930", Instant.parse("2026-12-25T10:00:00Z"), 60, UTC).cost())
                .isEqualByComparingTo("0.03"); // a Friday, but a holiday
    }

    @Test
    void theRateInForceAtTheStartPricesTheWholeCall() {
        Instant change = Instant.parse("2026-11-21T00:00:00Z");
        RatePlan plan = plan(4, RoundingMode.HALF_UP, false, List.of(),
                new Rate("49", "Germany", null, BigDecimal.ZERO, new BigDecimal("0.10"), 1, 1, 0, 0, null, change),
                new Rate("49", "Germany", null, BigDecimal.ZERO, new BigDecimal("0.20"), 1, 1, 0, 0, change, null));
        assertThat(RATER.price(plan, "+4930", change.minusSeconds(30), 60, UTC).cost()).isEqualByComparingTo("0.10");
        assertThat(RATER.price(plan, "+4930", change, 60, UTC).cost()).isEqualByComparingTo("0.20");
    }

    @Test
    void bandsFollowTheAccountsZoneAcrossADaylightSavingChange() {
        RatePlan plan = plan(4, RoundingMode.HALF_UP, false, List.of(
                        new TimeBand("night", null, LocalTime.MIDNIGHT, LocalTime.of(6, 0), false),
                        new TimeBand("day", null, LocalTime.of(6, 0), LocalTime.MIDNIGHT, false)),
                rate("49", "night", "0", "0.02", 1, 1, 0, 0), rate("49", "day", "0", "0.10", 1, 1, 0, 0));
        // 25 Oct 2026: Berlin goes from UTC+2 to UTC+1 at 03:00; 04:59Z is 05:59 local
        Quote q = RATER.price(plan, "+4930", Instant.parse("2026-10-25T04:59:00Z"), 120, BERLIN);
        assertThat(q.segments()).extracting(Segment::band).containsExactly("night", "day");
        assertThat(q.cost()).isEqualByComparingTo("0.12"); // 60 s × 0.02 + 60 s × 0.10
    }

    @Test
    void costNeverDecreasesAsDurationGrows() {
        RatePlan plan = plan(4, RoundingMode.HALF_UP, false, PEAK_OFFPEAK,
                rate("49", "peak", "0.01", "0.12", 30, 6, 0, 0), rate("49", "offpeak", "0.01", "0.06", 30, 6, 0, 0));
        BigDecimal last = BigDecimal.ZERO;
        for (long s = 0; s <= 4000; s++) {
            BigDecimal cost = RATER.price(plan, "+4930", Instant.parse("2026-11-16T17:30:00Z"), s, UTC).cost();
            assertThat(cost).as("%d s", s).isGreaterThanOrEqualTo(last);
            last = cost;
        }
    }

    @Test
    void aCallPricedInSegmentsEqualsTheSumOfItsParts() {
        RatePlan plan = peakOffpeak();
        List<long[]> cases = new ArrayList<>();
        for (long s = 1; s < 20_000; s += 997) {
            cases.add(new long[] {s});
        }
        for (long[] c : cases) {
            Quote q = RATER.price(plan, "+4930", Instant.parse("2026-11-20T16:00:00Z"), c[0], UTC);
            BigDecimal parts = q.connectFee();
            long seconds = 0;
            for (Segment s : q.segments()) {
                parts = parts.add(s.cost());
                seconds += s.seconds();
            }
            assertThat(seconds).isEqualTo(q.billedSeconds());
            assertThat(parts.setScale(4, RoundingMode.HALF_UP)).isEqualByComparingTo(q.cost());
        }
    }
}
