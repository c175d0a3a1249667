package org.tollgate.proxy.aaa.diameter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollgate.proxy.aaa.CallAuthorization;
import org.tollgate.proxy.aaa.DigestVerdict;

/** Credit-Control-Failure-Handling when no Diameter server is there at all (a real client, nothing listening). */
class CreditControlAuthorityTest {

    static DiameterClient client;

    @BeforeAll
    static void start() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        client = new DiameterClient(new DiameterClientSettings("proxy.test", "test",
                List.of(new DiameterClientSettings.Server("127.0.0.1", port, "nobody.test")), "test",
                Duration.ofMillis(500), Duration.ofSeconds(30)));
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    static CallAuthorization call(String id) {
        return new CallAuthorization(id, "sip:0049301234567@test", 0, true);
    }

    @Test
    void continueLetsANewCallGoOnForTheFailureMaximum() {
        CreditControlAuthority cc = new CreditControlAuthority(null, client, "proxy.test", true, Duration.ofMinutes(10),
                new SimpleMeterRegistry());
        DigestVerdict v = cc.authorizeCall("alice@test", call("c-1")).toCompletableFuture().join();
        assertThat(v.accepted()).isTrue();
        assertThat(v.renewable()).isFalse();
        assertThat(v.prepaidSeconds()).isEqualTo(600);
        assertThat(cc.calls()).isZero(); // no session on any server: nothing to terminate
    }

    @Test
    void terminateRefusesItAsUndecided() {
        CreditControlAuthority cc = new CreditControlAuthority(null, client, "proxy.test", false, Duration.ofMinutes(10),
                new SimpleMeterRegistry());
        DigestVerdict v = cc.authorizeCall("alice@test", call("c-2")).toCompletableFuture().join();
        assertThat(v.undecided()).isTrue();
        assertThat(cc.calls()).isZero();
    }
}
