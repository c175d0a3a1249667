package org.tollgate.rating.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tollgate.rating.tariff.Rate;

class RateCsvTest {

    private static final Set<String> BANDS = Set.of("peak", "offpeak");
    private static final String HEADER = RateCsv.HEADER_LINE + "\n";

    @Test
    void readsEveryColumnWithDefaultsForEmptyOnes() {
        List<Rate> rates = read(HEADER
                + "49,Germany,*,0.1,0.05,60,60,0,0,,\n"
                + "\"4915\",\"Germany, mobile \"\"D1\"\"\",peak,,0.25,30,6,10,5,2026-01-01T00:00:00Z,2026-07-01T00:00Z\n"
                + "4930,Berlin,,,0.0125,,,,,,\n");
        assertThat(rates).hasSize(3);
        Rate mobile = rates.get(1);
        assertThat(mobile.destination()).isEqualTo("Germany, mobile \"D1\"");
        assertThat(mobile.connectFee()).isEqualByComparingTo("0");
        assertThat(mobile.firstIncrement()).isEqualTo(30);
        assertThat(mobile.nextIncrement()).isEqualTo(6);
        assertThat(mobile.minimumSeconds()).isEqualTo(10);
        assertThat(mobile.freeSeconds()).isEqualTo(5);
        assertThat(mobile.validFrom()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(mobile.validTo()).isEqualTo(Instant.parse("2026-07-01T00:00:00Z"));
        Rate berlin = rates.get(2);
        assertThat(berlin.band()).isEqualTo("*");
        assertThat(berlin.firstIncrement()).isEqualTo(60);
        assertThat(berlin.nextIncrement()).isEqualTo(60);
        assertThat(berlin.validFrom()).isEqualTo(Instant.EPOCH);
        assertThat(berlin.validTo()).isNull();
    }

    @Test
    void columnsMayComeInAnyOrderAndBlankLinesAndAByteOrderMarkAreIgnored() {
        List<Rate> rates = read("\uFEFFdestination,prefix,band,connect_fee,price_per_minute,first_increment,"
                + "next_increment,minimum_seconds,free_seconds,valid_from,valid_to\r\n\r\nFrance,33,*,0,0.02,1,1,0,0,,\r\n");
        assertThat(rates).extracting(Rate::prefix, Rate::destination).containsExactly(
                org.assertj.core.groups.Tuple.tuple("33", "France"));
    }

    @Test
    void reportsEveryBadRowWithItsLineNumber() {
        String csv = HEADER
                + "49,Germany,*,0.1,0.05,60,60,0,0,,\n"                       // 2 ok
                + "+49,Germany,*,0,0.05,60,60,0,0,,\n"                        // 3 bad prefix
                + "44,UK,*,0,-0.01,60,60,0,0,,\n"                             // 4 negative price
                + "45,Denmark,night,0,0.01,60,60,0,0,,\n"                     // 5 unknown band
                + "46,Sweden,*,0,0.01,0,60,0,0,,\n"                           // 6 first increment < 1
                + "47,Norway,*,0,0.01,60,0,0,0,,\n"                           // 7 next increment < 1
                + "48,Poland,*,0,0.01,60,60,0,0,2026-02-01T00:00:00Z,2026-01-01T00:00:00Z\n" // 8 to before from
                + "49,Germany again,*,0,0.07,60,60,0,0,,\n"                   // 9 duplicate of 2
                + "\n"                                                        // 10 blank
                + "31,Netherlands,*,abc,0.01,60,60,0,0,,\n"                   // 11 non-numeric money
                + "32,Belgium,*,0,0.0000001,60,60,0,0,,\n"                    // 12 more than 6 decimals
                + "33,France,*,0,0.01,60,60\n"                                // 13 too few fields
                + "34,\"Spain,\n  islands\",peak,0,0.01,x,60,0,0,yesterday,\n" // 14-15 two problems, a field on two lines
                + "35,,*,0,,60,60,-1,0,,\n";                                  // 16 three problems
        RateCsvException e = catchThrowableOfType(() -> RateCsv.read("rates.csv", new StringReader(csv), BANDS),
                RateCsvException.class);
        assertThat(e.problems()).containsExactly(
                "line 3: prefix '+49' is not 1 to 20 digits (E.164, no '+')",
                "line 4: price_per_minute -0.01 is negative",
                "line 5: band 'night' is not a band of this plan (offpeak, peak or *)",
                "line 6: first_increment 0 is less than 1 second",
                "line 7: next_increment 0 is less than 1 second",
                "line 8: valid_to 2026-01-01T00:00:00Z is not after valid_from 2026-02-01T00:00:00Z",
                "line 9: duplicate of line 2 (same prefix, band and valid_from)",
                "line 11: connect_fee 'abc' is not a number like 0.0125",
                "line 12: price_per_minute 0.0000001 has more than 6 decimals",
                "line 13: has 7 field(s), the header has 11",
                "line 14: first_increment 'x' is not a whole number of seconds",
                "line 14: valid_from 'yesterday' is not an ISO-8601 instant like 2026-01-01T00:00:00Z",
                "line 16: destination is empty",
                "line 16: price_per_minute is empty",
                "line 16: minimum_seconds -1 is negative");
        assertThat(e.getMessage()).startsWith("rates.csv: 15 problem(s), nothing imported:");
    }

    @Test
    void refusesOverlappingValidityForOnePrefixAndBand() {
        assertThat(problems(HEADER
                + "49,Germany,*,0,0.05,60,60,0,0,,2026-01-01T00:00:00Z\n"
                + "49,Germany,*,0,0.04,60,60,0,0,2026-01-01T00:00:00Z,\n"    // follows on: fine
                + "49,Germany,peak,0,0.09,60,60,0,0,,\n"                      // another band: fine
                + "49,Germany,*,0,0.03,60,60,0,0,2026-06-01T00:00:00Z,\n"))  // inside the open-ended line 3
                .containsExactly("line 5: prefix 49 band *: valid_from 2026-06-01T00:00:00Z is before the end of "
                        + "line 3's validity (open-ended)");
    }

    @Test
    void refusesAMissingHeaderOrColumn() {
        assertThat(problems("")).containsExactly("line 1: missing header: " + RateCsv.HEADER_LINE);
        assertThat(problems("prefix,destination,band,connect_fee,price_per_minute,first_increment,next_increment,"
                + "minimum_seconds,free_seconds,valid_from,valid_until\n49,Germany,*,0,0.05,60,60,0,0,,\n"))
                .containsExactly("line 1: missing column(s) valid_to (header: " + RateCsv.HEADER_LINE + ")",
                        "line 1: unknown column(s) valid_until");
        assertThat(problems("49,Germany,*,0,0.05,60,60,0,0,,\n"))
                .containsExactly("line 1: missing header: " + RateCsv.HEADER_LINE);
        assertThat(problems(RateCsv.HEADER_LINE + ",prefix\n")).containsExactly("line 1: column prefix appears twice");
    }

    @Test
    void refusesAQuoteLeftOpen() {
        assertThat(problems(HEADER + "49,\"Germany,*,0,0.05,60,60,0,0,,\n")).singleElement().asString()
                .startsWith("unreadable CSV:");
    }

    @Test
    void writesWhatItReadsBackExactly() {
        String csv = "prefix,destination,band,connect_fee,price_per_minute,first_increment,next_increment,"
                + "minimum_seconds,free_seconds,valid_from,valid_to\r\n"
                + "4915,\"Germany, mobile \"\"D1\"\"\",peak,0.1,0.25,30,6,10,5,2026-01-01T00:00:00Z,2026-07-01T00:00:00.123456Z\r\n"
                + "49,Germany,*,0,10,60,60,0,0,,\r\n"
                + "49,Germany,offpeak,0.000001,123456789012.5,1,1,0,0,,\r\n";
        List<Rate> rates = read(csv);
        StringWriter out = new StringWriter();
        RateCsv.write(rates, out);
        assertThat(out.toString()).isEqualTo(csv);
        assertThat(read(out.toString())).isEqualTo(rates);
        assertThat(rates.get(2).pricePerMinute()).isEqualTo(new BigDecimal("123456789012.5"));
    }

    @Test
    void aTooLargeAmountIsRefused() {
        assertThat(problems(HEADER + "49,Germany,*,1234567890123,0.05,60,60,0,0,,\n"))
                .containsExactly("line 2: connect_fee 1234567890123 is too large (at most 12 digits before the point)");
    }

    private static List<Rate> read(String csv) {
        return RateCsv.read("test", new StringReader(csv), BANDS);
    }

    private static List<String> problems(String csv) {
        RateCsvException e = catchThrowableOfType(() -> read(csv), RateCsvException.class);
        assertThat(e).as("refused").isNotNull();
        return e.problems();
    }

    @Test
    void timeBandsAndDaysParse() {
        var peak = TimeBands.parse("peak=MON-FRI 08:00-18:00");
        assertThat(Weekdays.format(peak.days())).isEqualTo("MON-FRI");
        assertThat(peak.from()).hasToString("08:00");
        assertThat(peak.to()).hasToString("18:00");
        var weekend = TimeBands.parse("weekend=SAT,SUN");
        assertThat(Weekdays.format(weekend.days())).isEqualTo("SAT,SUN");
        assertThat(weekend.to()).hasToString("00:00");
        assertThat(Weekdays.format(TimeBands.parse("evening=18:00-00:00").days())).isEqualTo("MON-SUN");
        assertThat(Weekdays.format(Weekdays.parse("mon-wed,fri,sun"))).isEqualTo("MON-WED,FRI,SUN");
        assertThatThrownBy(() -> TimeBands.parse("peak")).hasMessageContaining("NAME=[DAYS]");
        assertThatThrownBy(() -> TimeBands.parse("peak=FRI-MON")).hasMessageContaining("backwards");
        assertThatThrownBy(() -> TimeBands.parse("peak=MON-FRI 18:00-08:00")).hasMessageContaining("ends before");
        assertThatThrownBy(() -> TimeBands.parse("peak=XYZ")).hasMessageContaining("not a day");
        assertThatThrownBy(() -> TimeBands.parse("*=MON")).hasMessageContaining("band name");
    }
}
