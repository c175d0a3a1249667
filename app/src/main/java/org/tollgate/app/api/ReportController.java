package org.tollgate.app.api;

import org.tollgate.app.api.access.Allowed;
import org.tollgate.app.api.access.Caller;
import org.tollgate.app.api.access.Role;
import org.springframework.web.bind.annotation.RequestAttribute;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.tollgate.reports.CsvOptions;
import org.tollgate.reports.ReportFormat;
import org.tollgate.reports.ReportName;
import org.tollgate.reports.ReportRequest;
import org.tollgate.reports.Reports;

/**
 * {@code GET /api/reports/{name}?since=D&until=D[&account=A][&format=csv|xlsx]} ({@code from}/{@code to}
 * too): a finance report as a download, for admin and finance tokens; a token limited to accounts
 * must name one of its own ({@code account}).
 */
@RestController
@ConditionalOnWebApplication
@RequestMapping("/api/reports")
public class ReportController {

    private final Reports reports;
    private final CsvOptions csv;
    private final ObjectMapper json;

    public ReportController(Reports reports, CsvOptions csv, ObjectMapper json) {
        this.reports = reports;
        this.json = json;
        this.csv = csv;
    }

    @GetMapping("/{name}")
    @Allowed(value = Role.FINANCE, accountScoped = true)
    public ResponseEntity<StreamingResponseBody> download(@RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller, @PathVariable String name,
                                      @RequestParam(required = false) String since, @RequestParam(required = false) String until,
                                      @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                      @RequestParam(required = false) String account,
                                      @RequestParam(defaultValue = "csv") String format) {
        ReportRequest request;
        ReportFormat fmt;
        try {
            String first = since != null ? since : from;
            String last = until != null ? until : to;
            if (first == null || last == null) {
                throw new IllegalArgumentException("give since and until (call dates; from and to also work)");
            }
            request = new ReportRequest(ReportName.parse(name), org.tollgate.app.cli.CliSupport.parseDay("since", first),
                    org.tollgate.app.cli.CliSupport.parseDay("until", last), account);
            fmt = ReportFormat.parse(format);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return problem(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        if (caller != null && caller.scoped() && (account == null || !caller.mayUse(account))) {
            return problem(HttpStatus.FORBIDDEN, "token " + caller.name() + " may read reports of its own accounts only "
                    + "(give account=…)");
        }
        StreamingResponseBody body = out -> reports.write(request, fmt, csv, out);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(fmt.mediaType()))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(request.fileName(fmt), StandardCharsets.UTF_8).build().toString())
                .body(body);
    }

    // the body type is fixed by the download; a problem is written through it too
    private ResponseEntity<StreamingResponseBody> problem(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(out -> json.writeValue(out, new MediaEventController.Problem(message, null, null)));
    }
}
