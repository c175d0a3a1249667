package org.tollgate.app.demo;

/** A step of the demo did not go as it must: the message says what, and the demo exits non-zero. */
final class DemoFailure extends RuntimeException {

    DemoFailure(String message) {
        super(message);
    }

    DemoFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
