package org.tollgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class SecretSettingsTest {

    @Test
    void aSecretGivenWithDashDIsWarnedAboutNamingTheEnvironmentVariable() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("spring.datasource.password", "pw-1");
        options.put("tollgate.api.token", "tok-1");
        options.put("tollgate.proxy.radius.secret", "sec-1");
        options.put("tollgate.radius.auth-port", "11812");
        List<String> warnings = SecretSettings.warnings(options, new Properties());
        assertThat(warnings).hasSize(3);
        assertThat(warnings.get(0)).contains("-Dspring.datasource.password", "SPRING_DATASOURCE_PASSWORD", "application.yml");
        assertThat(warnings.get(1)).contains("-Dtollgate.api.token", "TOLLGATE_API_TOKEN");
        assertThat(warnings.get(2)).contains("-Dtollgate.proxy.radius.secret", "TOLLGATE_PROXY_RADIUS_SECRET");
        assertThat(String.join("\n", warnings)).doesNotContain("pw-1", "tok-1", "sec-1");
        warnings.forEach(w -> assertThat(w).doesNotContain("\n"));
    }

    @Test
    void secretsAreRecognizedByName() {
        assertThat(SecretSettings.isSecret("spring.datasource.password")).isTrue();
        assertThat(SecretSettings.isSecret("server.ssl.key-store-password")).isTrue();
        assertThat(SecretSettings.isSecret("tollgate.x.shared-secret")).isTrue();
        assertThat(SecretSettings.isSecret("tollgate.x.token-file")).isFalse();
        assertThat(SecretSettings.isSecret("tollgate.secret.port")).isFalse();
        assertThat(SecretSettings.isSecret("tollgate.proxy.domains")).isFalse();
        assertThat(SecretSettings.environmentVariable("tollgate.proxy.pstn-routes[0].gateways"))
                .isEqualTo("TOLLGATE_PROXY_PSTNROUTES_0_GATEWAYS");
    }

    @Test
    void aPasswordInAUrlAndInJvmOptionsIsWarnedAboutToo() {
        Properties system = new Properties();
        system.setProperty("tollgate.api.token", "tok-2");
        system.setProperty("java.vendor", "x");
        List<String> warnings = SecretSettings.warnings(
                Map.of("spring.datasource.url", "jdbc:postgresql://db/t?user=t&password=pw-2"), system);
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).contains("-Dspring.datasource.url on the command line carries a password");
        assertThat(warnings.get(1)).contains("JVM option -Dtollgate.api.token");
        assertThat(String.join("\n", warnings)).doesNotContain("pw-2", "tok-2");
    }
}
