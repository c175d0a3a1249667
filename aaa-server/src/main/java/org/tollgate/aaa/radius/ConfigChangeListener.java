package org.tollgate.aaa.radius;

import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.api.db.ChannelListener;

/**
 * Listens on PostgreSQL channel {@code tollgate_config} (raised by triggers on the provisioning
 * tables) so a running server sees CLI changes at once. Any notification refreshes everything,
 * and so does every (re)connection, since what changed meanwhile was not heard.
 */
public class ConfigChangeListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigChangeListener.class);

    private final List<Runnable> onChange;
    private final ChannelListener channel;

    public ConfigChangeListener(DataSource dataSource, List<Runnable> onChange) {
        this.onChange = onChange;
        this.channel = new ChannelListener(dataSource, "tollgate_config", this::fire, payloads -> fire());
    }

    private void fire() {
        for (Runnable r : onChange) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("refresh after configuration change failed: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        channel.close();
    }
}
