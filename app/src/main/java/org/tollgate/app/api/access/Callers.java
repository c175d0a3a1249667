package org.tollgate.app.api.access;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The one place that decides who a request to the admin port is. {@link AdminAccessFilter} asks
 * it; what that caller may do is the endpoint's {@link Allowed}.
 */
public interface Callers {

    Identification identify(HttpServletRequest request);
}
