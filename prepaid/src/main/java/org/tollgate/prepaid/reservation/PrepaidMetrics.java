package org.tollgate.prepaid.reservation;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.tollgate.api.prepaid.Grant;
import org.tollgate.api.prepaid.Settlement;

/**
 * What the engine answered and holds: authorizations by step and result, settlements by result,
 * stale reservations released, balances that fell below their threshold, money reserved per
 * currency (refreshed by the sweeper), and the writers' commit latency and batch sizes.
 */
final class PrepaidMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Double>> reserved = new ConcurrentHashMap<>();
    private final Counter staleReleased;
    private final Counter lowBalance;
    final Timer commit;
    final DistributionSummary batchSize;
    // where a batch's time goes: locking and reading, applying in memory, writing, committing
    private final Timer[] phases;

    PrepaidMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.staleReleased = Counter.builder("tollgate.prepaid.stale.released")
                .description("reservations of calls that never reported back, released after their grant and grace")
                .register(registry);
        this.lowBalance = Counter.builder("tollgate.prepaid.low.balance")
                .description("debits that took a balance below its low-balance threshold").register(registry);
        this.commit = Timer.builder("tollgate.prepaid.commit").description("prepaid batch transaction latency")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.batchSize = DistributionSummary.builder("tollgate.prepaid.batch.size").register(registry);
        this.phases = new Timer[4];
        String[] names = {"lock-and-read", "apply", "write", "commit"};
        for (int i = 0; i < names.length; i++) {
            phases[i] = Timer.builder("tollgate.prepaid.batch.phase").tag("phase", names[i])
                    .description("time of a prepaid batch transaction by phase").register(registry);
        }
    }

    void phases(long... nanos) {
        for (int i = 0; i < nanos.length; i++) {
            phases[i].record(nanos[i], TimeUnit.NANOSECONDS);
        }
    }

    void answered(Operation op, Object answer) {
        String name;
        String step;
        String result;
        if (op instanceof Operation.End) {
            name = "tollgate.prepaid.settlements";
            step = "commit";
            result = ((Settlement) answer).result().name();
        } else if (op instanceof Operation.Expire) {
            return;
        } else {
            name = "tollgate.prepaid.authorizations";
            step = op instanceof Operation.Authorize ? "authorize" : "reauthorize";
            result = ((Grant) answer).result().name();
        }
        String tag = result.toLowerCase(Locale.ROOT);
        counters.computeIfAbsent(name + step + tag, k -> Counter.builder(name).tag("step", step).tag("result", tag)
                .register(registry)).increment();
    }

    void committed(CallBook book, long nanos, int ops) {
        commit.record(nanos, TimeUnit.NANOSECONDS);
        batchSize.record(ops);
        if (book.expired() > 0) {
            staleReleased.increment(book.expired());
        }
        if (book.lowBalanceCrossings() > 0) {
            lowBalance.increment(book.lowBalanceCrossings());
        }
    }

    void reserved(String currency, double amount) {
        reserved.computeIfAbsent(currency, c -> {
            AtomicReference<Double> v = new AtomicReference<>(0.0);
            Gauge.builder("tollgate.prepaid.reserved", v, AtomicReference::get).tag("currency", c)
                    .description("money held for open prepaid calls").register(registry);
            return v;
        }).set(amount);
    }

    double staleReleased() {
        return staleReleased.count();
    }
}
