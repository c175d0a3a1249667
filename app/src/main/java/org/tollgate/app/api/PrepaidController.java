package org.tollgate.app.api;

import org.tollgate.app.api.access.Allowed;
import org.tollgate.app.api.access.Caller;
import org.tollgate.app.api.access.Role;
import org.springframework.web.bind.annotation.RequestAttribute;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.tollgate.api.Money;
import org.tollgate.prepaid.account.PrepaidAccount;
import org.tollgate.prepaid.account.PrepaidAccounts;
import org.tollgate.prepaid.ledger.EntryKind;
import org.tollgate.prepaid.ledger.JdbcLedger;
import org.tollgate.prepaid.ledger.LedgerEntry;
import org.tollgate.prepaid.reservation.OpenReservations;
import org.tollgate.rating.plan.JdbcRatePlans;

/**
 * The prepaid operations of {@code tollgate account} and {@code tollgate prepaid} on the admin API
 * (behind the access filter's token like every {@code /api} path). Money travels as strings
 * ("8.69"), exact. A refusal is 400 (404 for an unknown account) with {@code {"error": "…"}} and
 * changes nothing.
 */
@RestController
@ConditionalOnWebApplication
@RequestMapping("/api")
public class PrepaidController {

    private static final Logger log = LoggerFactory.getLogger(PrepaidController.class);

    /** {@code POST /api/accounts}: postpaid unless {@code prepaid}. */
    public record NewAccount(String name, String plan, String zone, boolean prepaid, String currency, BigDecimal creditLimit,
                             BigDecimal lowBalance) { }

    public record Balance(String account, String plan, String currency, String balance, String creditLimit,
                          String reserved, String available, String lowBalance, boolean low) {
        public static Balance of(PrepaidAccount a) {
            return new Balance(a.name(), a.plan(), a.currency(), a.balance().toPlainString(), a.creditLimit().toPlainString(),
                    a.reserved().toPlainString(), a.available().toPlainString(), a.lowBalance().toPlainString(), a.low());
        }
    }

    /** {@code POST …/topups} and {@code …/adjustments}; {@code refund} for a refund instead of an adjustment. */
    public record Posting(BigDecimal amount, String reference, String note, boolean refund) { }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(long id, Instant at, String kind, String amount, String balanceAfter, String currency,
                        String reference, String note) {
        public static Entry of(LedgerEntry e) {
            return new Entry(e.id(), e.createdAt(), e.kind().name(), e.amount().toPlainString(),
                    e.balanceAfter().toPlainString(), e.currency(), e.reference(), e.note());
        }
    }

    public record Posted(Entry entry, boolean alreadyApplied, Balance balance) { }

    public record CheckResult(boolean ok, int accounts, int openReservations, List<String> problems) { }

