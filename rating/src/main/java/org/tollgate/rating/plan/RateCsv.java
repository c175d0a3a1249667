package org.tollgate.rating.plan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.tollgate.rating.tariff.Rate;
import org.tollgate.rating.tariff.TimeBand;

/**
 * A plan's rates as CSV (RFC 4180, header first), one row per prefix and band:
 * {@value #HEADER_LINE}. Band {@code *} prices every band; valid_from and valid_to are ISO-8601
 * instants or empty (always / open-ended). Empty increments mean 60, empty minimum, free seconds
 * and connect fee mean 0. Reading checks every row and refuses the whole file with every
 * problem and its line number; writing gives back a file that reads as the same rates.
 */
public final class RateCsv {

    public static final String HEADER_LINE = "prefix,destination,band,connect_fee,price_per_minute,first_increment,"
            + "next_increment,minimum_seconds,free_seconds,valid_from,valid_to";
    public static final List<String> HEADER = List.of(HEADER_LINE.split(","));

    private static final CSVFormat READ = CSVFormat.RFC4180.builder().setHeader().setTrim(true)
            .setAllowMissingColumnNames(true).setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL).get();
    private static final CSVFormat WRITE = CSVFormat.RFC4180.builder().setHeader(HEADER.toArray(String[]::new)).get();
    // compiled once: a deck of 100,000 rows checks several fields per row
    private static final Pattern MONEY = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)");
    private static final Pattern PREFIX = Pattern.compile("\\d{1,20}");
    private static final Pattern WHOLE = Pattern.compile("-?\\d{1,9}");

    private RateCsv() {
    }

    /**
     * Every rate of the file, or a {@link RateCsvException} listing every problem. {@code bands}:
     * the plan's band names ({@code *} is always allowed).
     */
    public static List<Rate> read(String source, Reader in, Collection<String> bands) {
        Problems problems = new Problems();
        List<Parsed> parsed = new ArrayList<>();
        try (CSVParser parser = READ.parse(withoutBom(in))) {
            if (!header(parser.getHeaderNames(), problems)) {
                throw problems.exception(source);
            }
            int columns = parser.getHeaderNames().size();
            Iterator<CSVRecord> rows = parser.iterator();
            while (true) {
                long line = parser.getCurrentLineNumber() + 1;
                if (!rows.hasNext()) {
                    break;
                }
                CSVRecord row = rows.next();
                if (row.size() == 1 && row.get(0).isEmpty()) {
                    continue; // a blank line
                }
                if (row.size() != columns) {
                    problems.add(line, "has " + row.size() + " field(s), the header has " + columns);
                    continue;
                }
                Rate rate = new Row(row, line, bands, problems).rate();
                if (rate != null) {
                    parsed.add(new Parsed(rate, line));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // a quote left open and the like: the parser cannot go on
            problems.add(0, "unreadable CSV: " + e.getMessage());
        }
        clashes(parsed, problems);
        if (!problems.isEmpty()) {
            throw problems.exception(source);
        }
        List<Rate> rates = new ArrayList<>(parsed.size());
        parsed.forEach(p -> rates.add(p.rate()));
        return rates;
    }

    private record Parsed(Rate rate, long line) { }

    /** Rows to {@code out}, header first. {@link #close()} flushes and leaves {@code out} open. */
    public static final class Output implements AutoCloseable {
        private final CSVPrinter printer;

        public Output(Writer out) {
            try {
                printer = new CSVPrinter(out, WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public void add(Rate r) {
            try {
                printer.printRecord(r.prefix(), r.destination(), r.band(), money(r.connectFee()),
                        money(r.pricePerMinute()), r.firstIncrement(), r.nextIncrement(), r.minimumSeconds(),
                        r.freeSeconds(), r.validFrom().equals(Instant.EPOCH) ? "" : r.validFrom().toString(),
                        r.validTo() == null ? "" : r.validTo().toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                printer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static void write(Iterable<Rate> rates, Writer out) {
        try (Output o = new Output(out)) {
            rates.forEach(o::add);
        }
    }

    private static String money(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }

    private static boolean header(List<String> names, Problems problems) {
        if (names.stream().noneMatch(HEADER::contains)) {
            // the first line is data, or something else entirely: one clear message, not one per column
            problems.add(1, "missing header: " + HEADER_LINE);
            return false;
        }
        Set<String> seen = new HashSet<>();
        Set<String> unknown = new TreeSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                problems.add(1, "column " + (n.isEmpty() ? "(empty)" : n) + " appears twice");
            } else if (!HEADER.contains(n)) {
                unknown.add(n.isEmpty() ? "(empty)" : n);
            }
        }
        List<String> missing = HEADER.stream().filter(h -> !seen.contains(h)).toList();
        if (!missing.isEmpty()) {
            problems.add(1, "missing column(s) " + String.join(", ", missing) + " (header: " + HEADER_LINE + ")");
        }
        if (!unknown.isEmpty()) {
            problems.add(1, "unknown column(s) " + String.join(", ", unknown));
        }
        return problems.isEmpty();
    }

    /**
     * Two rates for the same prefix and band in force at once would make the price ambiguous:
     * the same valid_from is a duplicate, a later one before the end of the earlier an overlap.
     */
    private static void clashes(List<Parsed> parsed, Problems problems) {
        List<Parsed> sorted = new ArrayList<>(parsed);
        // stable: of two rows with the same key, the one earlier in the file comes first
        sorted.sort(Comparator.comparing((Parsed p) -> p.rate().prefix()).thenComparing(p -> p.rate().band())
                .thenComparing(p -> p.rate().validFrom()));
        for (int i = 1; i < sorted.size(); i++) {
            Rate prev = sorted.get(i - 1).rate();
            Rate cur = sorted.get(i).rate();
            if (!prev.prefix().equals(cur.prefix()) || !prev.band().equals(cur.band())) {
                continue;
            }
            long line = sorted.get(i).line();
            long prevLine = sorted.get(i - 1).line();
            if (prev.validFrom().equals(cur.validFrom())) {
                problems.add(line, "duplicate of line " + prevLine + " (same prefix, band and valid_from)");
            } else if (prev.validTo() == null || prev.validTo().isAfter(cur.validFrom())) {
                problems.add(line, "prefix " + cur.prefix() + " band " + cur.band() + ": valid_from " + cur.validFrom()
                        + " is before the end of line " + prevLine + "'s validity ("
                        + (prev.validTo() == null ? "open-ended" : prev.validTo()) + ")");
            }
        }
    }

    /** A spreadsheet may start the file with a byte order mark, which is not part of the first column's name. */
    private static Reader withoutBom(Reader in) throws IOException {
        BufferedReader b = new BufferedReader(in);
        b.mark(1);
        if (b.read() != '\uFEFF') {
            b.reset();
        }
        return b;
    }

    /** One data row's fields, each checked, problems recorded against its line. */
    private static final class Row {
        private final CSVRecord row;
        private final long line;
        private final Problems problems;
        private final Collection<String> bands;
        private boolean bad;

        Row(CSVRecord row, long line, Collection<String> bands, Problems problems) {
            this.row = row;
            this.line = line;
            this.bands = bands;
            this.problems = problems;
        }

        Rate rate() {
            String prefix = row.get("prefix");
            if (!PREFIX.matcher(prefix).matches()) {
                fail("prefix '" + prefix + "' is not 1 to 20 digits (E.164, no '+')");
            }
            String destination = row.get("destination");
            if (destination.isEmpty()) {
                fail("destination is empty");
            }
            String band = row.get("band").isEmpty() ? TimeBand.ANY : row.get("band");
            if (!band.equals(TimeBand.ANY) && !bands.contains(band)) {
                fail("band '" + band + "' is not a band of this plan (" + String.join(", ", new TreeSet<>(bands))
                        + (bands.isEmpty() ? "" : " or ") + "*)");
            }
            BigDecimal connectFee = money("connect_fee", false);
            BigDecimal perMinute = money("price_per_minute", true);
            int first = seconds("first_increment", 60, 1);
            int next = seconds("next_increment", 60, 1);
            int minimum = seconds("minimum_seconds", 0, 0);
            int free = seconds("free_seconds", 0, 0);
            Instant from = instant("valid_from");
            Instant to = instant("valid_to");
            if (to != null && !to.isAfter(from == null ? Instant.EPOCH : from)) {
                fail("valid_to " + to + " is not after valid_from " + (from == null ? Instant.EPOCH : from));
            }
            if (bad) {
                return null;
            }
            return new Rate(prefix, destination, band, connectFee, perMinute, first, next, minimum, free, from, to);
        }

        private BigDecimal money(String column, boolean required) {
            String s = row.get(column);
            if (s.isEmpty()) {
                if (required) {
                    fail(column + " is empty");
                }
                return BigDecimal.ZERO;
            }
            if (!MONEY.matcher(s).matches()) {
                fail(column + " '" + s + "' is not a number like 0.0125");
                return null;
            }
            BigDecimal v = new BigDecimal(s);
            if (v.signum() < 0) {
                fail(column + " " + s + " is negative");
            } else if (v.stripTrailingZeros().scale() > 6) {
                fail(column + " " + s + " has more than 6 decimals");
            } else if (v.precision() - v.scale() > 12) {
                fail(column + " " + s + " is too large (at most 12 digits before the point)");
            }
            return v;
        }

        private int seconds(String column, int empty, int min) {
            String s = row.get(column);
            if (s.isEmpty()) {
                return empty;
            }
            if (!WHOLE.matcher(s).matches()) {
                fail(column + " '" + s + "' is not a whole number of seconds");
                return empty;
            }
            int v = Integer.parseInt(s);
            if (v < min) {
                fail(column + " " + s + (min == 1 ? " is less than 1 second" : " is negative"));
            }
            return v;
        }

        private Instant instant(String column) {
            String s = row.get(column);
            if (s.isEmpty()) {
                return null;
            }
            Instant t;
            try {
                t = OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                fail(column + " '" + s + "' is not an ISO-8601 instant like 2026-01-01T00:00:00Z");
                return null;
            }
            if (t.getNano() % 1000 != 0) {
                fail(column + " " + s + " is more precise than a microsecond");
            }
            return t;
        }

        private void fail(String reason) {
            bad = true;
            problems.add(line, reason);
        }
    }

    /** Problems in line order, however they were found. */
    private static final class Problems {
        private record Problem(long line, long seq, String reason) { }

        private final List<Problem> list = new ArrayList<>();

        void add(long line, String reason) {
            list.add(new Problem(line, list.size(), reason));
        }

        boolean isEmpty() {
            return list.isEmpty();
        }

        RateCsvException exception(String source) {
            list.sort(Comparator.comparingLong(Problem::line).thenComparingLong(Problem::seq));
            return new RateCsvException(source, list.stream()
                    .map(p -> p.line() == 0 ? p.reason() : "line " + p.line() + ": " + p.reason()).toList());
        }
    }
}
