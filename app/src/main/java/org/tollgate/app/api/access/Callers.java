package org.tollgate.app.api.access;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The one place that decides who a request to the admin port is. {@link AdminAccessFilter} asks
 * it and decides what that caller may do; a new way to identify callers (hashed tokens with
 * roles, issue 18) is a new implementation of this interface.
 */
public interface Callers {

    /** False when no caller can be identified at all (no token configured): everything but health is refused. */
    boolean configured();

    Identification identify(HttpServletRequest request);
}
