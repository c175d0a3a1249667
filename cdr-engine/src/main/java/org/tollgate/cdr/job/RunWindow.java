package org.tollgate.cdr.job;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import org.springframework.batch.core.JobParameters;
import org.springframework.batch.core.JobParametersBuilder;

/**
 * What one run pairs. Incremental: accounting stored in (from, to]. A day: accounting whose event
 * time falls on that day in the configured zone. Either way the run decides repairs as of
 * {@code asOf}, so running it again decides the same.
 */
public record RunWindow(Instant from, Instant to, Instant asOf, LocalDate day) {

    static final String SINCE = "since";
    static final String UNTIL = "until";
    static final String DAY = "day";

    public static RunWindow incremental(Instant since, Instant until) {
        if (!since.isBefore(until)) {
            throw new IllegalArgumentException("--since " + since + " is not before " + until);
        }
        return new RunWindow(since, until, until, null);
    }

    public static RunWindow day(LocalDate day, ZoneId zone, Instant asOf) {
        return new RunWindow(day.atStartOfDay(zone).toInstant(), day.plusDays(1).atStartOfDay(zone).toInstant(), asOf, day);
    }

    public boolean incremental() {
        return day == null;
    }

    public JobParameters toParameters() {
        JobParametersBuilder b = new JobParametersBuilder()
                .addString(SINCE, from.toString())
                .addString(UNTIL, asOf.toString());
        if (day != null) {
            b.addString(DAY, day.toString());
        }
        return b.toJobParameters();
    }

    public static RunWindow of(JobParameters p, ZoneId zone) {
        Instant since = Instant.parse(p.getString(SINCE));
        Instant until = Instant.parse(p.getString(UNTIL));
        String day = p.getString(DAY);
        return day == null ? incremental(since, until) : day(LocalDate.parse(day), zone, until);
    }

    @Override
    public String toString() {
        return day == null ? "accounting stored " + from + " .. " + to : "day " + day + " (as of " + asOf + ")";
    }
}
