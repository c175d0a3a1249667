package org.tollgate.app.api.access;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** A caller limited to some accounts that names another one gets 403, from any endpoint. */
@RestControllerAdvice
public class AccessProblems {

    @ExceptionHandler(Caller.OtherAccount.class)
    ResponseEntity<Map<String, String>> otherAccount(Caller.OtherAccount e) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", e.getMessage()));
    }
}
