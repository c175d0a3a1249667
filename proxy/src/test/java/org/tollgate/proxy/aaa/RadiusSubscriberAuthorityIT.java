package org.tollgate.proxy.aaa;

import org.tollgate.proxy.testutil.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tinyradius.core.attribute.type.RadiusAttribute;
import org.tinyradius.core.packet.request.RadiusRequest;

/** Digest and group checks against real UDP responders. */
class RadiusSubscriberAuthorityIT {

    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    private final List<AutoCloseable> closing = new ArrayList<>();
    private TestRadiusServer primary;
    private TestRadiusServer secondary;

    @BeforeEach
    void servers() throws Exception {
        primary = track(new TestRadiusServer("auth-secret-1"));
        secondary = track(new TestRadiusServer("auth-secret-2"));
    }

    @AfterEach
    void closeAll() throws Exception {
        java.util.Collections.reverse(closing);
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        closing.add(c);
        return c;
    }

    private RadiusSubscriberAuthority authority(TestRadiusServer... auth) {
        RadiusClientSettings s = RadiusClientSettings.of(
                        java.util.Arrays.stream(auth).map(TestRadiusServer::server).toList(),
                        List.of(primary.server()), InetAddress.getLoopbackAddress(), 0)
                .withRetries(Duration.ofMillis(150), 2)
                .withGroupCacheTtl(Duration.ofSeconds(30));
        return track(new RadiusSubscriberAuthority(s, new SimpleMeterRegistry(), clock));
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Digest sub-attributes as aaa-server's AccessRequestView reads them. */
    private static Map<Integer, String> digestAttributes(RadiusRequest r) {
        Map<Integer, String> sub = new HashMap<>();
        for (RadiusAttribute a : r.filterAttributes(207)) {
            byte[] v = a.getValue();
            for (int i = 0; i + 2 <= v.length; ) {
                int len = v[i + 1] & 0xff;
                sub.putIfAbsent(v[i] & 0xff, new String(v, i + 2, len - 2, StandardCharsets.UTF_8));
                i += len;
            }
        }
        return sub;
    }

    @Test
    void digestAcceptCarriesSipAvpsAndReplyMessage() throws Exception {
        primary.access = r -> TestRadiusServer.Answer.accept("SIP-AVP", "#2:192.168.2.10", "SIP-AVP", "rpid:101",
                "Reply-Message", "Authenticated");
        DigestVerdict v = get(authority(primary).verifyDigest(AccessRequestsTest.check("101", "auth")));

        assertThat(v.accepted()).isTrue();
        assertThat(v.unavailable()).isFalse();
        assertThat(v.sipAvps()).containsExactly("#2:192.168.2.10", "rpid:101");
        assertThat(v.replyMessage()).isEqualTo("Authenticated");
        RadiusRequest seen = primary.answered.get(0);
        assertThat(TestRadiusServer.value(seen, "User-Name")).isEqualTo("101@kamailio.org");
        assertThat(TestRadiusServer.value(seen, "Service-Type")).isEqualTo("Sip-Session");
        assertThat(TestRadiusServer.value(seen, "Sip-Uri-User")).isEqualTo("101");
        assertThat(seen.getAttribute(80)).as("Message-Authenticator").isPresent();
        assertThat(digestAttributes(seen)).containsEntry(1, "kamailio.org").containsEntry(2, "abc123")
                .containsEntry(3, "REGISTER").containsEntry(4, "sip:kamailio.org").containsEntry(5, "auth")
                .containsEntry(6, "MD5").containsEntry(8, "cn1").containsEntry(9, "00000001").containsEntry(10, "101");
    }

    @Test
    void digestReject() throws Exception {
        primary.access = r -> TestRadiusServer.Answer.reject("Reply-Message", "bad digest");
        DigestVerdict v = get(authority(primary).verifyDigest(AccessRequestsTest.check("101", null)));
        assertThat(v.accepted()).isFalse();
        assertThat(v.unavailable()).isFalse();
        assertThat(v.sipAvps()).isEmpty();
        assertThat(v.replyMessage()).isEqualTo("bad digest");
    }

    @Test
    void noServerAnswering() throws Exception {
        primary.silent = true;
        secondary.silent = true;
        DigestVerdict v = get(authority(primary, secondary).verifyDigest(AccessRequestsTest.check("101", null)));
        assertThat(v).isEqualTo(DigestVerdict.noServer());
        assertThat(primary.received).hasSize(2);
        assertThat(secondary.received).hasSize(2);
    }

    @Test
    void failsOverToTheSecondServer() throws Exception {
        primary.silent = true;
        DigestVerdict v = get(authority(primary, secondary).verifyDigest(AccessRequestsTest.check("101", null)));
        assertThat(v.accepted()).isTrue();
        assertThat(secondary.answered).hasSize(1);
    }

    @Test
    void anAnswerWithABadResponseAuthenticatorIsNotBelieved() throws Exception {
        primary.responseSecret = "not-the-secret";
        DigestVerdict v = get(authority(primary).verifyDigest(AccessRequestsTest.check("101", null)));
        assertThat(v.unavailable()).isTrue();
    }

    @Test
    void groupAnswersAreCachedForTheTtlYesAndNo() throws Exception {
        primary.access = r -> "pstn".equals(TestRadiusServer.value(r, "Sip-Group"))
                ? TestRadiusServer.Answer.accept() : TestRadiusServer.Answer.reject();
        RadiusSubscriberAuthority a = authority(primary);

        assertThat(get(a.isMember("101@kamailio.org", "pstn"))).isTrue();
        assertThat(get(a.isMember("101@kamailio.org", "pstn"))).isTrue();
        assertThat(get(a.isMember("101@kamailio.org", "suspended"))).isFalse();
        assertThat(get(a.isMember("101@kamailio.org", "suspended"))).isFalse();
        assertThat(primary.received).hasSize(2);
        RadiusRequest seen = primary.received.get(0);
        assertThat(TestRadiusServer.value(seen, "Service-Type")).isEqualTo("Group-Check");
        assertThat(TestRadiusServer.value(seen, "User-Name")).isEqualTo("101@kamailio.org");
        assertThat(seen.getAttribute(80)).isPresent();

        clock.advance(Duration.ofSeconds(31));
        assertThat(get(a.isMember("101@kamailio.org", "pstn"))).isTrue();
        assertThat(primary.received).hasSize(3);
    }

    @Test
    void concurrentIdenticalLookupsShareOneRequest() throws Exception {
        primary.answerDelayMillis = 80; // below the 150ms retransmission timeout
        RadiusSubscriberAuthority a = authority(primary);
        List<CompletableFuture<Boolean>> lookups = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lookups.add(a.isMember("102@kamailio.org", "voip").toCompletableFuture());
        }
        for (CompletableFuture<Boolean> f : lookups) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(primary.received).hasSize(1);
    }

    @Test
    void noAnswerFailsTheLookupAndIsNotCached() throws Exception {
        primary.silent = true;
        RadiusSubscriberAuthority a = authority(primary);
        assertThatThrownBy(() -> get(a.isMember("101@kamailio.org", "voip")))
                .isInstanceOf(ExecutionException.class);
        primary.silent = false;
        assertThat(get(a.isMember("101@kamailio.org", "voip"))).isTrue();
    }
}
