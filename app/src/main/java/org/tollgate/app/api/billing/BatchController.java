package org.tollgate.app.api.billing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.tollgate.app.api.access.Allowed;
import org.tollgate.app.api.access.Role;
import org.tollgate.app.cli.CliSupport;
import org.tollgate.app.cli.RatingArgs;
import org.tollgate.cdr.job.CdrRunner;
import org.tollgate.cdr.job.RunSummary;
import org.tollgate.rating.batch.JdbcCdrRatings;

/** {@code /api/batch}: the billing batch now ({@code tollgate batch run|rerate}); the answer comes when it is done. */
@RestController
@RequestMapping("/api/batch")
@Allowed(Role.OPERATOR)
public class BatchController {

    /** At most one of {@code date} (a call date) and {@code since}; {@code until} as the CLI's (now, an instant, a date, an age). */
    public record RunRequest(String date, String since, String until) { }

    /** The runs done (a run left unfinished is resumed first); {@code leftForNextRun}: records stored after the cut-off. */
    public record Runs(List<RunSummary> runs, long leftForNextRun, Instant checkpoint) { }

    public record RerateRequest(String from, String to, String reason) { }

    private final CdrRunner runner;
    private final JdbcCdrRatings ratings;
    private final PlatformTransactionManager transactions;

    public BatchController(CdrRunner runner, JdbcCdrRatings ratings, PlatformTransactionManager transactions) {
        this.runner = runner;
        this.ratings = ratings;
        this.transactions = transactions;
    }

    @PostMapping("/runs")
    public Runs run(@RequestBody(required = false) RunRequest body) throws Exception {
        RunRequest r = body == null ? new RunRequest(null, null, null) : body;
        if (r.date() != null && r.since() != null) {
            throw new IllegalArgumentException("give date or since, not both");
        }
        CdrRunner.Request request = new CdrRunner.Request(r.date() == null ? null : RatingArgs.date("date", r.date()),
                r.since() == null ? null : CliSupport.parseTime(r.since()),
                r.until() == null ? null : CliSupport.parseTime(r.until()));
        List<RunSummary> runs = runner.run(request, step -> { });
        long left = runs.isEmpty() ? 0 : runner.storedAfter(runs.get(runs.size() - 1).cutoff());
        return new Runs(runs, left, runner.checkpoint());
    }

    @PostMapping("/rerates")
    public JdbcCdrRatings.Rerated rerate(@RequestBody RerateRequest body) {
        if (body == null || body.from() == null || body.to() == null) {
            throw new IllegalArgumentException("give from and to (call dates)");
        }
        LocalDate first = RatingArgs.date("from", body.from());
        LocalDate last = RatingArgs.date("to", body.to());
        if (last.isBefore(first)) {
            throw new IllegalArgumentException("to " + last + " is before from " + first);
        }
        return ratings.rerate(first, last, body.reason() == null ? "rerate" : body.reason(),
                new TransactionTemplate(transactions));
    }
}
