package org.tollgate.app.api.billing;

import java.io.StringReader;
import java.io.StringWriter;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.tollgate.api.rating.Quote;
import org.tollgate.app.api.ApiProblems;
import org.tollgate.app.api.access.Allowed;
import org.tollgate.app.api.access.Role;
import org.tollgate.app.cli.CliSupport;
import org.tollgate.app.cli.RatingArgs;
import org.tollgate.rating.Rater;
import org.tollgate.rating.number.NumberNormalizer;
import org.tollgate.rating.plan.JdbcRatePlans;
import org.tollgate.rating.plan.PlanSummary;
import org.tollgate.rating.plan.RateCsvException;
import org.tollgate.rating.tariff.RatePlan;
import org.tollgate.rating.tariff.Rounding;

/**
 * {@code /api/plans}: rate plans and their rates ({@code tollgate plan}, {@code tollgate rates}).
 * Reading them is finance's too; changing prices is the admin's.
 */
@RestController
@RequestMapping("/api/plans")
public class PlanController {

    /** As {@code plan add}'s options: {@code rounding} half-up (default), up or down; {@code bands} like "peak=MON-FRI 08:00-18:00". */
    public record NewPlan(String name, String currency, Integer decimals, String rounding, boolean perIncrement,
                          boolean chargeFailed, List<String> bands, String holidayBand, List<String> holidays) { }

    public record RateProblems(String error, List<String> problems) { }

    private final JdbcRatePlans plans;

    public PlanController(JdbcRatePlans plans) {
        this.plans = plans;
    }

    @GetMapping
    @Allowed(Role.FINANCE)
    public List<PlanSummary> list() {
        return plans.plans();
    }

    @PostMapping
    public ResponseEntity<PlanSummary> add(@RequestBody NewPlan body) {
        if (body == null || body.name() == null || body.currency() == null) {
            throw new IllegalArgumentException("give name and currency");
        }
        RoundingMode mode = RatingArgs.rounding(body.rounding() == null ? "half-up" : body.rounding());
        plans.createPlan(RatingArgs.plan(body.name(), body.currency(),
                new Rounding(body.decimals() == null ? 4 : body.decimals(), mode, body.perIncrement()), body.chargeFailed(),
                body.holidayBand(), body.bands() == null ? List.of() : body.bands(),
                body.holidays() == null ? List.of() : body.holidays(), "holidays"));
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(plans.plans().stream().filter(p -> p.name().equals(body.name())).findFirst().orElseThrow());
    }

    /** The plan's rates as CSV, in the format PUT takes. */
    @GetMapping(path = "/{plan}/rates", produces = "text/csv")
    @Allowed(Role.FINANCE)
    public ResponseEntity<Object> exportRates(@PathVariable String plan) {
        if (plans.load(plan).isEmpty()) {
            return ApiProblems.notFound("no rate plan named " + plan);
        }
        StringWriter out = new StringWriter();
        plans.exportRates(plan, out);
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8)).body(out.toString());
    }

    /** Replaces the plan's rates with the CSV body; a body with any bad row imports nothing (400 with every problem). */
    @PutMapping(path = "/{plan}/rates", consumes = "text/csv")
    public Map<String, Object> importRates(@PathVariable String plan, @RequestBody String csv) {
        int n = plans.importRates(plan, "body", new StringReader(csv));
        return Map.of("plan", plan, "rates", n);
    }

    /** One call priced under the plan, with how: {@code start} now, an instant, a date or an age. */
    @GetMapping("/{plan}/quote")
    @Allowed(Role.FINANCE)
    public ResponseEntity<Object> quote(@PathVariable String plan, @RequestParam String number, @RequestParam String start,
                                        @RequestParam long duration, @RequestParam(defaultValue = "UTC") String zone,
                                        @RequestParam(defaultValue = "") String countryCode) {
        if (duration < 0) {
            throw new IllegalArgumentException("duration: " + duration + " is negative");
        }
        RatePlan p = plans.load(plan).orElse(null);
        if (p == null) {
            return ApiProblems.notFound("no rate plan named " + plan);
        }
        Quote q = new Rater(new NumberNormalizer("00", "0", countryCode))
                .price(p, number, CliSupport.parseTime(start), duration, RatingArgs.zone(zone));
        return ResponseEntity.ok(Map.of("quote", q, "explain", q.explain()));
    }

    @ExceptionHandler(RateCsvException.class)
    ResponseEntity<RateProblems> badRates(RateCsvException e) {
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON)
                .body(new RateProblems(e.getMessage().lines().findFirst().orElse("nothing imported"), e.problems()));
    }
}
