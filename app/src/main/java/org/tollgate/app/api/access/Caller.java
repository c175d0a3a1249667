package org.tollgate.app.api.access;

/**
 * Who made a request to the admin port, as {@link Callers} decided. Today there is one kind: the
 * holder of the admin token, who may do everything. Issue 18 gives callers roles.
 */
public record Caller(String name) {

    /** The request attribute under which the filter leaves the caller for the controllers. */
    public static final String ATTRIBUTE = Caller.class.getName();
}
