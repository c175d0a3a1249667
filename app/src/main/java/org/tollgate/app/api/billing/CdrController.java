package org.tollgate.app.api.billing;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.tollgate.app.api.access.Allowed;
import org.tollgate.app.api.access.Caller;
import org.tollgate.app.api.access.Role;
import org.tollgate.app.cli.CdrArgs;
import org.tollgate.cdr.query.CdrFilter;
import org.tollgate.cdr.query.CdrRow;
import org.tollgate.cdr.query.JdbcCdrQueries;
import org.tollgate.cdr.query.Limited;
import org.tollgate.cdr.query.ReviewRow;

/**
 * {@code /api/cdrs}: CDR search ({@code tollgate cdr}). {@code since}/{@code until} as the CLI's: a
 * date is a call date (both included), a time or an age is on the end time. A token limited to
 * accounts searches its accounts' CDRs only ({@code billingParty} one of them).
 */
@RestController
@RequestMapping("/api/cdrs")
@Allowed(value = Role.FINANCE, accountScoped = true)
public class CdrController {

    private final JdbcCdrQueries queries;

    public CdrController(JdbcCdrQueries queries) {
        this.queries = queries;
    }

    @GetMapping
    public Limited<CdrRow> search(@RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller token,
                               @RequestParam(required = false) String since, @RequestParam(required = false) String until,
                               @RequestParam(name = "caller", required = false) String callerText, @RequestParam(required = false) String callee,
                               @RequestParam(required = false) List<String> disposition,
                               @RequestParam(required = false) String repaired,
                               @RequestParam(required = false) String billingParty,
                               @RequestParam(required = false) String callId,
                               @RequestParam(defaultValue = "100") int limit) {
        if (token != null && token.scoped()) {
            Caller.check(token, billingParty); // null: not one of its accounts
        }
        CdrFilter.Builder f = CdrFilter.builder().limit(CdrArgs.limit(limit));
        CdrArgs.window(f, since, until);
        return queries.search(f.caller(CdrArgs.text("caller", callerText)).callee(CdrArgs.text("callee", callee))
                .dispositions(CdrArgs.dispositions(disposition)).repair(CdrArgs.repaired(repaired))
                .billingParty(CdrArgs.text("billingParty", billingParty)).callId(CdrArgs.text("callId", callId)).build());
    }

    @GetMapping("/missed")
    @Allowed(Role.FINANCE)
    public Limited<CdrRow> missed(@RequestParam(required = false) String since, @RequestParam(required = false) String until,
                               @RequestParam(defaultValue = "100") int limit) {
        CdrFilter.Builder f = CdrFilter.builder().limit(CdrArgs.limit(limit));
        CdrArgs.window(f, since, until);
        return queries.missed(f.build());
    }

    /** What the CDR engine could not pair or price, for a person to look at. */
    @GetMapping("/review")
    @Allowed({Role.FINANCE, Role.OPERATOR})
    public Limited<ReviewRow> review(@RequestParam(required = false) String reason, @RequestParam(defaultValue = "100") int limit) {
        return queries.review(reason == null ? null : CdrArgs.reason(reason), CdrArgs.limit(limit));
    }
}
