package org.tollgate.app.api.access;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.tollgate.api.net.Cidr;

/**
 * Every request to the admin port passes here. Health is anonymous (load balancers, probes);
 * Prometheus metrics go to a token holder or to a scraper at an allowed address; everything else
 * — every {@code /api} endpoint, every other actuator endpoint, any path not known — needs a
 * caller {@link Callers} identifies (401 otherwise), except the media relays' callback
 * ({@link #RELAY_CALLBACK}), which the configured relays' hosts may call without one (rtpengine
 * cannot send a token). What an identified caller may do is decided per endpoint
 * ({@link RoleCheck}); the actuator's endpoints other than health are the admin's and the operator's.
 */
public final class AdminAccessFilter extends OncePerRequestFilter {

    /** Where rtpengine's {@code --b2b-url} points: its teardown of a call whose media stopped. */
    public static final String RELAY_CALLBACK = "/api/rtpengine";

    private final Callers callers;
    private final List<InetAddress> relays;
    private final List<Cidr> metricsAllowed;
    private final String actuator;
    private final String health;
    private final String prometheus;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    /**
     * {@code relays}: the media relays' addresses, admitted to {@link #RELAY_CALLBACK} without a token;
     * {@code actuatorBase}: where the actuator endpoints are, {@code /actuator} unless configured otherwise.
     */
    public AdminAccessFilter(Callers callers, List<Cidr> metricsAllowed, List<InetAddress> relays, String actuatorBase,
                             ObjectMapper json, MeterRegistry meters) {
        this.callers = callers;
        this.relays = List.copyOf(relays);
        this.metricsAllowed = List.copyOf(metricsAllowed);
        String base = actuatorBase.endsWith("/") ? actuatorBase.substring(0, actuatorBase.length() - 1) : actuatorBase;
        this.actuator = base;
        this.health = base + "/health";
        this.prometheus = base + "/prometheus";
        this.json = json;
        this.meters = meters;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // the servlet container's decoded, normalized path: what the dispatcher will route
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (path.equals(health) || path.startsWith(health + "/")) {
            chain.doFilter(request, response);
            return;
        }
        Identification id = callers.identify(request);
        if (id instanceof Identification.Known known) {
            Caller caller = known.caller();
            if (path.startsWith(actuator + "/") && (caller.scoped()
                    || (caller.role() != Role.ADMIN && caller.role() != Role.OPERATOR))) {
                refuse(response, HttpServletResponse.SC_FORBIDDEN, "forbidden",
                        "the actuator's endpoints are the admin's and the operator's");
                return;
            }
            request.setAttribute(Caller.ATTRIBUTE, caller);
            chain.doFilter(request, response);
            return;
        }
        if (path.equals(RELAY_CALLBACK) && fromRelay(request.getRemoteAddr())) {
            chain.doFilter(request, response);
            return;
        }
        boolean metrics = path.equals(prometheus);
        if (metrics && allowed(request.getRemoteAddr())) {
            chain.doFilter(request, response);
            return;
        }
        if (id instanceof Identification.Invalid) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tollgate\", error=\"invalid_token\"");
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_token", "the bearer token is not valid");
        } else {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tollgate\"");
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "missing_token",
                    "this endpoint needs an Authorization: Bearer header with an API token");
        }
    }

    private boolean fromRelay(String remoteAddress) {
        if (relays.isEmpty() || remoteAddress == null) {
            return false;
        }
        try {
            return relays.contains(InetAddress.getByName(remoteAddress));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private boolean allowed(String remoteAddress) {
        if (metricsAllowed.isEmpty() || remoteAddress == null) {
            return false;
        }
        try {
            InetAddress a = InetAddress.getByName(remoteAddress); // a literal: the container does no lookups
            return metricsAllowed.stream().anyMatch(n -> n.contains(a));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    // counted, not logged: a log line per refused request would hand the log to whoever sends them
    private void refuse(HttpServletResponse response, int status, String reason, String message) throws IOException {
        meters.counter("tollgate.api.refused", "reason", reason).increment();
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), Map.of("error", message));
    }
}
