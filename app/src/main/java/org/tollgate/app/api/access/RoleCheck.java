package org.tollgate.app.api.access;

import java.util.Arrays;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Whether the caller {@link AdminAccessFilter} identified may call the endpoint it asked for: the
 * admin may call any; another role only an endpoint whose {@link Allowed} names it; a token limited
 * to accounts only one marked {@code accountScoped} (which then checks the account). 403 otherwise.
 */
public final class RoleCheck implements HandlerInterceptor {

    private final ObjectMapper json;
    private final MeterRegistry meters;

    public RoleCheck(ObjectMapper json, MeterRegistry meters) {
        this.json = json;
        this.meters = meters;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
        Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
        if (caller == null || request.getDispatcherType() == jakarta.servlet.DispatcherType.ERROR) {
            return true; // only what the filter serves without a token gets here so (health, scrapers, relays)
        }
        Allowed allowed = null;
        if (handler instanceof HandlerMethod m) {
            if (m.getBeanType().getName().startsWith("org.springdoc.") && !caller.scoped()) {
                return true; // the API's description, for every role
            }
            allowed = m.getMethodAnnotation(Allowed.class);
            if (allowed == null) {
                allowed = m.getBeanType().getAnnotation(Allowed.class);
            }
        }
        if (permits(caller, allowed)) {
            return true;
        }
        meters.counter("tollgate.api.refused", "reason", "forbidden").increment();
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), Map.of("error", "token " + caller.name() + " (" + caller.role().label()
                + (caller.scoped() ? ", limited to its accounts" : "") + ") may not " + request.getMethod() + " "
                + request.getRequestURI()));
        return false;
    }

    static boolean permits(Caller caller, Allowed allowed) {
        if (caller.scoped() && (allowed == null || !allowed.accountScoped())) {
            return false;
        }
        if (caller.role() == Role.ADMIN) {
            return true;
        }
        return allowed != null && Arrays.asList(allowed.value()).contains(caller.role());
    }
}
