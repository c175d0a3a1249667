package org.tollgate.app.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.tollgate.prepaid.PrepaidSettings;

/**
 * {@code tollgate.prepaid.*}, each key with its default (README.md, "Configuration"); start-up
 * fails on an inconsistent value. A record of its own beside {@link TollgateProperties}.
 */
@ConfigurationProperties("tollgate.prepaid")
public record PrepaidProperties(
        @DefaultValue("300s") Duration quota,
        @DefaultValue("1s") Duration commitTimeout,
        @DefaultValue("5m") Duration staleGrace,
        @DefaultValue("10s") Duration sweepInterval,
        @DefaultValue("2") int writerThreads,
        @DefaultValue("1000") int maxBatch,
        @DefaultValue("100000") int queueCapacity,
        @DefaultValue("10m") Duration ratingRefresh,
        @DefaultValue("200000") int ratingCacheSize) {

    public PrepaidProperties {
        settings(quota, commitTimeout, staleGrace, sweepInterval, writerThreads, maxBatch, queueCapacity);
        if (ratingRefresh.toMillis() < 1 || ratingCacheSize < 1) {
            throw new IllegalArgumentException("tollgate.prepaid.rating-refresh must be at least 1ms and "
                    + "rating-cache-size at least 1");
        }
    }

    public PrepaidSettings settings() {
        return settings(quota, commitTimeout, staleGrace, sweepInterval, writerThreads, maxBatch, queueCapacity);
    }

    private static PrepaidSettings settings(Duration quota, Duration commitTimeout, Duration staleGrace,
                                            Duration sweepInterval, int writerThreads, int maxBatch, int queueCapacity) {
        return new PrepaidSettings(quota, commitTimeout, staleGrace, sweepInterval, writerThreads, maxBatch, queueCapacity);
    }
}
