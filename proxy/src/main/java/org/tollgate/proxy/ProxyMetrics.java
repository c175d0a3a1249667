package org.tollgate.proxy;

import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The proxy's counters: requests by method, replies it generated, calls by outcome, dialogs. */
public final class ProxyMetrics {

    private final MeterRegistry registry;
    private final Counter answered;
    private final Counter failed;
    private final Counter ended;
    private final Counter expired;
    private final Counter operatorEnded;
    private final Counter creditExhausted;
    private final Counter mediaTimeout;

    public ProxyMetrics(MeterRegistry registry, Supplier<Number> dialogs) {
        this.registry = registry;
        this.answered = Counter.builder("tollgate_proxy_calls").tag("outcome", "answered").register(registry);
        this.failed = Counter.builder("tollgate_proxy_calls").tag("outcome", "failed").register(registry);
        this.ended = Counter.builder("tollgate_proxy_calls").tag("outcome", "ended").register(registry);
        this.expired = Counter.builder("tollgate_proxy_calls").tag("outcome", "session_expired").register(registry);
        this.operatorEnded = Counter.builder("tollgate_proxy_calls").tag("outcome", "ended_by_operator").register(registry);
        this.creditExhausted = Counter.builder("tollgate_proxy_calls").tag("outcome", "credit_exhausted").register(registry);
        this.mediaTimeout = Counter.builder("tollgate_proxy_calls").tag("outcome", "media_timeout").register(registry);
        Gauge.builder("tollgate_proxy_dialogs", dialogs).description("confirmed dialogs tracked").register(registry);
    }

    private final java.util.Map<String, Counter> requests = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Counter> forwards = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<Integer, Counter> replies = new java.util.concurrent.ConcurrentHashMap<>();

    public void request(String method) {
        requests.computeIfAbsent(known(method), m -> registry.counter("tollgate_proxy_requests", "method", m)).increment();
    }

    public void forwarded(String method) {
        forwards.computeIfAbsent(known(method), m -> registry.counter("tollgate_proxy_forwarded", "method", m)).increment();
    }

    private final java.util.Map<String, Counter> strays = new java.util.concurrent.ConcurrentHashMap<>();

    /** A response that matched no transaction and was forwarded statelessly (a retransmitted 2xx, normally). */
    public void stray(String method) {
        strays.computeIfAbsent(known(method), m -> registry.counter("tollgate_proxy_stray_responses", "method", m))
                .increment();
    }

    public void replied(int code) {
        replies.computeIfAbsent(code, c -> registry.counter("tollgate_proxy_replies", "code", Integer.toString(c)))
                .increment();
    }

    private final java.util.Map<String, Counter> refusals = new java.util.concurrent.ConcurrentHashMap<>();

    /** A request refused by policy: {@code relaying} (open relay attempt), {@code unknown_dialog}. */
    public void refused(String reason) {
        refusals.computeIfAbsent(reason, r -> registry.counter("tollgate_proxy_refused", "reason", r)).increment();
    }

    public void answered() {
        answered.increment();
    }

    public void failed() {
        failed.increment();
    }

    public void ended() {
        ended.increment();
    }

    public void endedByOperator() {
        operatorEnded.increment();
    }

    /** A prepaid call ended by the proxy at the end of its last grant (or its AAA failure limit). */
    public void creditExhausted() {
        creditExhausted.increment();
    }

    private final java.util.Map<String, Counter> prepaid = new java.util.concurrent.ConcurrentHashMap<>();

    /** A prepaid re-authorization by result: {@code granted}, {@code last}, {@code refused}, {@code no_server}. */
    public void reauthorization(String result) {
        prepaid.computeIfAbsent(result, r -> registry.counter("tollgate_proxy_prepaid_reauthorizations", "result", r))
                .increment();
    }

    /** A call ended by the proxy because its media stopped (the relay timed it out). */
    public void mediaTimeout() {
        mediaTimeout.increment();
    }

    public void expired() {
        expired.increment();
    }

    private static String known(String m) {
        return switch (m) {
            case "INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "UPDATE", "MESSAGE", "SUBSCRIBE",
                    "NOTIFY", "INFO", "PRACK", "REFER" -> m;
            default -> "other";
        };
    }
}
