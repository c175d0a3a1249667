package org.tollgate.app.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class TollgateEnvironmentTest {

    @Test
    void theReplacedReportsTokenStopsStartUpNamingItsSuccessor() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test",
                Map.of("tollgate.reports.api-token", "an-old-token-0123456789")));
        assertThatThrownBy(() -> new TollgateEnvironment().postProcessEnvironment(env, new SpringApplication()))
                .hasMessageContaining("tollgate.reports.api-token was replaced by tollgate.api.token")
                .hasMessageNotContaining("an-old-token");
    }
}
