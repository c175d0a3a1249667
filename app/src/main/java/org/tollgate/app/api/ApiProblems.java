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
 * (and, for a voucher, why in a word), 409 for a name that exists, never a stack trace.
 */
@RestControllerAdvice(basePackages = "org.tollgate.app.api")
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

    @ExceptionHandler(org.springframework.dao.DuplicateKeyException.class)
    ResponseEntity<Problem> duplicate(org.springframework.dao.DuplicateKeyException e) {
        String detail = e.getMostSpecificCause().getMessage();
        int i = detail == null ? -1 : detail.indexOf("Detail:");
        return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_JSON)
                .body(new Problem("already exists" + (i >= 0 ? ": " + detail.substring(i + 7).trim() : ""), null));
    }

    /** A JSON 404 with the reason. */
    public static ResponseEntity<Object> notFound(String why) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_JSON).body(new Problem(why, null));
    }
}
