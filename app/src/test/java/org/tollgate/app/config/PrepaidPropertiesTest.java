package org.tollgate.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** tollgate.prepaid.*: the defaults README documents, and start-up refused on values that make no sense. */
class PrepaidPropertiesTest {

    private static PrepaidProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("tollgate.prepaid", PrepaidProperties.class);
    }

    @Test
    void theDefaultsAreThoseReadmeDocuments() {
        PrepaidProperties p = bind(Map.of());
        assertThat(p.quota()).isEqualTo(Duration.ofSeconds(300));
        assertThat(p.commitTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.staleGrace()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.sweepInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.writerThreads()).isEqualTo(2);
        assertThat(p.maxBatch()).isEqualTo(1000);
        assertThat(p.queueCapacity()).isEqualTo(100_000);
        assertThat(p.ratingRefresh()).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.ratingCacheSize()).isEqualTo(200_000);
    }

    @Test
    void inconsistentValuesStopTheStart() {
        assertThatThrownBy(() -> bind(Map.of("tollgate.prepaid.quota", "0s"))).hasRootCauseMessage(
                "tollgate.prepaid.quota must be at least 1s, not PT0S");
        assertThatThrownBy(() -> bind(Map.of("tollgate.prepaid.queue-capacity", "10", "tollgate.prepaid.max-batch", "100")))
                .rootCause().hasMessageContaining("queue-capacity >= max-batch");
        assertThatThrownBy(() -> bind(Map.of("tollgate.prepaid.commit-timeout", "0ms")))
                .rootCause().hasMessageContaining("commit-timeout");
        assertThatThrownBy(() -> bind(Map.of("tollgate.prepaid.stale-grace", "-1s")))
                .rootCause().hasMessageContaining("stale-grace");
    }
}
