package org.tollgate.app.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.tollgate.app.api.PrepaidController.Problem;
import org.tollgate.prepaid.voucher.VoucherRefused;

/**
 * How the admin API's JSON endpoints refuse a request they cannot take: 400 with a one-line reason
 * (and, for a voucher, why in a word), never a stack trace.
 */
@RestControllerAdvice(assignableTypes = {PrepaidController.class, VoucherController.class, DialogController.class})
public class ApiProblems {

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Problem> refused(IllegalArgumentException e) {
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON)
                .body(new Problem(e.getMessage(), e instanceof VoucherRefused v ? v.reason().name() : null));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Problem> unreadable(HttpMessageNotReadableException e) {
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON)
                .body(new Problem("the body is not valid JSON for this request", null));
    }

    /** A JSON 404 with the reason. */
    static ResponseEntity<Object> notFound(String why) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_JSON).body(new Problem(why, null));
    }
}
