package org.tollgate.prepaid.account;

import java.util.function.BiConsumer;

import javax.sql.DataSource;

import org.tollgate.api.db.ChannelListener;

/**
 * Listens on PostgreSQL channel {@code tollgate_rating} (triggers send {@code account:<name>} for
 * every account added or changed and {@code plan:<name>} for every plan whose rates were
 * imported), so that a running server's rating cache prices with an account or a tariff the CLI
 * or another instance just made instead of after its refresh interval. Changes made while the
 * listener was not connected were not heard: each (re)connection runs {@code resync}.
 */
public class RatingChangeListener implements AutoCloseable {

    private final ChannelListener channel;

    /** {@code changed} gets (account, null) or (null, plan); {@code resync} reads everything kept again. */
    public RatingChangeListener(DataSource dataSource, BiConsumer<String, String> changed, Runnable resync) {
        this.channel = new ChannelListener(dataSource, "tollgate_rating", resync, payloads -> {
            for (String p : payloads) {
                if (p.startsWith("account:")) {
                    changed.accept(p.substring(8), null);
                } else if (p.startsWith("plan:")) {
                    changed.accept(null, p.substring(5));
                }
            }
        });
    }

    @Override
    public void close() {
        channel.close();
    }
}
