package org.tollgate.app.api;

import org.tollgate.app.api.access.Allowed;
import org.tollgate.app.api.access.Role;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.tollgate.cdr.query.JdbcMediaEvents;
import org.tollgate.cdr.query.MediaEvent;

/**
 * {@code POST /api/media-events}: media relays (RTP engines) report when a call's media stopped,
 * the best evidence for the end of a call whose BYE never came. Only with the {@code api} role,
 * which is what runs the web server.
 */
@RestController
@Allowed(Role.OPERATOR)
@ConditionalOnWebApplication
@RequestMapping("/api/media-events")
public class MediaEventController {

    private static final Logger log = LoggerFactory.getLogger(MediaEventController.class);

    /** The answer to a stored request: events new to the database, and retries of stored ones. */
    public record Accepted(int accepted, int duplicates) { }

    /** The answer to a refused request; {@code field} and {@code index} say where, when known. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String error, String field, Integer index) { }

    private final JdbcMediaEvents mediaEvents;

    public MediaEventController(JdbcMediaEvents mediaEvents) {
        this.mediaEvents = mediaEvents;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> post(@RequestBody(required = false) JsonNode body) {
        List<MediaEvent> events;
        try {
            events = MediaEventBody.parse(body);
        } catch (MediaEventBody.Invalid e) {
            return ResponseEntity.badRequest().body(new Problem(e.getMessage(), e.field(), e.index()));
        }
        int added = mediaEvents.recordAll(events);
        return ResponseEntity.accepted().body(new Accepted(added, events.size() - added));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Problem> unreadable(HttpMessageNotReadableException e) {
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON)
                .body(new Problem("the body is not valid JSON", null, null));
    }

    // a relay should retry later rather than drop the evidence
    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<Problem> databaseDown(DataAccessException e) {
        log.warn("media events not stored: {}", e.getMostSpecificCause().getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_JSON)
                .body(new Problem("the database is unavailable; retry later", null, null));
    }
}
