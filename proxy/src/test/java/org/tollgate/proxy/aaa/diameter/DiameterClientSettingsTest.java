package org.tollgate.proxy.aaa.diameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiameterClientSettingsTest {

    @Test
    void aServerIsHostPortAndIdentity() {
        assertThat(DiameterClientSettings.Server.parse("10.0.0.7:3868/ocs1.example.net"))
                .isEqualTo(new DiameterClientSettings.Server("10.0.0.7", 3868, "ocs1.example.net"));
        assertThatThrownBy(() -> DiameterClientSettings.Server.parse("10.0.0.7:3868"))
                .hasMessageContaining("host:port/identity");
        assertThatThrownBy(() -> DiameterClientSettings.Server.parse("10.0.0.7:x/ocs"))
                .hasMessageContaining("host:port/identity");
    }

    @Test
    void theStackConfigurationListsTheServersByPreference() {
        DiameterClientSettings s = new DiameterClientSettings("proxy.example.net", "example.net",
                List.of(DiameterClientSettings.Server.parse("10.0.0.7:3868/ocs1.example.net"),
                        DiameterClientSettings.Server.parse("10.0.0.8:3868/ocs2.example.net")),
                "example.net", Duration.ofSeconds(2), Duration.ofSeconds(30));
        String xml = DiameterClient.configuration(s);
        assertThat(xml).contains("<Peer name=\"aaa://ocs1.example.net:3868\" ip=\"10.0.0.7\" rating=\"2\"/>")
                .contains("<Peer name=\"aaa://ocs2.example.net:3868\" ip=\"10.0.0.8\" rating=\"1\"/>")
                .contains("peers=\"ocs1.example.net,ocs2.example.net\"");
        assertThatThrownBy(() -> new DiameterClientSettings("p", "r", List.of(), "r", Duration.ofSeconds(2),
                Duration.ofSeconds(30))).hasMessageContaining("at least one server");
    }

    @Test
    void radiusTerminateCausesBecomeDiameterOnes() {
        assertThat(DiameterAccounting.terminateCause("Session-Timeout")).isEqualTo(5);
        assertThat(DiameterAccounting.terminateCause("User-Request")).isEqualTo(1);
        assertThat(DiameterAccounting.terminateCause("6")).isEqualTo(6);
        assertThat(DiameterAccounting.terminateCause("Nonsense")).isZero();
    }
}
