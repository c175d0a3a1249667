package org.tollgate.app.api.billing;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.tollgate.aaa.radius.acct.JdbcAccountingQueries;
import org.tollgate.app.api.access.Allowed;
import org.tollgate.app.api.access.Role;
import org.tollgate.app.cli.CliSupport;

/** {@code /api/accounting}: stored accounting records, oldest first ({@code tollgate acct list}). */
@RestController
@Allowed({Role.OPERATOR, Role.FINANCE})
public class AccountingController {

    private final JdbcAccountingQueries queries;

    public AccountingController(JdbcAccountingQueries queries) {
        this.queries = queries;
    }

    /** {@code since}: now, an instant, a date or an age like 10m. */
    @GetMapping("/api/accounting")
    public List<JdbcAccountingQueries.Row> list(@RequestParam(required = false) String since,
                                                @RequestParam(required = false) String session,
                                                @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return queries.list(since == null ? null : CliSupport.parseTime(since), session, limit);
    }
}
