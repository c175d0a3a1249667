package org.tollgate.proxy.aaa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class RadiusClientSettingsTest {

    private static final RadiusClientSettings.Server A = RadiusClientSettings.Server.parse("10.0.0.1:1812", "s3cret");
    private static final RadiusClientSettings.Server B = RadiusClientSettings.Server.parse("10.0.0.1:1813", "s3cret");

    @Test
    void defaults() {
        RadiusClientSettings s = RadiusClientSettings.of(List.of(A), List.of(B), InetAddress.getLoopbackAddress(), 5060);
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.triesPerServer()).isEqualTo(3);
        assertThat(s.spoolDir()).isEqualTo(Path.of("data/proxy-spool"));
        assertThat(s.groupCacheTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.maxInFlight()).isEqualTo(512);
        assertThat(s.queueCapacity()).isEqualTo(10_000);
    }

    @Test
    void parsesServersAndNeverPrintsTheSecret() {
        assertThat(A.host()).isEqualTo("10.0.0.1");
        assertThat(A.port()).isEqualTo(1812);
        RadiusClientSettings.Server v6 = RadiusClientSettings.Server.parse("[::1]:1812", "s3cret");
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6).hasToString("[::1]:1812");
        RadiusClientSettings s = RadiusClientSettings.of(List.of(A), List.of(B), InetAddress.getLoopbackAddress(), 0);
        assertThat(s.toString()).doesNotContain("s3cret");
    }

    @Test
    void rejectsBadValuesWithClearMessages() {
        InetAddress nas = InetAddress.getLoopbackAddress();
        assertThatThrownBy(() -> RadiusClientSettings.Server.parse("10.0.0.1", "x"))
                .hasMessageContaining("not host:port");
        assertThatThrownBy(() -> RadiusClientSettings.Server.parse("10.0.0.1:99999", "x"))
                .hasMessageContaining("port 99999");
        assertThatThrownBy(() -> RadiusClientSettings.Server.parse("10.0.0.1:1812", ""))
                .hasMessageContaining("no shared secret");
        assertThatThrownBy(() -> RadiusClientSettings.of(List.of(), List.of(B), nas, 0))
                .hasMessageContaining("no RADIUS auth server");
        assertThatThrownBy(() -> RadiusClientSettings.of(List.of(A, A), List.of(B), nas, 0))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> RadiusClientSettings.of(List.of(A), List.of(B), null, 0))
                .hasMessageContaining("NAS-IP-Address");
        RadiusClientSettings ok = RadiusClientSettings.of(List.of(A), List.of(B), nas, 0);
        assertThatThrownBy(() -> ok.withRetries(Duration.ZERO, 3)).hasMessageContaining("timeout");
        assertThatThrownBy(() -> ok.withRetries(Duration.ofSeconds(1), 11)).hasMessageContaining("tries");
        assertThatThrownBy(() -> ok.withLimits(-1, 10)).hasMessageContaining("in-flight");
        assertThatThrownBy(() -> ok.withGroupCacheTtl(Duration.ofSeconds(-1))).hasMessageContaining("TTL");
    }
}