    public record Session(String account, String callId, String destination, Instant authorizedAt, long grantedSeconds,
                          long usedSeconds, String held, String currency, Instant staleAfter) { }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String error, String reason) { }

    private final PrepaidAccounts accounts;
    private final JdbcLedger ledger;
    private final OpenReservations sessions;
    private final JdbcRatePlans plans;

    public PrepaidController(PrepaidAccounts accounts, JdbcLedger ledger, OpenReservations sessions, JdbcRatePlans plans) {
        this.accounts = accounts;
        this.ledger = ledger;
        this.sessions = sessions;
        this.plans = plans;
    }

    @PostMapping(path = "/accounts", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> add(@RequestBody NewAccount body) {
        if (body == null || body.name() == null || body.plan() == null) {
            throw new IllegalArgumentException("an account needs a name and a plan");
        }
        ZoneId zone = zone(body.zone());
        if (!body.prepaid()) {
            plans.addAccount(body.name(), body.plan(), zone);
            return ResponseEntity.status(HttpStatus.CREATED)
                    .body(java.util.Map.of("account", body.name(), "plan", body.plan(), "kind", "POSTPAID"));
        }
        PrepaidAccount a = accounts.create(body.name(), body.plan(), zone, body.currency(),
                body.creditLimit() == null ? BigDecimal.ZERO : body.creditLimit(),
                body.lowBalance() == null ? BigDecimal.ZERO : body.lowBalance());
        return ResponseEntity.status(HttpStatus.CREATED).body(Balance.of(a));
    }

    /** Every account (a token limited to accounts: its own), with plan, zone and kind. */
    @GetMapping("/accounts")
    @Allowed(value = Role.FINANCE, accountScoped = true)
    public List<org.tollgate.rating.plan.AccountRef> list(
            @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
        return plans.accounts().stream().filter(a -> caller == null || caller.mayUse(a.name())).toList();
    }

    @GetMapping("/accounts/{name}/balance")
    @Allowed(value = Role.FINANCE, accountScoped = true)
    public ResponseEntity<Object> balance(@RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller, @PathVariable String name) {
        Caller.check(caller, name);
        return accounts.find(name).<ResponseEntity<Object>>map(a -> ResponseEntity.ok(Balance.of(a)))
                .orElseGet(() -> notFound(name));
    }

    @PostMapping(path = "/accounts/{name}/topups", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Allowed(value = Role.FINANCE, accountScoped = true)
    public ResponseEntity<Object> topup(@RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller, @PathVariable String name, @RequestBody Posting body) {
        Caller.check(caller, name);
        return post(name, EntryKind.TOPUP, body);
    }

    @PostMapping(path = "/accounts/{name}/adjustments", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> adjust(@PathVariable String name, @RequestBody Posting body) {
        return post(name, body != null && body.refund() ? EntryKind.REFUND : EntryKind.ADJUSTMENT, body);
    }

    private ResponseEntity<Object> post(String name, EntryKind kind, Posting body) {
        if (body == null || body.amount() == null) {
            throw new IllegalArgumentException("give an amount and a reference");
        }
        PrepaidAccount a = accounts.find(name).orElse(null);
        if (a == null) {
            return notFound(name);
        }
        JdbcLedger.Posted p = ledger.post(name, kind, new Money(body.amount(), Currency.getInstance(a.currency())),
                body.reference(), body.note());
        return ResponseEntity.status(p.already() ? HttpStatus.OK : HttpStatus.CREATED)
                .body(new Posted(Entry.of(p.entry()), p.already(), Balance.of(accounts.find(name).orElseThrow())));
    }

    @GetMapping("/accounts/{name}/ledger")
    @Allowed(value = Role.FINANCE, accountScoped = true)
    public ResponseEntity<Object> ledger(@RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller, @PathVariable String name,
                                         @RequestParam(required = false) String since) {
        Caller.check(caller, name);
        if (accounts.find(name).isEmpty()) {
            return notFound(name);
        }
        Instant from = since == null ? null : Instant.parse(since);
        return ResponseEntity.ok(ledger.entries(name, from).stream().map(Entry::of).toList());
    }

    @GetMapping("/accounts/check")
    public CheckResult check() {
        PrepaidAccounts.Check c = accounts.check(Instant.now());
        return new CheckResult(c.ok(), c.accounts(), c.openReservations(), c.problems());
    }

    @GetMapping("/prepaid/sessions")
    @Allowed(value = {Role.FINANCE, Role.OPERATOR}, accountScoped = true)
    public List<Session> sessions(@RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller, @RequestParam(required = false) String account,
                                  @RequestParam(defaultValue = "1000") int limit) {
        if (account != null) {
            Caller.check(caller, account);
        }
        int n = Math.max(1, Math.min(limit, 100_000));
        // a scoped caller asking for all sees its own accounts' calls (each account asked for: the limit is per list)
        List<OpenReservations.Session> open = account != null || caller == null || !caller.scoped()
                ? sessions.list(account, n)
                : caller.accounts().stream().sorted().flatMap(a -> sessions.list(a, n).stream()).limit(n).toList();
        return open.stream().map(s -> new Session(s.account(),
                s.callId(), s.destination(), s.authorizedAt(), s.grantedSeconds(), s.usedSeconds(), s.held().toPlainString(),
                s.currency(), s.expiresAt())).toList();
    }

    private static ZoneId zone(String z) {
        try {
            return ZoneId.of(z == null || z.isBlank() ? "UTC" : z);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("zone: '" + z + "' is not a time zone like Europe/Berlin");
        }
    }

    private static ResponseEntity<Object> notFound(String name) {
        return ApiProblems.notFound("no prepaid account named " + name);
    }

    @ExceptionHandler(java.time.format.DateTimeParseException.class)
    ResponseEntity<Problem> badTime(java.time.format.DateTimeParseException e) {
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON)
                .body(new Problem("'" + e.getParsedString() + "' is not an instant like 2026-11-20T00:00:00Z", null));
    }

    @ExceptionHandler(org.springframework.dao.DuplicateKeyException.class)
    ResponseEntity<Problem> duplicate(org.springframework.dao.DuplicateKeyException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_JSON)
                .body(new Problem("already exists", null));
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<Problem> databaseDown(DataAccessException e) {
        log.warn("prepaid API request failed: {}", e.getMostSpecificCause().getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_JSON)
                .body(new Problem("the database is unavailable; retry later", null));
    }
}
