package org.tollgate.proxy.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.api.db.ChannelListener;

/**
 * Concurrent calls per account, counted in this proxy from the INVITE until the call fails or ends,
 * so a burst of INVITEs cannot slip past the limit while the first ones are still ringing. Every
 * call is counted, limited or not, so a limit set while calls are up counts them at once. The
 * limits are kept in memory and read again on every change anywhere (NOTIFY) and on every
 * reconnection to the database.
 */
public final class CallLimits implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CallLimits.class);

    private final Map<String, Integer> calls = new ConcurrentHashMap<>();
    private volatile Map<String, Integer> limits = Map.of();
    private final JdbcCallLimits store;
    private final ChannelListener channel;

    /** {@code dataSource} null: no limits (tests of the proxy alone). */
    public CallLimits(DataSource dataSource) {
        this.store = dataSource == null ? null : new JdbcCallLimits(dataSource);
        this.channel = dataSource == null ? null
                : new ChannelListener(dataSource, "tollgate_call_limits", this::reload, names -> reload());
    }

    private void reload() {
        try {
            limits = Map.copyOf(store.all());
        } catch (RuntimeException e) {
            log.warn("call limits not read again (kept as they were): {}", e.getMessage());
        }
    }

    /**
     * Counts a new call of {@code account}; false (and not counted) when it already has as many as
     * its limit allows.
     */
    public boolean admit(String account) {
        if (account == null) {
            return true;
        }
        Integer max = limits.get(account);
        boolean[] admitted = {true};
        calls.compute(account, (k, n) -> {
            int now = n == null ? 0 : n;
            if (max != null && now >= max) {
                admitted[0] = false;
                return n;
            }
            return now + 1;
        });
        return admitted[0];
    }

    /** Counts a call that was up before this proxy started (a restored dialog). */
    public void restored(String account) {
        if (account != null) {
            calls.merge(account, 1, Integer::sum);
        }
    }

    /** A counted call failed or ended. */
    public void release(String account) {
        if (account != null) {
            calls.computeIfPresent(account, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Calls of the account this proxy counts now (being set up or answered). */
    public int calls(String account) {
        return calls.getOrDefault(account, 0);
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close();
        }
    }
}
