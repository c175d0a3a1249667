package org.tollgate.app.api;

import org.tollgate.app.api.access.Allowed;
import org.tollgate.app.api.access.Role;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.tollgate.proxy.dialog.JdbcDialogEnds;
import org.tollgate.proxy.dialog.JdbcDialogQueries;

/**
 * {@code tollgate dialogs} on the admin API: {@code GET /api/dialogs[?callId=ID]} lists the live calls,
 * {@code POST /api/dialogs/end} with {@code {"callId": "…"}} ends one (the Call-ID goes in the body: it
 * may hold a slash). Any instance with the API can ask; the running proxy holding the call ends it.
 */
@RestController
@Allowed(Role.OPERATOR)
@ConditionalOnWebApplication
@RequestMapping("/api/dialogs")
public class DialogController {

    /** How long the API waits for a proxy to answer. */
    private static final Duration WAIT = Duration.ofSeconds(2);

    public record End(String callId) { }

    private final JdbcDialogEnds ends;
    private final JdbcDialogQueries queries;

    public DialogController(DataSource dataSource) {
        this.ends = new JdbcDialogEnds(dataSource);
        this.queries = new JdbcDialogQueries(dataSource);
    }

    @GetMapping
    public List<JdbcDialogQueries.Row> list(@RequestParam(required = false) String callId,
                                            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return queries.list(callId, limit);
    }

    @PostMapping(path = "/end", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> end(@RequestBody End body) throws InterruptedException {
        if (body == null || body.callId() == null || body.callId().isBlank()) {
            throw new IllegalArgumentException("give callId");
        }
        JdbcDialogEnds.Outcome o = ends.end(body.callId(), "api", WAIT);
        if (!o.ended()) {
            return ApiProblems.notFound("no running proxy holds a call with Call-ID " + o.callId());
        }
        return ResponseEntity.ok(o);
    }
}
